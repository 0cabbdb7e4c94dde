import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

/** A patch marker in a history: the id `patched()` or `deprecatePatch()` recorded, and which of the two. */
export interface PatchMarker {
  id: string;
  deprecated: boolean;
}

/**
 * The patch markers a history holds, in order. Works on a history fetched from the server (payload
 * data as bytes) and on one read back from a saved JSON file (data as base64 text).
 */
export function patchMarkersOf(history: History | { events?: unknown[] | null }): PatchMarker[] {
  const markers: PatchMarker[] = [];
  for (const event of (history.events ?? []) as temporal.api.history.v1.IHistoryEvent[]) {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') continue;
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data as Uint8Array | string | null | undefined;
    if (!data) continue;
    const text =
      typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data).toString('utf8');
    const { id, deprecated } = JSON.parse(text) as { id: string; deprecated?: boolean };
    markers.push({ id, deprecated: deprecated === true });
  }
  return markers;
}

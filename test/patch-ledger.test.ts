import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { patchMarkersOf, type PatchMarker } from '../scripts/dev/patch-markers';
import * as registered from '../workflows/index';
import { PATCH_LEDGER, RETIRED_HISTORIES, RETIRED_WORKFLOW_TYPES, type PatchState } from '../workflows/patch-ledger';

const ROOT = path.resolve(import.meta.dirname, '..');
const HISTORIES = path.join(ROOT, 'test/fixtures/histories');

/** Every .ts file under workflows/, as `workflows/…` paths with their text. */
async function workflowSources(): Promise<Map<string, string>> {
  const files = (await readdir(path.join(ROOT, 'workflows'), { recursive: true })).filter((f) => f.endsWith('.ts'));
  return new Map(
    await Promise.all(
      files.map(
        async (file) => [`workflows/${file}`, await readFile(path.join(ROOT, 'workflows', file), 'utf8')] as const,
      ),
    ),
  );
}

/** Where each patch id is asked in the workflow code: id → file → patched or deprecated. */
async function askedPatches(): Promise<Map<string, Map<string, PatchState>>> {
  const sources = await workflowSources();
  // The ids are constants (`const ONE_NOTICES_PIPELINE = 'one-notices-pipeline'`), some shared between files.
  const constants = new Map<string, string>();
  for (const text of sources.values())
    for (const [, name, value] of text.matchAll(/\bconst ([A-Z][A-Z0-9_]*) = '([^']+)'/g)) constants.set(name!, value!);
  const asked = new Map<string, Map<string, PatchState>>();
  for (const [file, text] of sources) {
    if (file === 'workflows/patch-ledger.ts') continue;
    const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const [, call, argument] of code.matchAll(/\b(patched|deprecatePatch)\(\s*([A-Z][A-Z0-9_]*|'[^']+')\s*\)/g)) {
      const id = argument!.startsWith("'") ? argument!.slice(1, -1) : constants.get(argument!);
      assert.ok(id, `${file}: ${call}(${argument}) names no constant found in workflows/`);
      const state: PatchState = call === 'patched' ? 'patched' : 'deprecated';
      const sites = asked.get(id) ?? new Map<string, PatchState>();
      assert.ok(sites.get(file) === undefined || sites.get(file) === state, `${file} asks ${id} both ways`);
      sites.set(file, state);
      asked.set(id, sites);
    }
  }
  return asked;
}

interface SavedHistory {
  file: string;
  recording: number;
  workflowType: string;
  markers: PatchMarker[];
}

async function savedHistories(): Promise<SavedHistory[]> {
  const files = (await readdir(HISTORIES)).filter((name) => name.endsWith('.json'));
  return Promise.all(
    files.map(async (file) => {
      const history = JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8')) as {
        events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[];
      };
      const recording = /\.v(\d+)\.json$/.exec(file)?.[1];
      assert.ok(recording, `${file} is named <scenario>.v<recording>.json`);
      return {
        file,
        recording: Number(recording),
        workflowType: history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '?',
        markers: patchMarkersOf(history),
      };
    }),
  );
}

const number = (recording: `v${number}`) => Number(recording.slice(1));

describe('the patch ledger (workflows/patch-ledger.ts) against the workflow code and the saved histories', () => {
  it('names each patch once', () => {
    const ids = PATCH_LEDGER.map((entry) => entry.id);
    assert.deepEqual(ids, [...new Set(ids)]);
  });

  it('lists every patched() and deprecatePatch() in workflows/, where it is asked and in which state', async () => {
    const asked = await askedPatches();
    const inCode = [...asked].flatMap(([id, sites]) => [...sites].map(([file, state]) => `${id} ${state} in ${file}`));
    const inLedger = PATCH_LEDGER.flatMap((entry) =>
      entry.sites.filter((site) => site.state !== 'removed').map((site) => `${entry.id} ${site.state} in ${site.file}`),
    );
    assert.deepEqual(inCode.sort(), inLedger.sort());
  });

  it('a patch removed from a file is asked there no more', async () => {
    const asked = await askedPatches();
    for (const entry of PATCH_LEDGER)
      for (const site of entry.sites.filter((s) => s.state === 'removed'))
        assert.equal(asked.get(entry.id)?.get(site.file), undefined, `${entry.id} is still asked in ${site.file}`);
  });

  it('a patch is deprecated or removed only once the saved histories from before it are retired', async () => {
    const histories = await savedHistories();
    for (const entry of PATCH_LEDGER)
      for (const site of entry.sites.filter((s) => s.state !== 'patched')) {
        const older = histories.filter(
          (h) => site.workflows.includes(h.workflowType) && h.recording < number(entry.recorded),
        );
        assert.deepEqual(
          older.map((h) => h.file),
          [],
          `${entry.id} is ${site.state} in ${site.file}, yet these histories from before it are kept`,
        );
      }
  });

  it('a patch is removed only once no saved history holds its marker undeprecated', async () => {
    const histories = await savedHistories();
    for (const entry of PATCH_LEDGER) {
      if (entry.sites.some((site) => site.state !== 'removed')) continue;
      const holding = histories.filter((h) => h.markers.some((m) => m.id === entry.id && !m.deprecated));
      assert.deepEqual(
        holding.map((h) => h.file),
        [],
        `${entry.id} is removed, yet these histories recorded it`,
      );
    }
  });

  it('each patch first appears in the recording the ledger names, never earlier', async () => {
    const histories = await savedHistories();
    for (const entry of PATCH_LEDGER) {
      const early = histories.filter(
        (h) => h.recording < number(entry.recorded) && h.markers.some((m) => m.id === entry.id),
      );
      assert.deepEqual(
        early.map((h) => h.file),
        [],
        `${entry.id} recorded before ${entry.recorded}`,
      );
    }
    // Every marker in a saved history is a patch the ledger knows.
    const known = new Set(PATCH_LEDGER.map((entry) => entry.id));
    for (const h of histories)
      for (const marker of h.markers)
        assert.ok(known.has(marker.id), `${h.file} holds ${marker.id}, not in the ledger`);
  });

  it('retired histories stay retired, and retired workflow types are neither registered nor kept in histories', async () => {
    const histories = await savedHistories();
    const kept = new Set(histories.map((h) => h.file));
    for (const { histories: retired } of RETIRED_HISTORIES)
      for (const file of retired) assert.ok(!kept.has(file), `${file} is retired but back in test/fixtures/histories`);
    for (const { type } of RETIRED_WORKFLOW_TYPES) {
      assert.ok(!(type in registered), `${type} is retired but still registered in workflows/index.ts`);
      assert.deepEqual(
        histories.filter((h) => h.workflowType === type).map((h) => h.file),
        [],
        `histories of the retired ${type}`,
      );
    }
  });

  it('says which saved histories hold each patched() in place', async (t) => {
    const histories = await savedHistories();
    for (const entry of PATCH_LEDGER)
      for (const site of entry.sites.filter((s) => s.state === 'patched')) {
        const gating = histories.filter(
          (h) => site.workflows.includes(h.workflowType) && h.recording < number(entry.recorded),
        );
        t.diagnostic(
          `${entry.id} in ${site.file}: ${gating.length} saved histories from before ${entry.recorded} (${[...new Set(gating.map((h) => `v${h.recording}`))].sort().join(', ') || 'none'}); next: ${entry.next}`,
        );
      }
  });
});

/** Loads the next keyset page; shown only while the server says there is one. */
export function OlderButton({ next, busy, onClick }: { next: string | null; busy: boolean; onClick: () => void }) {
  if (!next) return null;
  return (
    <p>
      <button type="button" disabled={busy} onClick={onClick}>
        Older
      </button>
    </p>
  );
}

/**
 * Every IANA zone the browser knows, as suggestions: free text stays possible, since browsers list
 * canonical names only (Chromium offers Asia/Calcutta, not Asia/Kolkata). The server checks it.
 */
const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export function TimeZoneInput({ id, name }: { id: string; name: string }) {
  return (
    <>
      <input
        id={id}
        name={name}
        type="text"
        list={`${id}-zones`}
        autocomplete="off"
        spellcheck={false}
        aria-describedby={`${id}-hint`}
      />
      <datalist id={`${id}-zones`}>
        {ZONES.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <p id={`${id}-hint`} class="hint">
        An IANA zone such as Asia/Kolkata or Europe/London; leave it empty for the server's default.
      </p>
    </>
  );
}

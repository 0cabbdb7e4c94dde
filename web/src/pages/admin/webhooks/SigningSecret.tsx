import { ShownOnceField } from '../../../components/ShownOnceField';

/** A secret the server just made: shown here once, since it is never sent again. */
export interface ShownSecret {
  endpointId: number;
  endpointUrl: string;
  secret: string;
  rotated: boolean;
}

export function SigningSecret({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  return (
    <section class="card" aria-labelledby="webhook-secret-heading">
      <h2 id="webhook-secret-heading">{shown.rotated ? 'New signing secret' : 'Signing secret'}</h2>
      <div class="stack">
        <ShownOnceField
          id="webhook-secret"
          label={
            <>
              Secret for <span class="break">{shown.endpointUrl}</span>
            </>
          }
          value={shown.secret}
          noun="the secret"
          note="Shown only now: BookIT will not show it again. Give it to the receiver, which verifies each delivery with it."
          focusOnShow
        />
        <div class="actions">
          <button type="button" onClick={onDone}>
            I have saved it
          </button>
        </div>
      </div>
    </section>
  );
}

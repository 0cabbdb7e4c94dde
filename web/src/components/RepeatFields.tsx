import { useState } from 'preact/hooks';
import type { OnConflict } from '../api/booking-series';
import { buildRrule, DEFAULT_REPEAT_COUNT, MAX_REPEAT_COUNT, repeatLabel, type Repeat } from '../format/repeat-rule';

const REPEATS: Repeat[] = ['none', 'weekly', 'weekdays', 'daily', 'monthly'];

const ON_CONFLICT: Array<[OnConflict, string]> = [
  ['skip', 'Skip taken dates'],
  ['waitlist', 'Join the waitlist for taken dates'],
  ['fail', 'Book nothing if any date is taken'],
];

/** What the Repeat fields ask for, read from the form: null for "Does not repeat". */
export function readRepeat(form: FormData, date: string): { rrule: string; on_conflict: OnConflict } | null {
  const repeat = String(form.get('repeat') ?? 'none') as Repeat;
  const end =
    form.get('ends') === 'until'
      ? { kind: 'until' as const, date: String(form.get('until') ?? '') }
      : { kind: 'count' as const, count: Number(form.get('count') ?? DEFAULT_REPEAT_COUNT) };
  const rrule = buildRrule(repeat, date, end);
  return rrule === null ? null : { rrule, on_conflict: String(form.get('on_conflict') ?? 'skip') as OnConflict };
}

/**
 * The booking form's Repeat control: how often (named from the chosen date: "Every week on
 * Tuesday"), where it ends, and what to do with a date someone else holds. The browser checks the
 * fields (a count of 2–52, a last date on or after the first) before the form is sent.
 */
export function RepeatFields({ date }: { date: string }) {
  const [repeat, setRepeat] = useState<Repeat>('none');
  const [ends, setEnds] = useState<'count' | 'until'>('count');

  return (
    <>
      <div class="field">
        <label for="book-repeat">Repeat</label>
        <select
          id="book-repeat"
          name="repeat"
          value={repeat}
          onChange={(e) => setRepeat((e.currentTarget as HTMLSelectElement).value as Repeat)}
          aria-describedby={repeat === 'none' ? undefined : 'book-repeat-hint'}
        >
          {REPEATS.map((choice) => (
            <option key={choice} value={choice}>
              {repeatLabel(choice, date)}
            </option>
          ))}
        </select>
        {repeat !== 'none' && (
          <p id="book-repeat-hint" class="hint">
            Each date is a booking of its own: later you can cancel one date, a date and those after it, or all of them.
          </p>
        )}
      </div>
      {repeat !== 'none' && (
        <>
          <fieldset class="plain choice-group">
            <legend>Ends</legend>
            <label class="checkbox">
              <input
                type="radio"
                name="ends"
                value="count"
                checked={ends === 'count'}
                onChange={() => setEnds('count')}
              />
              After a number of times
            </label>
            <label class="checkbox">
              <input
                type="radio"
                name="ends"
                value="until"
                checked={ends === 'until'}
                onChange={() => setEnds('until')}
              />
              Until a date
            </label>
            {ends === 'count' ? (
              <div class="field">
                <label for="book-repeat-count">How many times</label>
                <input
                  id="book-repeat-count"
                  name="count"
                  type="number"
                  inputMode="numeric"
                  min={2}
                  max={MAX_REPEAT_COUNT}
                  step={1}
                  required
                  defaultValue={String(DEFAULT_REPEAT_COUNT)}
                  aria-describedby="book-repeat-count-hint"
                />
                <p id="book-repeat-count-hint" class="hint">
                  From 2 to {MAX_REPEAT_COUNT}, the first date included.
                </p>
              </div>
            ) : (
              <div class="field">
                <label for="book-repeat-until">Last date</label>
                <input id="book-repeat-until" name="until" type="date" min={date} required />
              </div>
            )}
          </fieldset>
          <fieldset class="plain choice-group">
            <legend>If a date is already taken</legend>
            {ON_CONFLICT.map(([value, label], index) => (
              <label key={value} class="checkbox">
                <input type="radio" name="on_conflict" value={value} defaultChecked={index === 0} />
                {label}
              </label>
            ))}
          </fieldset>
        </>
      )}
    </>
  );
}

import { useId, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { changeSeries, type OnConflict, refusedConflicts, type SeriesChange } from '../api/booking-series';
import type { BookingSeries, SeriesConflict, SeriesOccurrence } from '../api/types';
import {
  conflictWords,
  datesCount,
  isUpcoming,
  movedAlone,
  type SeriesChangeAsked,
  seriesChangeWords,
} from '../format/series-words';
import { dayOfDate, formatWallSlot, shortTime } from '../format/zoned-time';
import { ErrorAlert } from './Feedback';
import { ModalDialog } from './ModalDialog';

/** What a change of a series reaches: a date and every later one, or every date still to come (and its name). */
export type ChangeScope = { kind: 'following'; occurrence: SeriesOccurrence } | { kind: 'all' };

export interface ChangeSeriesDialogProps {
  series: BookingSeries;
  /** The change asked for; null while the dialog is closed. */
  scope: ChangeScope | null;
  onClose: () => void;
  /** After the server changed the series: what it did, in sentences. */
  onChanged: (message: string) => void;
  /** Where focus goes once the dialog closes after a change (where its outcome is said). */
  focusAfterChange: () => HTMLElement | null;
}

const ON_CONFLICT: [OnConflict, string][] = [
  ['skip', 'Keep that date at its old time'],
  ['waitlist', 'Keep it at its old time and join the waitlist for the new time'],
  ['fail', 'Change nothing'],
];

/** A 409: the server's sentence and the dates in the way, at the times asked for. */
interface Refusal {
  message: string;
  conflicts: SeriesConflict[];
  times: { start: string; end: string };
}

const them = (n: number) =>
  n === 1
    ? { have: '1 of them has its', them: 'it', are: 'it is' }
    : { have: `${n} of them have their`, them: 'them', are: 'they are' };

function wording(series: BookingSeries, scope: ChangeScope) {
  const name = `“${series.event_name}”`;
  const left = series.occurrences.filter((o) => isUpcoming(o));
  if (scope.kind === 'following') {
    const day = dayOfDate(scope.occurrence.date);
    const later = left.filter((o) => o.date > scope.occurrence.date).length;
    return {
      title: `Change ${name} from ${day} on`,
      explain: `${day}${later > 0 ? ` and the ${datesCount(later)} after it move` : ' moves'} to the times below; earlier dates keep theirs.`,
      confirm: 'Move these dates',
    };
  }
  const own = movedAlone(series).filter((o) => isUpcoming(o)).length;
  const words = them(own);
  return {
    title: `Change ${name}`,
    explain:
      `New times move the ${datesCount(left.length)} still to come; a new name renames the whole series.` +
      (own > 0
        ? ` ${words.have} own time: new times move ${words.them} too, a new name alone leaves ${words.them} as ${words.are}.`
        : ''),
    confirm: 'Save changes',
  };
}

/** What the form asks the server for, and the same in words for the outcome. */
function askedOf(
  series: BookingSeries,
  scope: ChangeScope,
  form: FormData,
): { asked: SeriesChangeAsked; body: SeriesChange } {
  const field = (name: string) => String(form.get(name) ?? '');
  const times = { start: field('start_time'), end: field('end_time') };
  const onConflict = (field('on_conflict') || 'skip') as OnConflict;
  let asked: SeriesChangeAsked;
  if (scope.kind === 'following') {
    asked = { from: scope.occurrence.date, times, renamedTo: null, onConflict };
  } else {
    const name = field('event_name').trim();
    const renamed = name !== series.event_name;
    // The series' own times sent along with a new name would put back every date moved alone:
    // only new times move dates; the same times alone do (that is what asking for them means).
    const newTimes = times.start !== shortTime(series.start_time) || times.end !== shortTime(series.end_time);
    asked = { from: null, times: newTimes || !renamed ? times : null, renamedTo: renamed ? name : null, onConflict };
  }
  return {
    asked,
    body: {
      ...(asked.from ? { from: asked.from } : {}),
      ...(asked.times ? { start_time: asked.times.start, end_time: asked.times.end, on_conflict: onConflict } : {}),
      ...(asked.renamedTo !== null ? { event_name: asked.renamedTo } : {}),
    },
  };
}

/**
 * Asks for new times for part or all of a series (and, for all of it, a new name), in the venue's
 * zone. A date whose new time someone else holds keeps its old time unless asked otherwise; when
 * nothing can change, the dates in the way are listed here with what holds them.
 */
export function ChangeSeriesDialog({ series, scope, onClose, onChanged, focusAfterChange }: ChangeSeriesDialogProps) {
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const changed = useRef(false);
  const conflictsHeading = useId();
  const words = scope ? wording(series, scope) : null;
  const id = (name: string) => `change-series-${name}-${series.id}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!scope) return;
    const { asked, body } = askedOf(series, scope, new FormData(event.currentTarget as HTMLFormElement));
    setBusy(true);
    setError(null);
    setRefusal(null);
    try {
      onChanged(seriesChangeWords(asked, await changeSeries(series.id, body)));
      changed.current = true;
      onClose();
    } catch (failure) {
      const conflicts = refusedConflicts(failure);
      if (conflicts.length > 0 && asked.times)
        setRefusal({ message: errorMessage(failure), conflicts, times: asked.times });
      else setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setError(null);
    setRefusal(null);
    onClose();
  };

  return (
    <ModalDialog
      open={scope !== null}
      title={words?.title ?? 'Change'}
      onClose={close}
      returnFocus={() => {
        const done = changed.current;
        changed.current = false;
        return done ? focusAfterChange() : null;
      }}
    >
      {scope && words && (
        <form onSubmit={submit} class="stack">
          <p>{words.explain}</p>
          {scope.kind === 'all' && (
            <div class="field">
              <label for={id('name')}>Event name</label>
              <input
                id={id('name')}
                name="event_name"
                type="text"
                required
                maxLength={200}
                defaultValue={series.event_name}
              />
            </div>
          )}
          <p class="hint">
            Times are local to {series.venue_name} ({series.time_zone}).
          </p>
          <div class="field-row">
            <div class="field">
              <label for={id('start')}>Start time</label>
              <input
                id={id('start')}
                name="start_time"
                type="time"
                required
                defaultValue={shortTime(series.start_time)}
              />
            </div>
            <div class="field">
              <label for={id('end')}>End time</label>
              <input id={id('end')} name="end_time" type="time" required defaultValue={shortTime(series.end_time)} />
            </div>
          </div>
          <fieldset class="plain choice-group">
            <legend>If a date's new time is already taken</legend>
            {ON_CONFLICT.map(([value, label], index) => (
              <label key={value} class="checkbox">
                <input type="radio" name="on_conflict" value={value} defaultChecked={index === 0} />
                {label}
              </label>
            ))}
          </fieldset>
          <ErrorAlert message={refusal?.message ?? error} />
          {refusal && (
            <section aria-labelledby={conflictsHeading}>
              <h3 id={conflictsHeading} class="small-heading">
                Dates in the way
              </h3>
              <ul class="date-list">
                {refusal.conflicts.map((conflict) => (
                  <li key={conflict.date}>
                    {formatWallSlot(conflict.date, refusal.times.start, refusal.times.end, series.time_zone)}:{' '}
                    {conflictWords(conflict)}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {words.confirm}
            </button>
            <button type="button" onClick={close}>
              Keep as it is
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}

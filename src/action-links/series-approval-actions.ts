import { formatInstant, formatSlot } from '../mail/format-time';
import { decideSeries } from '../series/commands';
import { describeRecurrence } from '../series/recurrence';
import { findSeriesDetails, seriesOccurrences, type SeriesDetails, type SeriesOccurrence } from '../series/store';
import { notFound } from '../domain/errors';
import { administersVenue } from '../venues/store';
import type { ActionHandler, ActionPage, ActionPrompt, ActionRequest, PageDetail } from './action-handler';
import { isConflict } from './booking-actions';

// "Approve all" and "Deny all" in a repeating request's email to its venue's staff. GET shows the
// request and one button; POST decides every date still waiting, as the API's series approve and
// deny do (the same permission: the venue's admins). A single date is denied in the app.

interface Loaded {
  series: SeriesDetails;
  occurrences: SeriesOccurrence[];
  waiting: SeriesOccurrence[];
}

/** The series, when this user may decide on it (the same refusal as the API's). */
async function visible({ deps, user, targetId }: ActionRequest): Promise<Loaded> {
  const series = await findSeriesDetails(deps.sql, targetId);
  if (!series || !(await administersVenue(deps.sql, user, series.venue_id))) throw notFound('Booking series');
  const occurrences = await seriesOccurrences(deps.sql, series.id);
  const waiting = occurrences.filter((o) => o.status === 'active' && o.approval_status === 'pending');
  return { series, occurrences, waiting };
}

const countOf = (n: number) => (n === 1 ? '1 date' : `${n} dates`);

function seriesPage(
  outcome: ActionPage['outcome'],
  tone: ActionPage['tone'],
  title: string,
  message: string,
  { series, occurrences }: Loaded,
  dates: SeriesOccurrence[],
): ActionPage {
  const details: PageDetail[] = [
    { label: 'Event', value: series.event_name },
    { label: 'Venue', value: series.venue_name },
    { label: 'Booked by', value: series.user_name },
    { label: 'Repeats', value: describeRecurrence(series.rrule) },
    {
      label: 'Dates',
      value: (dates.length > 0 ? dates : occurrences)
        .map((o) => formatSlot(o.starts_at, o.ends_at, series.time_zone))
        .join('; '),
    },
  ];
  return { outcome, tone, title, message, details, link: { href: '/requests', label: 'Open Requests in BookIT' } };
}

/** The page once nothing waits: how the dates were decided. */
function settled(loaded: Loaded): ActionPrompt {
  const approved = loaded.occurrences.filter((o) => o.approval_status === 'approved').length;
  const denied = loaded.occurrences.filter((o) => o.approval_status === 'denied').length;
  const words = [approved > 0 && `${countOf(approved)} approved`, denied > 0 && `${countOf(denied)} denied`]
    .filter(Boolean)
    .join(', ');
  return {
    ...seriesPage(
      'ok',
      'success',
      'Already decided',
      `Nothing of this request waits for a decision any more${words ? ` (${words})` : ''}. There is nothing more to do.`,
      loaded,
      [],
    ),
    button: null,
  };
}

function decision(kind: 'approve' | 'deny'): ActionHandler {
  return {
    async describe(request) {
      const loaded = await visible(request);
      if (loaded.waiting.length === 0) return settled(loaded);
      const deadline = loaded.waiting[0]!.approval_deadline;
      const by = deadline
        ? ` Undecided by ${formatInstant(deadline, loaded.series.time_zone)}, the venue's default applies.`
        : '';
      return {
        ...seriesPage(
          'ok',
          'info',
          kind === 'approve'
            ? `Approve all ${countOf(loaded.waiting.length)}?`
            : `Deny all ${countOf(loaded.waiting.length)}?`,
          `${loaded.series.user_name} asks to book ${loaded.series.venue_name} for "${loaded.series.event_name}", ${describeRecurrence(loaded.series.rrule)}.${by} To deny a single date, use Requests in BookIT.`,
          loaded,
          loaded.waiting,
        ),
        button: kind === 'approve' ? { label: 'Approve all', tone: 'primary' } : { label: 'Deny all', tone: 'danger' },
      };
    },
    async perform(request) {
      const loaded = await visible(request);
      if (loaded.waiting.length === 0) return settled(loaded);
      let decided: number[];
      try {
        ({ decided } = await decideSeries(
          request.deps,
          request.user,
          loaded.series.id,
          kind === 'approve' ? { approve: true } : { approve: false, reason: "Denied by the venue's staff" },
        ));
      } catch (error) {
        if (isConflict(error)) return settled(await visible(request));
        throw error;
      }
      const after = await visible(request);
      return kind === 'approve'
        ? seriesPage(
            'ok',
            'success',
            'Approved',
            `${countOf(decided.length)} of ${after.series.user_name}'s request are approved; they are told now.`,
            after,
            after.occurrences.filter((o) => decided.includes(o.booking_id)),
          )
        : seriesPage(
            'ok',
            'success',
            'Denied',
            `${countOf(decided.length)} of ${after.series.user_name}'s request are denied; they are told, and the slots are offered to anyone waiting.`,
            after,
            after.occurrences.filter((o) => decided.includes(o.booking_id)),
          );
    },
  };
}

export const approveSeriesAction = decision('approve');
export const denySeriesAction = decision('deny');

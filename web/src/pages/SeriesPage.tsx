import { useRoute } from 'preact-iso/router';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/api-error';
import { confirmSeries, fetchSeries } from '../api/booking-series';
import { CancelSeriesDialog, type CancelScope } from '../components/CancelSeriesDialog';
import { ChangeSeriesDialog, type ChangeScope } from '../components/ChangeSeriesDialog';
import { ErrorAlert, Status } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { SeriesOccurrenceList } from '../components/SeriesOccurrenceList';
import { datesCount, describeRule, isUpcoming, movedAlone, seriesStanding } from '../format/series-words';
import { wallTimeWords } from '../format/zoned-time';
import { isBookingNews, useLiveRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { useMe } from '../session/use-me';
import { NotFoundPage } from './NotFoundPage';

/** A repeating booking: the rule in words, every date in the venue's zone with its state, and its changes, cancels and confirm. */
export function SeriesPage() {
  const me = useMe();
  const { params } = useRoute();
  const id = Number(params.id);
  const valid = Number.isSafeInteger(id) && id > 0;
  const series = useLoad(() => (valid ? fetchSeries(id) : Promise.reject(new ApiError(404, 'Not found'))), [id]);
  useLiveRefetch(isBookingNews, series.reload);
  const [cancelling, setCancelling] = useState<CancelScope | null>(null);
  const [changing, setChanging] = useState<ChangeScope | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dates = useRef<HTMLElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  // "Confirm all remaining" is gone once the series is read again with nothing left to confirm:
  // focus stays in the summary instead of falling back to the top of the page. (A cancel's dialog
  // puts focus on the dates itself when it closes, a change's on the summary that says what it did.)
  const refocus = useRef(false);
  useEffect(() => {
    if (!refocus.current || !(document.activeElement === document.body || document.activeElement === null)) return;
    refocus.current = false;
    summary.current?.focus();
  }, [series.data]);

  const missing = series.error instanceof ApiError && (series.error.status === 404 || series.error.status === 400);
  if (missing) return <NotFoundPage message="This repeating booking does not exist or is not yours." />;
  const current = series.data;

  const changed = (message: string) => {
    setError(null);
    setStatus(message);
    series.reload();
  };

  const confirmAll = async () => {
    if (!current) return;
    setBusy(true);
    setError(null);
    setStatus(null);
    refocus.current = false;
    try {
      const { confirmed } = await confirmSeries(current.id);
      refocus.current = true;
      changed(
        confirmed.length > 0
          ? `Confirmed ${datesCount(confirmed.length)}.`
          : 'Every remaining date was already confirmed.',
      );
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const upcoming = current?.occurrences.filter((o) => isUpcoming(o)) ?? [];
  const owner = current !== undefined && current.user === me.id;
  const standing = current ? seriesStanding(current) : null;
  const ownTimes = current ? movedAlone(current).length : 0;

  return (
    <>
      <PageHeading title={current?.event_name ?? 'Repeating booking'} />
      <p>
        <a href="/bookings">All my bookings</a>
      </p>
      <ErrorAlert message={series.error ? errorMessage(series.error) : null} />
      {series.loading && <p class="muted">Loading the repeating booking…</p>}
      {current && (
        <>
          <div class="card series-summary" ref={summary} tabIndex={-1}>
            <dl class="facts">
              <div>
                <dt>Venue</dt>
                <dd>{current.venue_name}</dd>
              </div>
              <div>
                <dt>Repeats</dt>
                <dd>{describeRule(current.rrule, current.first_date)}</dd>
              </div>
              <div>
                <dt>Time</dt>
                <dd>
                  {wallTimeWords(current.start_time)}–{wallTimeWords(current.end_time)}, {current.time_zone} time
                  {ownTimes > 0 && ` (${datesCount(ownTimes)} at ${ownTimes === 1 ? 'its' : 'their'} own time)`}
                </dd>
              </div>
              {!owner && (
                <div>
                  <dt>Booked by</dt>
                  <dd>{current.user_name}</dd>
                </div>
              )}
              {standing && (
                <div>
                  <dt>State</dt>
                  <dd class={current.cancelled_at ? 'state-cancelled' : undefined}>{standing}</dd>
                </div>
              )}
              {current.event_details && (
                <div>
                  <dt>Details</dt>
                  <dd class="pre-line">{current.event_details}</dd>
                </div>
              )}
            </dl>
            {upcoming.length > 0 && (
              <div class="actions">
                {owner && upcoming.some((o) => !o.confirmed) && (
                  <button type="button" class="primary" disabled={busy} onClick={confirmAll}>
                    Confirm all remaining
                  </button>
                )}
                {!current.cancelled_at && (
                  <button type="button" onClick={() => setChanging({ kind: 'all' })}>
                    Change times
                  </button>
                )}
                {!current.cancelled_at && (
                  <button type="button" class="danger" onClick={() => setCancelling({ kind: 'all' })}>
                    Cancel all
                  </button>
                )}
              </div>
            )}
            <Status>{status}</Status>
            <ErrorAlert message={error} />
          </div>
          <section ref={dates} tabIndex={-1} class="series-dates" aria-labelledby="series-dates-heading">
            <h2 id="series-dates-heading">Dates</h2>
            <SeriesOccurrenceList series={current} onCancel={setCancelling} onChange={setChanging} />
          </section>
          <CancelSeriesDialog
            series={current}
            scope={cancelling}
            onClose={() => setCancelling(null)}
            onCancelled={changed}
            focusAfterCancel={() => dates.current}
          />
          <ChangeSeriesDialog
            series={current}
            scope={changing}
            onClose={() => setChanging(null)}
            onChanged={changed}
            focusAfterChange={() => summary.current}
          />
        </>
      )}
    </>
  );
}

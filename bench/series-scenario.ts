// Scenario 8: a term's timetable. The time to book a 52-week series in one request, beside the same
// 52 dates booked one request at a time (the baseline, same run); and the Temporal work it costs
// once every occurrence is asleep until its reminder: executions and history events for the series
// (52 booking workflows and its one notice workflow) beside one single booking's.
import { Client, Connection } from '@temporalio/client';
import type { Cluster } from '../scripts/dev/harness/cluster';
import { call, createUsers, createVenues, eventually, withTokens } from '../scripts/dev/harness/fixtures';
import { workflowCost } from '../scripts/dev/workflow-cost';
import { bookingWorkflowId, noticeWorkflowId } from '../src/temporal/workflow-ids';
import type { Row } from './measure';

const WEEKS = 52;
const DAY = 24 * 3_600_000;

/** A Monday at least `weeksAhead` weeks and two days from now, as YYYY-MM-DD (UTC venues). */
function monday(weeksAhead: number): string {
  const start = new Date(Date.now() + 2 * DAY + weeksAhead * 7 * DAY);
  const ahead = (1 - start.getUTCDay() + 7) % 7;
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + ahead))
    .toISOString()
    .slice(0, 10);
}

export async function seriesScenario(cluster: Cluster): Promise<Row[]> {
  const [seriesVenue, singlesVenue] = await createVenues(cluster.sql, 2, 'bench-series');
  const [member] = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 1, 'member', 'bench-series'));
  const api = cluster.apis[0]!.url!;
  const token = member!.token;

  // Baseline: the same 52 weekly dates, one POST each, one after another.
  const singles: number[] = [];
  const singlesStarted = performance.now();
  for (let week = 0; week < WEEKS; week += 1) {
    const date = monday(week);
    const answer = await call<{ id: number }>(api, 'POST', '/api/bookings/', {
      token,
      body: { venue: singlesVenue, date, start_time: '10:00', end_time: '12:00', event_name: 'One at a time' },
    });
    if (answer.status !== 201) throw new Error(`a single booking answered ${answer.status}`);
    singles.push(answer.body.id);
  }
  const singlesMs = performance.now() - singlesStarted;

  const seriesStarted = performance.now();
  const answer = await call<{ id: number; occurrences: { booking_id: number }[] }>(api, 'POST', '/api/booking_series', {
    token,
    body: {
      venue: seriesVenue,
      date: monday(0),
      start_time: '10:00',
      end_time: '12:00',
      event_name: 'A term',
      rrule: `FREQ=WEEKLY;BYDAY=MO;COUNT=${WEEKS}`,
    },
  });
  const seriesMs = performance.now() - seriesStarted;
  if (answer.status !== 201 || answer.body.occurrences.length !== WEEKS)
    throw new Error(`the series answered ${answer.status}`);

  // Counted once every workflow has made its first moves (told, and asleep until its reminder).
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  try {
    const client = new Client({ connection, namespace: cluster.temporalNamespace });
    const asleep = async (workflowId: string) =>
      eventually(
        async () => {
          const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
          return (
            events.some((e) => e.timerStartedEventAttributes) ||
            events.some((e) => e.workflowExecutionCompletedEventAttributes)
          );
        },
        `${workflowId} asleep`,
        300_000,
        500,
      );
    const ids = answer.body.occurrences.map((o) => bookingWorkflowId(o.booking_id));
    for (const id of ids) await asleep(id);
    const notice = noticeWorkflowId(`series-${answer.body.id}-booked`);
    await eventually(
      async () => (await client.workflow.getHandle(notice).describe()).status.name === 'COMPLETED',
      'the series notice',
      300_000,
      500,
    );
    const single = bookingWorkflowId(singles[0]!);
    await asleep(single);
    const costs = await Promise.all([...ids, notice].map((id) => workflowCost(client, id)));
    const series = costs.reduce(
      (sum, c) => ({ executions: sum.executions + c.executions, events: sum.events + c.historyEvents }),
      { executions: 0, events: 0 },
    );
    const one = await workflowCost(client, single);
    return [
      {
        scenario: '8 series',
        measure: `book ${WEEKS} weekly dates in one request`,
        figure: Math.round(seriesMs),
        unit: 'ms',
        baseline: { what: `${WEEKS} single bookings, one request each`, value: Math.round(singlesMs), unit: 'ms' },
        ratio: seriesMs / singlesMs,
        target: '< 1 (one transaction beats 52 round trips)',
        pass: seriesMs < singlesMs,
      },
      {
        scenario: '8 series',
        measure: 'history events per occurrence, asleep until its reminder',
        figure: Math.round((series.events / WEEKS) * 10) / 10,
        unit: '',
        baseline: { what: 'one single booking at the same point', value: one.historyEvents, unit: '' },
        ratio: series.events / WEEKS / one.historyEvents,
        target: '≤ 1 (one notice for the series, none per date)',
        pass: series.events / WEEKS <= one.historyEvents,
        detail: `${series.executions} executions (${WEEKS} bookings and 1 notice workflow), ${series.events} history events in all`,
      },
    ];
  } finally {
    await connection.close();
  }
}

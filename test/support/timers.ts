import assert from 'node:assert/strict';
import { tsToMs } from '@temporalio/common/lib/time';
import type { WorkflowHandle } from '@temporalio/client';

/** A durable timer as the history records it, in server time (the workflow's clock). */
export interface ArmedTimer {
  /** Its duration added to the start of the task that armed it. */
  armedFromTaskStart: number;
  /** How long that task ran (started to completed): the workflow read its clock somewhere inside it. */
  armingTaskMs: number;
  /** When it fired, and when the task it woke started and completed; null while it sleeps. */
  firedAt: number | null;
  wokeTask: { startedAt: number; completedAt: number | null } | null;
}

/** Every timer of the workflow, read from its history. */
export async function armedTimers(handle: WorkflowHandle): Promise<ArmedTimer[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const timers = new Map<string, ArmedTimer>();
  let task = { startedAt: 0, completedAt: null as number | null };
  let armedInTask: ArmedTimer[] = [];
  let waking: ArmedTimer[] = [];
  for (const event of events) {
    const at = tsToMs(event.eventTime);
    if (event.workflowTaskStartedEventAttributes) {
      task = { startedAt: at, completedAt: null };
      for (const timer of waking) timer.wokeTask = task;
      waking = [];
      armedInTask = [];
    }
    if (event.workflowTaskCompletedEventAttributes) task.completedAt = at;
    const started = event.timerStartedEventAttributes;
    if (started) {
      // Commands follow their task's WorkflowTaskCompleted event.
      const timer: ArmedTimer = {
        armedFromTaskStart: task.startedAt + tsToMs(started.startToFireTimeout),
        armingTaskMs: (task.completedAt ?? at) - task.startedAt,
        firedAt: null,
        wokeTask: null,
      };
      timers.set(String(event.eventId), timer);
      armedInTask.push(timer);
    }
    const fired = event.timerFiredEventAttributes;
    if (fired) {
      const timer = timers.get(String(fired.startedEventId));
      if (timer) {
        timer.firedAt = at;
        waking.push(timer);
      }
    }
  }
  return [...timers.values()];
}

/**
 * The step recorded at `actual` was taken, for the policy's instant `expected`, by the task a timer
 * set for exactly that instant woke. Exactly: the workflow asked for `expected` minus its clock, and
 * its clock stood somewhere inside the arming task, so the duration in history, counted from that
 * task's start, falls short of `expected` by no more than the task's own run. The step then runs in
 * the task the timer woke, never before `expected`. (The timer starts when the server takes the
 * arming task's commands, after the local activities that task ran, so it fires that much after.)
 */
export async function assertTimerStep(
  handle: WorkflowHandle,
  actual: Date | null,
  expected: number,
  what: string,
): Promise<void> {
  assert.ok(actual, `${what} happened`);
  const timers = await armedTimers(handle);
  const timer = timers.find(
    (t) => t.armedFromTaskStart <= expected && expected - t.armedFromTaskStart <= t.armingTaskMs,
  );
  const armed = timers.map((t) => `${new Date(t.armedFromTaskStart).toISOString()} (+${t.armingTaskMs} ms)`).join(', ');
  assert.ok(timer, `a timer set for exactly ${new Date(expected).toISOString()} (${what}); timers: ${armed}`);
  assert.ok(timer.firedAt !== null && timer.wokeTask, `the ${what} timer fired`);
  assert.ok(actual.getTime() >= expected, `${what} not before its instant`);
  const woke = timer.wokeTask;
  assert.ok(
    actual.getTime() >= woke.startedAt && actual.getTime() <= (woke.completedAt ?? Infinity),
    `${what} (${actual.toISOString()}) recorded inside the task its timer woke (${new Date(woke.startedAt).toISOString()}–${woke.completedAt === null ? '…' : new Date(woke.completedAt).toISOString()})`,
  );
}

import type { Sql } from '../../src/db/sql';

export const BARE_TIMER_TABLE = 'bench_bare_timer_fired';

/** The bare workflow's table: when each timer was due, and when its row was written. */
export async function createBareTimerTable(sql: Sql): Promise<void> {
  await sql`create table if not exists bench_bare_timer_fired (
    workflow_id text primary key, due_at timestamptz not null, written_at timestamptz not null default clock_timestamp())`;
}

export function bareTimerActivities(sql: Sql) {
  return {
    async recordTimerFired(workflowId: string, dueAtMs: number): Promise<void> {
      await sql`insert into bench_bare_timer_fired (workflow_id, due_at) values (${workflowId}, ${new Date(dueAtMs)}) on conflict do nothing`;
    },
  };
}

export type BareTimerActivities = ReturnType<typeof bareTimerActivities>;

import type { SignalDefinition } from '@temporalio/common';
import type { WorkflowInput, WorkflowName } from '../contracts/workflow-types';
import type { Queryable, Sql, TransactionSql } from './sql';

export const OUTBOX_CHANNEL = 'bookit_outbox';

export interface StartWorkflowMessage {
  kind: 'start';
  workflowId: string;
  workflowType: string;
  args: unknown[];
  /** Shown in the Web UI's list and header. */
  staticSummary?: string;
  staticDetails?: string;
}

export interface SignalWorkflowMessage {
  kind: 'signal';
  workflowId: string;
  signal: string;
  args: unknown[];
}

export interface SignalWithStartMessage {
  kind: 'signal_with_start';
  workflowId: string;
  workflowType: string;
  args: unknown[];
  signal: string;
  signalArgs: unknown[];
  staticSummary?: string;
}

/** A row as stored and as the relay delivers it; written only through `outbox` below. */
export type OutboxMessage = StartWorkflowMessage | SignalWorkflowMessage | SignalWithStartMessage;

export interface PendingMessage {
  id: number;
  attempts: number;
  message: OutboxMessage;
}

/**
 * Records a workflow start or signal in the same transaction as the state it follows from; the
 * relay delivers it once Temporal answers. NOTIFY (sent on commit) wakes the relay at once.
 */
async function enqueue(tx: Queryable, message: OutboxMessage): Promise<void> {
  const { kind, workflowId, ...payload } = message;
  await tx`insert into outbox (kind, workflow_id, payload) values (${kind}, ${workflowId}, ${tx.json(payload as never)})`;
  await tx`select pg_notify(${OUTBOX_CHANNEL}, '')`;
}

/** What the Web UI shows for a started workflow. */
export interface StartDisplay {
  staticSummary?: string;
  staticDetails?: string;
}

/**
 * Workflow starts and signals, written in the caller's transaction and delivered by the relay. They
 * take the workflows' own definitions (a type name from src/contracts/workflow-types.ts, a signal from
 * `defineSignal`), so a wrong input or signal argument fails to compile; only names are stored.
 */
export const outbox = {
  /** Starts `workflow` as `workflowId` once the transaction commits; a second start of the id changes nothing. */
  async start<N extends WorkflowName>(
    tx: Queryable,
    workflow: N,
    workflowId: string,
    input: WorkflowInput<N>,
    display: StartDisplay = {},
  ): Promise<void> {
    await enqueue(tx, { kind: 'start', workflowId, workflowType: workflow, args: [input], ...display });
  },

  /** Signals the running workflow `workflowId`; dropped if it has ended by then. */
  async signal<Args extends unknown[]>(
    tx: Queryable,
    signal: SignalDefinition<Args>,
    workflowId: string,
    ...args: NoInfer<Args>
  ): Promise<void> {
    await enqueue(tx, { kind: 'signal', workflowId, signal: signal.name, args });
  },

  /** Signals `workflowId`, starting it with `input` first when it is not running. */
  async signalWithStart<N extends WorkflowName, Args extends unknown[]>(
    tx: Queryable,
    workflow: N,
    workflowId: string,
    input: WorkflowInput<N>,
    signal: SignalDefinition<Args>,
    signalArgs: NoInfer<Args>,
    display: Pick<StartDisplay, 'staticSummary'> = {},
  ): Promise<void> {
    await enqueue(tx, {
      kind: 'signal_with_start',
      workflowId,
      workflowType: workflow,
      args: [input],
      signal: signal.name,
      signalArgs,
      ...display,
    });
  },
};

/** Which of these workflows still have a start or signal waiting in the outbox. */
export async function undeliveredWorkflowIds(sql: Queryable, workflowIds: readonly string[]): Promise<Set<string>> {
  if (workflowIds.length === 0) return new Set();
  const rows = await sql<{ workflow_id: string }[]>`
    select distinct workflow_id from outbox where delivered_at is null and workflow_id = any(${workflowIds as string[]}::text[])`;
  return new Set(rows.map((row) => row.workflow_id));
}

/**
 * Claims a batch of due messages, oldest first, skipping rows another relay holds. A message
 * waits while an earlier one for the same workflow is backing off, so a signal never overtakes
 * the start it follows.
 */
export async function claimDueMessages(tx: TransactionSql, limit: number): Promise<PendingMessage[]> {
  const rows = await tx<
    {
      id: number;
      kind: OutboxMessage['kind'];
      workflow_id: string;
      payload: Record<string, unknown>;
      attempts: number;
    }[]
  >`
    select id, kind, workflow_id, payload, attempts from outbox o
    where delivered_at is null and next_attempt_at <= now()
      and not exists (
        select 1 from outbox earlier
        where earlier.workflow_id = o.workflow_id and earlier.delivered_at is null and earlier.id < o.id and earlier.next_attempt_at > now())
    order by id
    limit ${limit}
    for update skip locked`;
  return rows.map((row) => ({
    id: row.id,
    attempts: row.attempts,
    message: { kind: row.kind, workflowId: row.workflow_id, ...row.payload } as OutboxMessage,
  }));
}

export async function markDelivered(tx: TransactionSql, id: number): Promise<void> {
  await tx`update outbox set delivered_at = now(), attempts = attempts + 1, last_error = null where id = ${id} and delivered_at is null`;
}

/** Backs off 1 s, 2 s, 4 s, then every 5 s, so a delivery is never long behind its cause. */
export async function markFailed(tx: TransactionSql, id: number, attempts: number, error: string): Promise<void> {
  const delaySeconds = Math.min(5, 2 ** Math.min(attempts, 3));
  await tx`
    update outbox set attempts = attempts + 1, last_error = ${error.slice(0, 500)},
      next_attempt_at = now() + make_interval(secs => ${delaySeconds})
    where id = ${id}`;
}

export async function countPending(sql: Sql): Promise<number> {
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from outbox where delivered_at is null`;
  return row!.count;
}

import { insertBroadcast, type BroadcastRow } from './store';
import { outbox } from '../db/outbox';
import type { Sql } from '../db/sql';
import type { ActingUser } from '../domain/acting-user';
import { broadcastWorkflowId } from '../temporal/workflow-ids';
import { workflowTypes } from '../contracts/workflow-types';

export interface Announcement {
  title: string;
  message: string;
  link?: string;
}

/**
 * A super admin's announcement to every active user: the broadcast and its workflow's start are
 * written in one transaction; the workflow writes the notifications in batches afterwards.
 */
export async function sendBroadcast(
  sql: Sql,
  sender: Pick<ActingUser, 'id'>,
  announcement: Announcement,
): Promise<{ broadcast: BroadcastRow; activeUsers: number }> {
  return sql.begin(async (tx) => {
    const created = await insertBroadcast(tx, { ...announcement, createdBy: sender.id });
    await outbox.start(
      tx,
      workflowTypes.broadcastWorkflow,
      broadcastWorkflowId(created.broadcast.id),
      { broadcastId: created.broadcast.id },
      {
        staticSummary: `Broadcast ${created.broadcast.id} to ${created.activeUsers} users`,
      },
    );
    return created;
  }) as Promise<{ broadcast: BroadcastRow; activeUsers: number }>;
}

import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../db/sql';
import { isDatabaseUnavailable } from '../db/error-codes';

interface GateState {
  down: boolean;
  probing: boolean;
}

const gates = new WeakMap<Sql, GateState>();
const gateOf = (sql: Sql): GateState => gates.get(sql) ?? gates.set(sql, { down: false, probing: false }).get(sql)!;

/** Records that a request just failed to reach PostgreSQL. */
export function markDatabaseDown(sql: Sql): void {
  gateOf(sql).down = true;
}

/**
 * While PostgreSQL is unreachable, one request at a time goes through to find out whether it is
 * back; every other request answers 503 at once instead of queueing behind connection attempts.
 * The first request that gets through without a connection error opens the gate again.
 */
export function failFastWhileDatabaseDown(sql: Sql): MiddlewareHandler {
  const gate = gateOf(sql);
  return async (c, next) => {
    if (!gate.down) return next();
    if (gate.probing) {
      c.header('Retry-After', '1');
      return c.json({ error: 'The database is unavailable; try again shortly' }, 503);
    }
    gate.probing = true;
    try {
      await next();
      if (!c.error || !isDatabaseUnavailable(c.error)) gate.down = false;
    } finally {
      gate.probing = false;
    }
  };
}

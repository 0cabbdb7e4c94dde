import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

/**
 * One pool per process. Bigints come back as JS numbers (ids stay far below 2^53), and
 * notices are silenced because `CREATE ... IF NOT EXISTS` would otherwise print them.
 */
export function createSql(url: string, options: { max?: number; idleTimeoutSeconds?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutSeconds ?? 30,
    connect_timeout: 5,
    onnotice: () => {},
    types: {
      bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
    },
    connection: { application_name: 'bookit' },
  });
}

/** Anything a query can run on: the pool or an open transaction. */
export type Queryable = Sql | TransactionSql;

const DEADLOCK_DETECTED = '40P01';

/**
 * A transaction retried when PostgreSQL aborts it as a deadlock victim. Concurrent inserts of
 * overlapping bookings can deadlock inside the exclusion constraint (each waits for the other's
 * uncommitted row); the retry then sees the winner and fails as a plain overlap (409), never a 500.
 */
export async function transactionRetryingDeadlocks<T>(sql: Sql, work: (tx: TransactionSql) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await sql.begin(work)) as T;
    } catch (error) {
      if ((error as { code?: string } | null)?.code !== DEADLOCK_DETECTED || attempt >= attempts) throw error;
    }
  }
}

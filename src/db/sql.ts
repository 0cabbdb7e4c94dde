import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

/**
 * One pool per role in a process (the API's, the worker's). Bigints come back as JS numbers (ids stay far below 2^53), and
 * notices are silenced because `CREATE ... IF NOT EXISTS` would otherwise print them.
 */
export function createSql(
  url: string,
  options: { max?: number; idleTimeoutSeconds?: number; applicationName?: string } = {},
): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutSeconds ?? 30,
    connect_timeout: 5,
    onnotice: () => {},
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (value: number) => String(value),
        parse: (value: string) => Number(value),
      },
    },
    // Names the pool in pg_stat_activity, so an operator sees which one holds the connections.
    connection: { application_name: options.applicationName ?? 'bookit' },
  });
}

/** Anything a query can run on: the pool or an open transaction. */
export type Queryable = Sql | TransactionSql;

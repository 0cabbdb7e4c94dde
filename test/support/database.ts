import { randomBytes } from 'node:crypto';
import { createSql, type Sql } from '../../src/db/sql';

export const TEMPLATE_DATABASE = 'bookit_template';

export interface TestDatabase {
  sql: Sql;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template, so each test file owns its rows. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createSql(serverUrl, { max: 1 });
  await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString(), { max: 10 });
  // Workflow ids come from row ids (`booking-42`), and every file's database would count from 1 on
  // the run's one Temporal dev server: each file's ids start in a range of its own (its process id,
  // unique among the files running at once), so no file's booking-1 is another's.
  await sql`select setval(c.oid::regclass, ${process.pid * 1_000_000}) from pg_class c where c.relkind = 'S'`;
  return {
    sql,
    url: url.toString(),
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

// Drill 5c: password guessing against the real cluster. 1 000 wrong passwords at one account from one
// address, then 1 000 at made-up accounts from another, spread over both API processes (the throttle
// lives in PostgreSQL, so they share it). Each connection really comes from its own loopback address
// (127.0.0.2, 127.0.0.3), so the per-address rule sees what it would in production, without trusting
// any header. The hashes that ran are counted from the APIs' own logs (one `sign-in failed` or
// `signed in` line per password checked), not timed; and the account's owner, from the address they
// always use, still signs in.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Cluster } from '../scripts/dev/harness/cluster';
import { call, createUsers, FIXTURE_PASSWORD } from '../scripts/dev/harness/fixtures';
import { ACCOUNT_FREE_FAILURES, ADDRESS_FREE_FAILURES } from '../src/users/sign-in-throttle';
import type { DrillReport } from './report';

const GUESSES = 1_000;
/** Guesses in flight at once, as a patient attacker would keep them. */
const PARALLEL = 20;
/**
 * Each lapse of the lock lets one more guess through and doubles the next wait (1 s, 2 s, 4 s ...):
 * within an hour that is at most 13 lapses, however fast the guesses come.
 */
const LAPSES_WITHIN_AN_HOUR = 13;
const OWNER_ADDRESS = '127.0.0.1';
const ONE_ACCOUNT_ATTACKER = '127.0.0.2';
const SPRAYER = '127.0.0.3';
const STRANGER = '127.0.0.4';

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

const agents = new Map<string, http.Agent>();

/** POST /api/auth/login over a connection from `localAddress`. */
function loginFrom(api: string, localAddress: string, email: string, password: string): Promise<Answer> {
  const url = new URL('/api/auth/login', api);
  const payload = JSON.stringify({ email, password });
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL });
    agents.set(localAddress, agent);
  }
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'] as string | undefined,
            body,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** `count` logins from `address`, PARALLEL at a time, alternating between the API processes. */
async function fire(
  cluster: Cluster,
  address: string,
  count: number,
  attempt: (i: number) => { email: string; password: string },
): Promise<Answer[]> {
  const apis = cluster.apis.map((piece) => piece.url!);
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < count) {
        const i = next++;
        const { email, password } = attempt(i);
        answers.push(await loginFrom(apis[i % apis.length]!, address, email, password));
      }
    }),
  );
  return answers;
}

/** Where each API's log ends now, so only lines written after can be counted. */
async function logMarks(cluster: Cluster): Promise<Map<string, number>> {
  const marks = new Map<string, number>();
  for (const piece of cluster.apis)
    marks.set(
      piece.name,
      await stat(logFile(cluster, piece.name)).then(
        (s) => s.size,
        () => 0,
      ),
    );
  return marks;
}

const logFile = (cluster: Cluster, name: string) => path.join(cluster.rootDir, 'logs', `${name}.log`);

/** Passwords checked (one scrypt hash each) for attempts from `address` since the marks, across every API. */
async function hashesSince(cluster: Cluster, marks: Map<string, number>, address: string): Promise<number> {
  let count = 0;
  for (const piece of cluster.apis) {
    const text = (await readFile(logFile(cluster, piece.name))).subarray(marks.get(piece.name) ?? 0).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { msg?: string; address?: string };
      if ((entry.msg === 'sign-in failed' || entry.msg === 'signed in') && entry.address === address) count++;
    }
  }
  return count;
}

function tally(answers: Answer[]): { byStatus: string; throttled: Answer[]; other: Answer[] } {
  const counts = new Map<number, number>();
  for (const answer of answers) counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
  return {
    byStatus: [...counts]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${n}× ${status}`)
      .join(', '),
    throttled: answers.filter((answer) => answer.status === 429),
    other: answers.filter((answer) => answer.status !== 429 && answer.status !== 401),
  };
}

/** Every 429 says how long to wait and is the API's usual `{"error": ...}`. */
function wellFormed(throttled: Answer[]): boolean {
  return throttled.every(
    (answer) => /^\d+$/.test(answer.retryAfter ?? '') && /^\{"error":"[^"]+"\}$/.test(answer.body),
  );
}

export async function signInBruteForce(cluster: Cluster, report: DrillReport): Promise<void> {
  const [owner] = await createUsers(cluster.sql, 1, 'member', 'drill5-guessed');
  const ownerLogin = () =>
    call(cluster.apis[0]!.url!, 'POST', '/api/auth/login', {
      body: { email: owner!.email, password: FIXTURE_PASSWORD },
    });
  // The owner has signed in from their usual address before, as a real user has.
  report.expect((await ownerLogin()).status === 200, `the owner signs in from ${OWNER_ADDRESS} before the attack`);

  const oneAccountMarks = await logMarks(cluster);
  const oneAccount = await fire(cluster, ONE_ACCOUNT_ATTACKER, GUESSES, (i) => ({
    email: owner!.email,
    password: `guess-${i}`,
  }));
  const oneAccountHashes = await hashesSince(cluster, oneAccountMarks, ONE_ACCOUNT_ATTACKER);
  const first = tally(oneAccount);
  report.did(
    `${GUESSES} wrong passwords at one account from ${ONE_ACCOUNT_ATTACKER} over ${cluster.apis.length} APIs: ${first.byStatus}; ${oneAccountHashes} passwords hashed`,
  );
  report.expect(
    oneAccountHashes >= 1 &&
      oneAccountHashes <= ACCOUNT_FREE_FAILURES + LAPSES_WITHIN_AN_HOUR &&
      first.other.length === 0,
    `one account: ${oneAccountHashes} scrypt hashes for ${GUESSES} guesses (bound: ${ACCOUNT_FREE_FAILURES} free + ${LAPSES_WITHIN_AN_HOUR} lapses), the rest refused before hashing`,
  );
  report.expect(
    first.throttled.length === GUESSES - oneAccountHashes && wellFormed(first.throttled),
    `one account: all ${first.throttled.length} refusals are 429 with Retry-After and {"error": ...}`,
  );

  const stranger = await loginFrom(cluster.apis[1]!.url!, STRANGER, owner!.email, FIXTURE_PASSWORD);
  report.expect(
    stranger.status === 429,
    `while the account is locked, even its password from an address never used for it (${STRANGER}) waits (${stranger.status})`,
  );
  const ownerMarks = await logMarks(cluster);
  const during = await ownerLogin();
  report.expect(
    during.status === 200 && (await hashesSince(cluster, ownerMarks, OWNER_ADDRESS)) === 1,
    `the owner still signs in from ${OWNER_ADDRESS}, their usual address, while the attack's lock holds (${during.status})`,
  );

  const sprayMarks = await logMarks(cluster);
  const run = Date.now().toString(36);
  const spray = await fire(cluster, SPRAYER, GUESSES, (i) => ({
    email: `drill5-spray-${run}-${i}@bookit.test`,
    password: 'Summer2025!',
  }));
  const sprayHashes = await hashesSince(cluster, sprayMarks, SPRAYER);
  const second = tally(spray);
  report.did(
    `${GUESSES} passwords at ${GUESSES} made-up accounts from ${SPRAYER}: ${second.byStatus}; ${sprayHashes} passwords hashed`,
  );
  report.expect(
    sprayHashes >= 1 && sprayHashes <= ADDRESS_FREE_FAILURES + LAPSES_WITHIN_AN_HOUR && second.other.length === 0,
    `many accounts, one address: ${sprayHashes} scrypt hashes for ${GUESSES} guesses (bound: ${ADDRESS_FREE_FAILURES} free + ${LAPSES_WITHIN_AN_HOUR} lapses)`,
  );
  report.expect(
    second.throttled.length === GUESSES - sprayHashes && wellFormed(second.throttled),
    `many accounts: all ${second.throttled.length} refusals are 429 with Retry-After and {"error": ...}`,
  );
  const [{ rows }] = await cluster.sql<
    [{ rows: number }]
  >`select count(*)::int as rows from sign_in_throttle where key like ${`account:drill5-spray-${run}-%`}`;
  report.expect(
    rows === sprayHashes,
    `refused guesses left no rows behind: ${rows} account rows for ${sprayHashes} checked guesses`,
  );

  const after = await ownerLogin();
  report.expect(after.status === 200, `afterwards the owner signs in as usual (${after.status})`);
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ICruiseResult } from 'dependency-cruiser';

const ROOT = path.resolve(import.meta.dirname, '..');

// dependency-cruiser's cruise API, run in a plain Node process: under tsx's loader, its dynamic
// import of @swc/core/Visitor.js comes back with a different default export and the parser breaks.
const CRUISE = `
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const { output } = await cruise(['src', 'workflows', 'activities'], { ...options, validate: true });
const packages = new Set();
for (const module of output.modules) {
  if (!['src/', 'workflows/', 'activities/'].some((room) => module.source.startsWith(room))) continue;
  for (const dependency of module.dependencies) {
    const types = dependency.dependencyTypes;
    if (!types.some((type) => type.startsWith('npm')) || types.includes('type-only')) continue;
    const parts = dependency.module.split('/');
    packages.add(parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
}
process.stdout.write(JSON.stringify({ summary: output.summary, packages: [...packages].sort() }));
`;

interface Cruised {
  summary: ICruiseResult['summary'];
  /** The packages the product imports at run time (type-only imports left out: the build erases them). */
  packages: string[];
}

let cruised: Promise<Cruised> | undefined;
function cruiseProduct(): Promise<Cruised> {
  cruised ??= (async () => {
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CRUISE], {
      cwd: ROOT,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout) as Cruised;
  })();
  return cruised;
}

describe('the layout in ARCHITECTURE.md holds', () => {
  it('no room imports what .dependency-cruiser.cjs forbids (HTTP below the API, Hono outside it, code from src/ in workflows, cycles)', async () => {
    const { summary } = await cruiseProduct();
    assert.ok(summary.totalCruised > 100, `cruised only ${summary.totalCruised} modules: is the swc parser available?`);
    const broken = summary.violations.map((v) => {
      const cycle = v.cycle?.length ? ` (cycle: ${[v.from, ...v.cycle.map((step) => step.name)].join(' → ')})` : '';
      return `${v.rule.severity} ${v.rule.name}: ${v.from} → ${v.to}${cycle}`;
    });
    assert.deepEqual(broken, [], `dependency rules broken:\n${broken.join('\n')}`);
  });

  it('every package in dependencies is one the product imports at run time: what only tools, tests or the web build use is a devDependency', async () => {
    // The other half (the product imports no devDependency) is the rule production-imports-no-devdependency above.
    const { dependencies } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const { packages } = await cruiseProduct();
    assert.deepEqual(
      Object.keys(dependencies).filter((name) => !packages.includes(name)),
      [],
      'the production image installs dependencies only (npm ci --omit=dev); these belong in devDependencies',
    );
  });

  it('only the notices room sends email or writes in-app notifications, even without importing its helpers', async () => {
    // The dependency rule above catches imports of the sending modules; this catches the same done
    // by hand: a transport's sendMail, or SQL that inserts notifications, anywhere else.
    const offenders: string[] = [];
    for (const room of ['src', 'workflows', 'activities']) {
      for (const entry of await readdir(path.join(ROOT, room), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
        const file = path.relative(ROOT, path.join(entry.parentPath, entry.name));
        const text = await readFile(path.join(ROOT, file), 'utf8');
        if (/\.sendMail\s*\(/.test(text) && file !== path.join('src', 'mail', 'smtp-relays.ts'))
          offenders.push(`${file} sends mail`);
        if (/insert\s+into\s+notifications\b/i.test(text) && !file.startsWith(path.join('src', 'notices') + path.sep))
          offenders.push(`${file} writes notifications`);
      }
    }
    assert.deepEqual(
      offenders,
      [],
      'sending belongs to src/notices (src/mail/smtp-relays.ts is the transport it uses)',
    );
  });

  it('every table is written only by the room that owns it, and read elsewhere only where the list below says why', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles()) {
      const text = await readFile(path.join(ROOT, file), 'utf8');
      const room = roomOf(file);
      for (const [table, { owners, readers }] of Object.entries(TABLES)) {
        for (const match of text.matchAll(
          new RegExp(String.raw`\b(insert\s+into|update|delete\s+from|from|join)\s+${table}\b`, 'gi'),
        )) {
          const writes = !/^(from|join)$/i.test(match[1]!);
          if (owners.includes(room) || (!writes && room in readers)) continue;
          offenders.push(`${file} ${writes ? 'writes' : 'reads'} ${table} (owned by ${owners.join(', ')})`);
        }
      }
    }
    assert.deepEqual(
      [...new Set(offenders)],
      [],
      "a room calls the owner's queries instead (or the list says why it may read)",
    );
  });
});

/** The room a source file belongs to: `src/<folder>`, or the top-level folder. */
function roomOf(file: string): string {
  const parts = file.split(path.sep);
  return parts[0] === 'src' ? `src/${parts[1]}` : parts[0]!;
}

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const room of ['src', 'workflows', 'activities']) {
    for (const entry of await readdir(path.join(ROOT, room), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts'))
        files.push(path.relative(ROOT, path.join(entry.parentPath, entry.name)));
    }
  }
  return files;
}

/**
 * Who owns each table (every write, and its own reads) and which other rooms may read it, with why:
 * a read view joins a name or a zone, or a query asks one question another room cannot answer by
 * calling the owner. A new table or reader is added here, with its reason.
 */
const TABLES: Record<string, { owners: string[]; readers: Record<string, string> }> = {
  bookings: {
    owners: ['src/bookings'],
    readers: {
      'src/series': 'a series lists its occurrences as they stand',
      'src/availability': 'the room finder subtracts what active bookings block, in one statement',
    },
  },
  booking_series: { owners: ['src/series'], readers: {} },
  waitlist_entries: { owners: ['src/waitlist'], readers: {} },
  waitlist_slots: { owners: ['src/waitlist'], readers: {} },
  users: {
    owners: ['src/users'],
    readers: {
      'src/bookings': 'booking views name the booker and the canceller',
      'src/waitlist': 'waitlist views name the waiter; offers go only to active members',
      'src/venues': "a venue's hall admins, with their names and addresses",
      'src/notifications': 'the inbox answers only an active account',
      'src/broadcasts': 'an announcement counts the active users it will reach',
      'src/notices': "an announcement's rows go to active users who want it, in one statement per batch",
      'src/calendar': "a feed URL answers only while its owner's account is active",
      'src/digest': 'who gets a digest: active hall admins',
      'src/series': 'a series names its booker',
    },
  },
  refresh_tokens: { owners: ['src/users'], readers: {} },
  sign_in_throttle: { owners: ['src/users'], readers: {} },
  welcome_passwords: { owners: ['src/users'], readers: {} },
  venues: {
    owners: ['src/venues'],
    readers: {
      'src/bookings': "booking views and rules read the venue's name, zone and check-in window",
      'src/waitlist': 'waitlist views name the venue and its zone',
      'src/digest': 'digests are per venue zone',
      'src/preferences': 'a muted venue is named in the reason an alert was held back',
      'src/series': 'a series names its venue and reads its zone',
      'src/availability': 'the room finder reads its zone, capacity and whether it is archived',
    },
  },
  venue_admins: {
    owners: ['src/venues'],
    readers: {
      'src/availability': "a venue's staff may book it whatever its rules",
      'src/bookings': "a hall admin sees their venues' bookings and agenda",
      'src/calendar': "a hall admin's feed holds their venues' bookings",
      'src/digest': "a digest covers the admin's venues",
      'src/preferences': "only a venue's admin may mute its alerts",
    },
  },
  venue_alert_mutes: { owners: ['src/preferences'], readers: {} },
  amenities: {
    owners: ['src/venues'],
    readers: { 'src/availability': 'the room finder reads it in its one statement' },
  },
  venue_amenities: {
    owners: ['src/venues'],
    readers: { 'src/availability': 'the room finder reads it in its one statement' },
  },
  venue_rules: {
    owners: ['src/rules'],
    readers: { 'src/availability': 'the room finder reads it in its one statement' },
  },
  venue_hours: {
    owners: ['src/rules'],
    readers: { 'src/availability': 'the room finder reads it in its one statement' },
  },
  venue_closures: {
    owners: ['src/rules'],
    readers: { 'src/availability': 'the room finder reads it in its one statement' },
  },
  venue_bookers: {
    owners: ['src/rules'],
    readers: { 'src/availability': 'the room finder reads it in its one statement' },
  },
  notification_preferences: { owners: ['src/preferences'], readers: {} },
  notifications: { owners: ['src/notices', 'src/notifications'], readers: {} },
  broadcasts: {
    owners: ['src/broadcasts'],
    readers: { 'src/notices': "an announcement's batch reads its title, message and time" },
  },
  email_log: { owners: ['src/notices'], readers: {} },
  email_suppressions: { owners: ['src/notices'], readers: {} },
  calendar_feeds: { owners: ['src/calendar'], readers: {} },
  daily_digests: { owners: ['src/digest'], readers: {} },
  webhook_endpoints: { owners: ['src/webhooks'], readers: {} },
  webhook_deliveries: { owners: ['src/webhooks'], readers: {} },
  stream_tickets: { owners: ['src/realtime'], readers: {} },
  sso_identities: { owners: ['src/sso'], readers: {} },
  sso_sessions: { owners: ['src/sso'], readers: {} },
  outbox: { owners: ['src/db', 'src/temporal'], readers: {} },
};

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
process.stdout.write(JSON.stringify(output.summary));
`;

async function cruiseSummary(): Promise<ICruiseResult['summary']> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CRUISE], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as ICruiseResult['summary'];
}

describe('the layout in ARCHITECTURE.md holds', () => {
  it('no room imports what .dependency-cruiser.cjs forbids (HTTP below the API, Hono outside it, code from src/ in workflows, cycles)', async () => {
    const summary = await cruiseSummary();
    assert.ok(summary.totalCruised > 100, `cruised only ${summary.totalCruised} modules: is the swc parser available?`);
    const broken = summary.violations.map((v) => {
      const cycle = v.cycle?.length ? ` (cycle: ${[v.from, ...v.cycle.map((step) => step.name)].join(' → ')})` : '';
      return `${v.rule.severity} ${v.rule.name}: ${v.from} → ${v.to}${cycle}`;
    });
    assert.deepEqual(broken, [], `dependency rules broken:\n${broken.join('\n')}`);
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
        if (/\.sendMail\s*\(/.test(text) && file !== path.join('src', 'mail', 'smtp-relays.ts')) offenders.push(`${file} sends mail`);
        if (/insert\s+into\s+notifications\b/i.test(text) && !file.startsWith(path.join('src', 'notices') + path.sep)) offenders.push(`${file} writes notifications`);
      }
    }
    assert.deepEqual(offenders, [], 'sending belongs to src/notices (src/mail/smtp-relays.ts is the transport it uses)');
  });
});

// `npm test`'s first gate: tsx would run code with type errors, so the compiler must stop the run
// first. Real `tsc` on small projects written for the purpose.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { styleCheck } from '../scripts/dev/style-check';
import { typeCheck } from '../scripts/dev/type-check';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookit-type-check-'));

/** A project of one file, strict like ours. */
function project(name: string, source: string): string {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  writeFileSync(
    path.join(folder, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', types: [] }, include: ['*.ts'] }),
  );
  writeFileSync(path.join(folder, 'index.ts'), source);
  return folder;
}

describe('the type check before any test file runs', () => {
  it('projects without errors pass', async () => {
    const result = await typeCheck(ROOT, [
      project('fine', 'export const seats: number = 42;\n'),
      project('also-fine', 'export const name = "Hall A";\n'),
    ]);
    assert.deepEqual({ ok: result.ok, output: result.output }, { ok: true, output: '' });
  });

  it("one error in either project fails the check, with the compiler's report naming the file, line and project", async () => {
    const broken = project('broken', 'export const seats: number = "forty-two";\n');
    const result = await typeCheck(ROOT, [project('fine-beside-it', 'export const seats = 42;\n'), broken]);
    assert.equal(result.ok, false);
    assert.match(result.output, new RegExp(`^tsc --noEmit -p ${broken}$`, 'm'));
    assert.match(result.output, /index\.ts\(1,14\): error TS2322: Type 'string' is not assignable to type 'number'\./);
    assert.doesNotMatch(result.output, /fine-beside-it/);
  });
});

describe('the format and lint check beside it', () => {
  /** A folder with our biome.json (its file list aside) and one source file, run with our Biome. */
  function styled(name: string, source: string): string {
    const folder = path.join(dir, `styled-${name}`);
    mkdirSync(folder);
    const settings = JSON.parse(readFileSync(path.join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
    const { vcs: _vcs, files: _files, $schema: _schema, ...rules } = settings;
    writeFileSync(
      path.join(folder, 'biome.json'),
      JSON.stringify({ ...rules, files: { includes: ['*.ts'] }, json: { formatter: { enabled: false } } }),
    );
    writeFileSync(path.join(folder, 'index.ts'), source);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(folder, 'node_modules'));
    return folder;
  }

  it('formatted, lint-clean code passes', async () => {
    const result = await styleCheck(styled('clean', "export const seats = 42;\nexport const hall = 'Hall A';\n"));
    assert.equal(result.ok, true, result.output);
  });

  it('a file the formatter would change fails, and so does a broken lint rule, each named', async () => {
    const unformatted = await styleCheck(styled('unformatted', 'export const seats   =  42\n'));
    assert.equal(unformatted.ok, false);
    assert.match(unformatted.output, /index\.ts format/);
    const linted = await styleCheck(
      styled('linted', 'let total = 0;\nexport const add = (n: number) => (total += n);\n'),
    );
    assert.equal(linted.ok, false);
    assert.match(linted.output, /lint\/suspicious\/noAssignInExpressions/);
  });
});

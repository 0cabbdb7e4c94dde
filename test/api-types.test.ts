import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { API_TYPES_FILE, generateApiTypes } from '../scripts/dev/api-types';

/** Where two texts first differ, as "line N" with both versions of that line. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}:\n  committed: ${a[i] ?? '(end of file)'}\n  generated: ${b[i] ?? '(end of file)'}`;
  }
  return 'no line differs';
}

describe("the web app's API types are the server's", () => {
  it('web/src/api/schema.gen.ts is what openapi-typescript makes of /openapi.json now', async () => {
    const generated = await generateApiTypes();
    const committed = await readFile(API_TYPES_FILE, 'utf8').catch(() => '');
    const file = path.relative(process.cwd(), API_TYPES_FILE);
    assert.ok(
      committed === generated,
      `${file} differs from what the server documents: run npm run api-types, commit the file and fix what ` +
        `the type check then finds in web/.\nFirst difference at ${firstDifference(committed, generated)}`,
    );
  });
});

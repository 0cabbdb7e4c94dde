// `npm run api-types`: writes web/src/api/schema.gen.ts, the web app's types for every path, request
// and answer of the API, from the OpenAPI document the server builds from its zod schemas. Run it
// after changing a route's schema; test/api-types.test.ts (in `npm test`, so in CI) fails until then.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { API_TYPES_FILE, generateApiTypes } from './dev/api-types';
import { say } from './dev/progress';

async function main(): Promise<void> {
  const generated = await generateApiTypes();
  const before = await readFile(API_TYPES_FILE, 'utf8').catch(() => null);
  const where = path.relative(process.cwd(), API_TYPES_FILE);
  if (before === generated) return say(`api-types: ${where} is up to date`);
  await writeFile(API_TYPES_FILE, generated);
  say(`api-types: wrote ${where}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

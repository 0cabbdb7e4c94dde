import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes `file` whole or not at all (a temporary file beside it, then a rename). A build rewrites
 * files a running server may be sending at that moment (another checkout's `npm test` or
 * `npm start` building the same tree): a browser must get the old bytes or the new, never a
 * truncated chunk that leaves the page blank.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content);
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** How long files of earlier builds stay: a tab opened before a deploy still loads its pages' chunks. */
const KEEP_EARLIER_BUILDS_MS = 24 * 3600 * 1000;

/** Deletes files in `assetsDir` that this build did not write and that are older than a day. */
export async function pruneAssets(assetsDir: string, written: Set<string>, now = Date.now()): Promise<void> {
  const names = await readdir(assetsDir).catch(() => []);
  await Promise.all(
    names.map(async (name) => {
      const file = path.join(assetsDir, name);
      const base = file.replace(/\.(gz|br)$/, '');
      if (written.has(base)) return;
      // Gone meanwhile: another build running beside this one renamed its temporary file, or pruned it.
      const found = await stat(file).catch(() => undefined);
      if (found && now - found.mtimeMs > KEEP_EARLIER_BUILDS_MS) await rm(file, { force: true });
    }),
  );
}

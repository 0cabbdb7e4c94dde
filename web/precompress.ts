import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { writeFileAtomic } from './atomic-write';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Writes `file.gz` and `file.br` beside each file, so the server sends them compressed without
 * compressing on every request (the API serves assets with `precompressed: true`).
 */
export async function precompress(files: string[]): Promise<void> {
  await Promise.all(
    files.map(async (file) => {
      const content = await readFile(file);
      const [gzipped, brotli] = await Promise.all([
        gzipAsync(content, { level: 9 }),
        brotliAsync(content, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
        }),
      ]);
      await Promise.all([writeFileAtomic(`${file}.gz`, gzipped), writeFileAtomic(`${file}.br`, brotli)]);
    }),
  );
}

// `npm run bench -- --profile`: the API and worker run with --cpu-prof; this reads the profiles they
// write on exit and prints where each process spent its CPU, by package and by function (self time).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** Where a frame's code lives: a package, a Node built-in, BookIT's own source, or V8's bookkeeping. */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return url;
  const ours = /\/(src|activities|workflows|bench)\/(.+)$/.exec(url);
  return ours ? `bookit ${ours[1]}/${ours[2]}` : path.basename(url);
}

function top(entries: Map<string, number>, total: number, count: number): string[] {
  return [...entries.entries()]
    .sort(([, a], [, b]) => b - a)
    .slice(0, count)
    .map(([name, hits]) => `    ${((hits / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
}

export async function summarizeProfiles(dir: string): Promise<string> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (files.length === 0) return `No CPU profiles were written to ${dir}.`;
  const out: string[] = [`CPU profiles in ${dir} (self time; the idle thread excluded):`];
  for (const file of files) {
    const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
    const byOwner = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      const { functionName, url, lineNumber } = node.callFrame;
      if (hits === 0 || functionName === '(idle)') continue;
      total += hits;
      const owner = ownerOf(url, functionName);
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + hits);
      const fn = `${functionName || '(anonymous)'} ${owner}${url ? `:${lineNumber + 1}` : ''}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    }
    const busyS =
      ((profile.endTime - profile.startTime) / 1e6) * (total / Math.max(1, profile.samples?.length ?? total));
    out.push(
      `  ${file}: ${busyS.toFixed(0)} s busy`,
      '   by package:',
      ...top(byOwner, total, 12),
      '   by function:',
      ...top(byFunction, total, 12),
    );
  }
  return out.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <directory of .cpuprofile files>\n');
    process.exit(2);
  }
  summarizeProfiles(dir).then(
    (text) => process.stdout.write(`${text}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}

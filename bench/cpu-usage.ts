// Which process was busy while a scenario ran, read from /proc: CPU time per process of the run
// (the bench process itself, which also hosts MailDev; each API and worker; PostgreSQL; the
// Temporal dev server) and what the rest of the machine used meanwhile (other people's work).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcessTicks {
  pid: number;
  ppid: number;
  comm: string;
  /** Own CPU time plus that of its children already reaped (a PostgreSQL backend that exited). */
  ticks: number;
}

function readProcesses(): Map<number, ProcessTicks> {
  const table = new Map<number, ProcessTicks>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm is in parentheses and may hold spaces; the fields after it are space-separated.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      table.set(Number(entry), { pid: Number(entry), ppid: Number(fields[1]), comm, ticks });
    } catch {
      // The process exited while we read.
    }
  }
  return table;
}

function machineBusyTicks(): number {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const [, user, nice, system, , , irq, softirq, steal] = cpu!.trim().split(/\s+/).map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}

export interface NamedProcess {
  name: string;
  pid: number | undefined;
}

/** The cluster's API and worker processes, by name. */
export interface HasPieces {
  allPieces(): NamedProcess[];
}

/** Ticks per group: named processes (with their descendants), then postgres and temporal by name. */
function groupTicks(named: NamedProcess[]): Map<string, number> {
  const table = readProcesses();
  const children = new Map<number, number[]>();
  for (const p of table.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const descendants = (root: number): number[] => {
    const out: number[] = [];
    const stack = [root];
    while (stack.length) {
      const pid = stack.pop()!;
      out.push(pid);
      stack.push(...(children.get(pid) ?? []));
    }
    return out;
  };
  const groups = new Map<string, number>();
  const add = (name: string, ticks: number) => groups.set(name, (groups.get(name) ?? 0) + ticks);
  const claimed = new Set<number>([process.pid]);
  add('bench (load + MailDev)', table.get(process.pid)?.ticks ?? 0);
  for (const { name, pid } of named) {
    if (pid === undefined || !table.has(pid)) continue;
    for (const each of descendants(pid)) {
      claimed.add(each);
      add(name, table.get(each)?.ticks ?? 0);
    }
  }
  for (const pid of descendants(process.pid)) {
    if (claimed.has(pid)) continue;
    const p = table.get(pid)!;
    if (p.comm === 'postgres') add('postgres', p.ticks);
    else if (p.comm.startsWith('temporal')) add('temporal', p.ticks);
  }
  return groups;
}

export interface CpuShares {
  wallS: number;
  /** Cores each group used on average (1.0 = one core busy all the time). */
  cores: Record<string, number>;
}

/** Starts counting; `stop()` tells the average cores each group used since. */
export function startCpuMeter(cluster: HasPieces): { stop(): CpuShares } {
  const named = () => cluster.allPieces().map((piece) => ({ name: piece.name, pid: piece.pid }));
  const started = performance.now();
  const before = groupTicks(named());
  const machineBefore = machineBusyTicks();
  return {
    stop() {
      const after = groupTicks(named());
      const wallS = (performance.now() - started) / 1000;
      const cores: Record<string, number> = {};
      let ours = 0;
      for (const [name, ticks] of after) {
        const used = Math.max(0, ticks - (before.get(name) ?? 0)) / TICKS_PER_S / wallS;
        cores[name] = Math.round(used * 100) / 100;
        ours += used;
      }
      const machine = (machineBusyTicks() - machineBefore) / TICKS_PER_S / wallS;
      cores['rest of the machine (not this run)'] = Math.round(Math.max(0, machine - ours) * 100) / 100;
      return { wallS, cores };
    },
  };
}

export function describeShares(shares: CpuShares): string {
  return Object.entries(shares.cores)
    .filter(([, cores]) => cores >= 0.01)
    .sort(([, a], [, b]) => b - a)
    .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
    .join(', ');
}

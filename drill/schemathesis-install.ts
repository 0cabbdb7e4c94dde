// Schemathesis for drill 5a: a pinned version from PyPI in a venv under ~/.cache/bookit, provisioned
// by the drill itself (with Debian's python3-venv when the interpreter lacks ensurepip and we are
// root), so neither CI nor a developer has to know what it needs. Every way this can go wrong ends
// in one sentence saying what to install or what failed: a drill that could not fuzz has failed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Pinned, so a drill run on a fresh machine fuzzes with the same checks as the one recorded here.
export const SCHEMATHESIS_VERSION = '4.32.5';

export type Provisioned = { executable: string } | { problem: string };

interface Ran {
  ok: boolean;
  /** The end of stdout and stderr together, for a one-line reason. */
  tail: string;
  output: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    // Asynchronous: a pip install takes a minute, and the cluster's processes keep logging to pipes meanwhile.
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const done = (ok: boolean, extra = '') => {
      const text = `${output}${extra}`;
      const lines = text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      // pip and apt-get say what went wrong on their last "ERROR:"/"E:" line; anything else, on its last lines.
      const errorLine = lines.findLast((line) => /^(ERROR|E):/.test(line));
      const tail = (errorLine ? `${errorLine}${extra}` : lines.slice(-3).join(' / ')) || '(no output)';
      resolve({ ok, output: text, tail: tail.length > 300 ? `…${tail.slice(-300)}` : tail });
    };
    child.on('error', (error) => done(false, `${command}: ${error.message}`));
    child.on('close', (status, signal) => done(status === 0, status === 0 ? '' : ` (exit ${status ?? signal})`));
  });
}

const hasEnsurepip = async () => (await run('python3', ['-c', 'import ensurepip'])).ok;

/**
 * `python3 -m venv` needs ensurepip, which Debian ships apart, in python3-venv. Installs it when
 * missing and we are root; otherwise (or when that does not help) the sentence saying what to do.
 */
async function ensureVenvModule(say: (line: string) => void): Promise<string | undefined> {
  if (await hasEnsurepip()) return undefined;
  if (process.getuid?.() !== 0) {
    return "python3 cannot make a venv (no ensurepip): install Debian's python3-venv (sudo apt-get install python3-venv), then run the drill again";
  }
  say(
    "python3 has no ensurepip, which python3 -m venv needs: installing Debian's python3-venv with apt-get (running as root)",
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let installed = await run('apt-get', ['install', '-y', '-qq', 'python3-venv'], env);
  if (!installed.ok) {
    // A fresh machine has no package lists yet.
    const updated = await run('apt-get', ['update', '-qq'], env);
    if (!updated.ok) return `apt-get update failed while installing python3-venv: ${updated.tail}`;
    installed = await run('apt-get', ['install', '-y', '-qq', 'python3-venv'], env);
  }
  if (!installed.ok) return `apt-get install -y python3-venv failed: ${installed.tail}`;
  if (!(await hasEnsurepip())) {
    const which = (await run('sh', ['-c', 'command -v python3'])).output.trim() || 'python3';
    return `${which} still has no ensurepip after installing python3-venv: it is not Debian's python3; give it venv support or put /usr/bin first on PATH`;
  }
  return undefined;
}

/** Whether the executable runs and is the pinned version (a venv outlives the interpreter it was made from). */
async function runsAs(executable: string, version: string): Promise<Ran & { matches: boolean }> {
  const answer = existsSync(executable)
    ? await run(executable, ['--version'])
    : { ok: false, output: '', tail: 'not installed' };
  return { ...answer, matches: answer.ok && answer.output.includes(version) };
}

/** The schemathesis executable of `version`, installed into its own venv on first use. */
export async function provisionSchemathesis(
  say: (line: string) => void,
  version = SCHEMATHESIS_VERSION,
): Promise<Provisioned> {
  const venv = path.join(os.homedir(), '.cache', 'bookit', `schemathesis-${version}`);
  const executable = path.join(venv, 'bin', 'schemathesis');
  if ((await runsAs(executable, version)).matches) return { executable };

  const missing = await ensureVenvModule(say);
  if (missing) return { problem: missing };
  say(`installing schemathesis ${version} from PyPI into ${venv}`);
  // --clear: a venv left half-made by an earlier failure (no pip in it) is made again.
  const created = await run('python3', ['-m', 'venv', '--clear', venv]);
  if (!created.ok) return { problem: `python3 -m venv ${venv} failed: ${created.tail}` };
  const pip = await run(path.join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `schemathesis==${version}`,
  ]);
  if (!pip.ok) return { problem: `pip install schemathesis==${version} failed: ${pip.tail}` };
  const check = await runsAs(executable, version);
  if (!check.matches) return { problem: `${executable} --version did not answer ${version}: ${check.tail}` };
  return { executable };
}

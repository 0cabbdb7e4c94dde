import { spawnSync } from 'node:child_process';

/** The absolute path the shell would run for `command`, or undefined when it is not on PATH. */
export function commandPath(command: string): string | undefined {
  // The name travels as a positional argument, never spliced into the script.
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' });
  const resolved = found.status === 0 ? found.stdout.trim() : '';
  return resolved.startsWith('/') ? resolved : undefined;
}

import { existsSync } from 'node:fs';
import { commandPath } from './command-path';

// Debian's package installs `chromium`; Ubuntu's and Google's builds use the other names.
const CHROMIUM_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome'];
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH when set, else the first of chromium,
 * chromium-browser, google-chrome on PATH, else Debian's /usr/bin/chromium; undefined when none is.
 */
export function findChromium(explicitPath?: string): string | undefined {
  if (explicitPath) {
    if (!existsSync(explicitPath)) throw new Error(`CHROMIUM_PATH points at ${explicitPath}, which does not exist`);
    return explicitPath;
  }
  for (const command of CHROMIUM_COMMANDS) {
    const found = commandPath(command);
    if (found) return found;
  }
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}

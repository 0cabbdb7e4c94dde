import { spawn } from 'node:child_process';
import { findChromium } from './chromium';
import { commandPath } from './command-path';
import { say } from './progress';

/** A tool is missing and this machine cannot install it; the message is one line saying what to install. */
export class MissingSystemPackagesError extends Error {}

export type SystemToolName = 'chromium' | 'docker-compose' | 'java' | 'mvn';

export interface SystemTools {
  /** Where each tool was found. */
  paths: Record<SystemToolName, string>;
  /** The Debian packages this call installed; empty when everything was already there. */
  installed: string[];
}

interface SystemTool {
  name: SystemToolName;
  debianPackage: string;
  find(): string | undefined;
}

/**
 * What the tests need from the operating system besides Node: Chromium (the action-link pages in a
 * real browser), docker-compose (validates docker-compose.yml), a JDK and Maven (the time-skipping
 * test server). Missing ones are installed from Debian's packages when we run as root with apt-get,
 * so a fresh machine or CI image needs nothing but `npm ci` first; anywhere else this stops at once
 * with one line naming what to install.
 */
export async function ensureSystemTools({ chromiumPath }: { chromiumPath?: string }): Promise<SystemTools> {
  const tools: SystemTool[] = [
    { name: 'chromium', debianPackage: 'chromium', find: () => findChromium(chromiumPath) },
    { name: 'docker-compose', debianPackage: 'docker-compose', find: () => commandPath('docker-compose') },
    { name: 'java', debianPackage: 'default-jdk-headless', find: () => commandPath('java') },
    { name: 'mvn', debianPackage: 'maven', find: () => commandPath('mvn') },
  ];
  const missing = tools.filter((tool) => !tool.find());
  const installed = missing.map((tool) => tool.debianPackage);
  if (missing.length) await installDebianPackages(missing);

  const paths: Partial<Record<SystemToolName, string>> = {};
  for (const tool of tools) {
    const found = tool.find();
    if (!found) throw new Error(`${tool.name} is still missing after apt-get installed ${tool.debianPackage}`);
    paths[tool.name] = found;
  }
  return { paths: paths as Record<SystemToolName, string>, installed };
}

async function installDebianPackages(missing: SystemTool[]): Promise<void> {
  const packages = missing.map((tool) => tool.debianPackage);
  if (process.getuid?.() !== 0 || !commandPath('apt-get')) {
    const orChromiumPath = missing.some((tool) => tool.name === 'chromium')
      ? ', or point CHROMIUM_PATH at a Chromium or Chrome binary'
      : '';
    throw new MissingSystemPackagesError(
      `BookIT's tests need ${missing
        .map((tool) => tool.name)
        .join(', ')
        .replace(/, ([^,]*)$/, ' and $1')}, which this machine lacks and only root with apt-get could install: ` +
        `run \`sudo apt-get install -y ${packages.join(' ')}\` (or your system's equivalent)${orChromiumPath}`,
    );
  }
  const started = Date.now();
  say(`installing ${packages.join(', ')} from Debian's packages with apt-get (once per machine; a few minutes)`);
  await aptGet(['update', '-qq']);
  await aptGet(['install', '-y', '-qq', ...packages]);
  say(`installed ${packages.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`);
}

function aptGet(args: string[]): Promise<void> {
  // Waits for the dpkg lock instead of failing when another apt-get (an image build, a second
  // agent) holds it.
  const fullArgs = ['-o', 'DPkg::Lock::Timeout=300', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('apt-get', fullArgs, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`apt-get ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

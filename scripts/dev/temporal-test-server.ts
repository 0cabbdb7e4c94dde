import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { say } from './progress';

const POM = path.resolve(import.meta.dirname, '../../scripts/test-server/pom.xml');

/**
 * Temporal's time-skipping test server (the Java artifact io.temporal:temporal-test-server from
 * Maven Central), cached under the cache dir, behind a wrapper script that the SDK's
 * `existing-path` option runs as `<wrapper> <port>`.
 */
export async function resolveTestServer(cacheDir: string): Promise<string> {
  const pom = readFileSync(POM, 'utf8');
  const version = /<temporal\.version>([^<]+)<\/temporal\.version>/.exec(pom)?.[1];
  if (!version) throw new Error(`${POM} names no temporal.version`);
  // Keyed by the pom's content, so a changed dependency list fetches afresh.
  const home = path.join(
    cacheDir,
    `temporal-test-server-${version}-${createHash('sha256').update(pom).digest('hex').slice(0, 8)}`,
  );
  const jars = path.join(home, 'lib');
  const wrapper = path.join(home, 'temporal-test-server');
  if (existsSync(wrapper)) return wrapper;

  for (const tool of ['java', 'mvn']) {
    if (!(await succeeds(tool, ['-version']))) {
      throw new Error(
        `The time-skipping test server needs ${tool}: install a JDK (17+) and Maven (Debian: apt-get install default-jdk-headless maven)`,
      );
    }
  }
  say(
    `Temporal test server: fetching io.temporal:temporal-test-server:${version} and its dependencies with Maven into ${jars} (about a minute the first time)`,
  );
  const ok = await succeeds(
    'mvn',
    ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${jars}`, '-DincludeScope=runtime'],
    true,
  );
  if (!ok || !readdirSync(jars).some((name) => name.startsWith('temporal-test-server'))) {
    throw new Error(`Maven could not fetch io.temporal:temporal-test-server:${version} (see its output above)`);
  }
  // exec, so the SDK's teardown signal reaches the JVM itself; C1 only, because a cold JVM on two
  // cores must accept connections within the SDK's five-second start-up window.
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -cp '${jars}/*' io.temporal.testserver.TestServer "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  say(`Temporal test server: ready at ${wrapper}`);
  return wrapper;
}

function succeeds(command: string, args: string[], showOutput = false): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: showOutput ? 'inherit' : 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

// What each drill says: the steps it took, what it counted, and any loss or doubling found.
export class DrillReport {
  readonly lines: string[] = [];
  readonly problems: string[] = [];
  constructor(readonly name: string) {}

  did(line: string): void {
    this.lines.push(line);
    process.stderr.write(`[drill ${this.name}] ${line}\n`);
  }

  /** Records a check; a false one is a failure of the drill. */
  expect(ok: boolean, what: string): void {
    if (ok) this.did(`ok   ${what}`);
    else {
      this.problems.push(what);
      this.did(`FAIL ${what}`);
    }
  }

  get passed(): boolean {
    return this.problems.length === 0;
  }
}

/** Idempotency key → how many messages MailDev holds with it. */
export async function mailCountsByKey(mailWebUrl: string): Promise<Map<string, number>> {
  const response = await fetch(`${mailWebUrl}/api/email`);
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  const emails = (await response.json()) as Array<{ headers: Record<string, string> }>;
  const counts = new Map<string, number>();
  for (const email of emails) {
    const key = email.headers['x-bookit-idempotency-key'];
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** "3 of 500 keys: booking:1:v1:reminder ×2, ..." for the first few offenders. */
export function describeOffenders(offenders: Array<[string, number]>, total: number): string {
  const sample = offenders.slice(0, 5).map(([key, count]) => `${key} ×${count}`).join(', ');
  return `${offenders.length} of ${total}${offenders.length ? `: ${sample}${offenders.length > 5 ? ', ...' : ''}` : ''}`;
}

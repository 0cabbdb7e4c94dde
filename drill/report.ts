// What each drill says: the steps it took, what it counted, and any loss or doubling found.
export class DrillReport {
  readonly lines: string[] = [];
  private readonly problems: string[] = [];
  private checks = 0;
  constructor(readonly name: string) {}

  did(line: string): void {
    this.lines.push(line);
    process.stderr.write(`[drill ${this.name}] ${line}\n`);
  }

  /** Records a check; a false one is a failure of the drill. */
  expect(ok: boolean, what: string): void {
    this.checks++;
    if (ok) this.did(`ok   ${what}`);
    else {
      this.problems.push(what);
      this.did(`FAIL ${what}`);
    }
  }

  /**
   * One check over many keys: each must have been counted exactly `want` times. No keys at all is a
   * failure too, since "all of 0 were fine" proves nothing.
   */
  expectPerKey(label: string, keys: string[], counts: Map<string, number>, want: number): void {
    const offenders = keys.map((key) => [key, counts.get(key) ?? 0] as [string, number]).filter(([, n]) => n !== want);
    this.expect(
      keys.length > 0 && offenders.length === 0,
      `${label}: exactly ${want} per key (${keys.length ? `off: ${describeOffenders(offenders, keys.length)}` : 'no keys to count'})`,
    );
  }

  /** What failed; a drill that checked nothing has measured nothing, and fails for it. */
  get failures(): string[] {
    return this.checks === 0 ? ['no check ran: the drill measured nothing', ...this.problems] : [...this.problems];
  }

  get passed(): boolean {
    return this.failures.length === 0;
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
function describeOffenders(offenders: Array<[string, number]>, total: number): string {
  const sample = offenders
    .slice(0, 5)
    .map(([key, count]) => `${key} ×${count}`)
    .join(', ');
  return `${offenders.length} of ${total}${offenders.length ? `: ${sample}${offenders.length > 5 ? ', ...' : ''}` : ''}`;
}

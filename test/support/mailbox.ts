import { eventually } from '../../scripts/dev/harness/eventually';

/** Reads what MailDev received, through its REST API, as a person reading their inbox would. */
export interface ReceivedEmail {
  id: string;
  subject: string;
  html: string;
  text: string;
  to: Array<{ address: string }>;
  headers: Record<string, string>;
}

export class Mailbox {
  constructor(private readonly apiUrl: string) {}

  async all(): Promise<ReceivedEmail[]> {
    const response = await fetch(`${this.apiUrl}/api/email`);
    if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
    return (await response.json()) as ReceivedEmail[];
  }

  async to(address: string): Promise<ReceivedEmail[]> {
    return (await this.all()).filter((email) =>
      email.to.some((to) => to.address.toLowerCase() === address.toLowerCase()),
    );
  }

  /** Waits until `address` has received an email matching `match`. */
  async waitFor(
    address: string,
    match: (email: ReceivedEmail) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<ReceivedEmail> {
    return eventually(
      async () => (await this.to(address)).find(match),
      `a matching email to ${address}`,
      timeoutMs,
      150,
    );
  }

  /**
   * The emails sent under idempotency key `key` (the X-BookIT-Idempotency-Key header), read once at
   * least `atLeast` have come or 15 s have passed (the caller counts what came), and then `settleMs`
   * later, so a duplicate would have had time to show up too.
   */
  async withKey(
    key: string,
    { atLeast = 0, settleMs = 0 }: { atLeast?: number; settleMs?: number } = {},
  ): Promise<ReceivedEmail[]> {
    const find = async () => (await this.all()).filter((email) => email.headers['x-bookit-idempotency-key'] === key);
    await eventually(
      async () => (await find()).length >= atLeast,
      `${atLeast} email(s) under ${key}`,
      15_000,
      150,
    ).catch(() => undefined);
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    return find();
  }
}

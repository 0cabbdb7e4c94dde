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
    return (await this.all()).filter((email) => email.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
  }

  /** Waits until `address` has received an email matching `match`. */
  async waitFor(address: string, match: (email: ReceivedEmail) => boolean = () => true, timeoutMs = 15_000): Promise<ReceivedEmail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.to(address)).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`No matching email reached ${address} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

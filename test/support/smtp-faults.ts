import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createMailTransport } from '../../src/mail/transport';

export interface SmtpFaultOptions {
  /** How many attempts to refuse before relaying; Infinity refuses every one. */
  refuse: number;
  /**
   * 421: a temporary refusal (the server closes the connection, as a busy relay does);
   * 550: a permanent refusal of the recipient.
   */
  code: 421 | 550;
  /** Where accepted messages go, byte for byte: the run's MailDev. */
  relayUrl: string;
}

export interface SmtpFaultServer {
  /** `smtp://127.0.0.1:<port>` for the mailer under test. */
  url: string;
  /** Delivery attempts seen (one per RCPT TO; our emails have one recipient). */
  readonly attempts: number;
  /** Messages accepted and handed on to MailDev. */
  readonly relayed: number;
  close(): Promise<void>;
}

/**
 * A real SMTP server in front of MailDev that refuses the first attempts and relays the rest, so
 * the mailer, nodemailer's pool and the activity's error handling all meet a real 421 or 550.
 */
export async function startSmtpFaultServer({ refuse, code, relayUrl }: SmtpFaultOptions): Promise<SmtpFaultServer> {
  const relay = createMailTransport(relayUrl);
  let attempts = 0;
  let relayed = 0;
  const server = new SMTPServer({
    // No STARTTLS offer (nodemailer would reject the self-signed certificate) and no AUTH.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(_address, _session, callback) {
      attempts += 1;
      if (attempts <= refuse) {
        const reply = code === 421 ? 'Service busy, try again later' : 'No such mailbox here';
        callback(Object.assign(new Error(reply), { responseCode: code }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((recipient) => recipient.address);
        relay.sendMail({ envelope: { from, to }, raw: Buffer.concat(chunks) }).then(
          () => {
            relayed += 1;
            callback();
          },
          (error: unknown) => callback(Object.assign(new Error(`relay failed: ${String(error)}`), { responseCode: 451 })),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get attempts() { return attempts; },
    get relayed() { return relayed; },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      relay.close();
    },
  };
}

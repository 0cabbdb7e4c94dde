import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createMailTransport } from '../../src/mail/transport';
import type { TestContext } from './context';

export interface SmtpFaultOptions {
  /** How many attempts to refuse before relaying; Infinity refuses every one. */
  refuse: number;
  /**
   * 421: a temporary refusal (the server closes the connection, as a busy relay does);
   * 550: a permanent refusal of the recipient (or, at the end of the data, of the message);
   * 554: a permanent refusal (at the greeting: of the whole session, the server's problem, not the recipient's).
   */
  code: 421 | 550 | 554;
  /**
   * Where the refusal comes: `rcpt` (RCPT TO, the default); `connect` (the greeting is the refusal
   * instead of 220, as a relay out of service answers); `data` (the end of the data: the message
   * was read, then refused).
   */
  at?: 'connect' | 'rcpt' | 'data';
  /**
   * `drop`: once a message is taken and relayed, close the connection instead of answering 250, as
   * a server whose reply was lost (the sender cannot know it was delivered).
   */
  afterData?: 'answer' | 'drop';
  /** Where accepted messages go, byte for byte: the run's MailDev. */
  relayUrl: string;
}

export interface SmtpFaultServer {
  /** `smtp://127.0.0.1:<port>` for the mailer under test. */
  url: string;
  /** Delivery attempts seen where the refusal comes: connections, RCPT TOs, or ends of data (our emails have one recipient). */
  readonly attempts: number;
  /** Messages accepted and handed on to MailDev. */
  readonly relayed: number;
  close(): Promise<void>;
}

/**
 * A real SMTP server in front of MailDev that refuses the first attempts and relays the rest, so
 * the mailer, nodemailer's pool and the activity's error handling all meet a real 421, 550 or 554.
 */
export async function startSmtpFaultServer({
  refuse,
  code,
  at = 'rcpt',
  afterData = 'answer',
  relayUrl,
}: SmtpFaultOptions): Promise<SmtpFaultServer> {
  const relay = createMailTransport(relayUrl);
  let attempts = 0;
  let relayed = 0;
  const refusal = () => {
    const reply =
      code === 421
        ? 'Service busy, try again later'
        : code === 554
          ? 'Service unavailable here'
          : 'No such mailbox here';
    return Object.assign(new Error(reply), { responseCode: code });
  };
  /** Counts an attempt at the refusal point; true when this one is refused. */
  const refuses = (stage: NonNullable<SmtpFaultOptions['at']>) => {
    if (stage !== at) return false;
    attempts += 1;
    return attempts <= refuse;
  };
  const server = new SMTPServer({
    // No STARTTLS offer (nodemailer would reject the self-signed certificate) and no AUTH.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onConnect(_session, callback) {
      callback(refuses('connect') ? refusal() : undefined);
    },
    onRcptTo(_address, _session, callback) {
      callback(refuses('rcpt') ? refusal() : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if (refuses('data')) {
          callback(refusal());
          return;
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((recipient) => recipient.address);
        relay.sendMail({ envelope: { from, to }, raw: Buffer.concat(chunks) }).then(
          () => {
            relayed += 1;
            if (afterData === 'drop') {
              // Delivered, but the sender never hears so: the connection goes before the 250.
              for (const connection of server.connections) if (connection.session.id === session.id) connection.close();
              return;
            }
            callback();
          },
          (error: unknown) =>
            callback(Object.assign(new Error(`relay failed: ${String(error)}`), { responseCode: 451 })),
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
    get attempts() {
      return attempts;
    },
    get relayed() {
      return relayed;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      relay.close();
    },
  };
}

/** A fault server in front of the context's MailDev, closed when the context closes. */
export async function withSmtpFaults(
  ctx: Pick<TestContext, 'config' | 'onClose'>,
  behaviour: Omit<SmtpFaultOptions, 'relayUrl'>,
): Promise<SmtpFaultServer> {
  const server = await startSmtpFaultServer({ ...behaviour, relayUrl: ctx.config.mail.smtpUrl! });
  ctx.onClose(() => server.close());
  return server;
}

/** `smtp://127.0.0.1:<port>` where nothing listens: connecting is refused (ECONNREFUSED), as with a relay that is down. */
export async function closedSmtpPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}

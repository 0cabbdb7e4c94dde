import { mkdir } from 'node:fs/promises';
import { MailDev } from 'maildev';

export interface RunningMailDev {
  smtpUrl: string;
  webUrl: string;
  stop(): Promise<void>;
}

/** MailDev (the maildev npm package): a real SMTP server with a web inbox and a REST API. */
export async function startMailDev({
  smtpPort,
  webPort,
  mailDirectory,
}: {
  smtpPort: number;
  webPort: number;
  mailDirectory: string;
}): Promise<RunningMailDev> {
  await mkdir(mailDirectory, { recursive: true });
  const maildev = new MailDev({
    smtp: smtpPort,
    web: webPort,
    ip: '127.0.0.1',
    webIp: '127.0.0.1',
    mailDirectory,
    silent: true,
  });
  await maildev.start();
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webUrl: `http://127.0.0.1:${webPort}`,
    stop: () => maildev.stop(),
  };
}

import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { pinnedLookup } from './address-guard';

/** What the receiver answered: its status and the first characters of its body, for the log. */
export interface ReceiverAnswer {
  status: number;
  excerpt: string;
}

export interface SignedPost {
  url: URL;
  /** The checked addresses of the URL's host: the request connects to these and nowhere else. */
  addresses: readonly LookupAddress[];
  /** `webhook-id`: the event's stable id, the same on every attempt. */
  messageId: string;
  /** The exact bytes signed and sent. */
  body: string;
  /** `whsec_…`. */
  secret: string;
  timeoutMs: number;
}

const EXCERPT_BYTES = 256;
const EXCERPT_CHARS = 200;

/**
 * The Standard Webhooks headers: the signature covers `id.timestamp.body`, and the timestamp is
 * this attempt's (receivers refuse one older than 5 minutes, so a retry is signed afresh).
 */
export function signatureHeaders(
  secret: string,
  messageId: string,
  body: string,
  now = new Date(),
): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, now, body),
  };
}

/**
 * One signed POST. No redirect is followed (node:http never does), the whole exchange is cut off
 * after `timeoutMs`, and no more than a short excerpt of the answer is read. Network failures and
 * the timeout are thrown; any HTTP answer is returned.
 */
export function postSigned(post: SignedPost): Promise<ReceiverAnswer> {
  const client = post.url.protocol === 'https:' ? https : http;
  const headers = {
    ...signatureHeaders(post.secret, post.messageId, post.body),
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(post.body)),
    'user-agent': 'BookIT-Webhooks/1.0',
  };
  return new Promise<ReceiverAnswer>((resolve, reject) => {
    // Once the status is in, a broken body (cut off by us or by the timeout) still counts as that answer.
    let answered = false;
    const request = client.request(
      post.url,
      // agent false: a fresh connection each time, so no pooled socket skips the address check.
      {
        method: 'POST',
        headers,
        lookup: pinnedLookup(post.addresses),
        agent: false,
        signal: AbortSignal.timeout(post.timeoutMs),
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8').replaceAll('\u0000', '');
          resolve({ status: response.statusCode ?? 0, excerpt: text.slice(0, EXCERPT_CHARS) });
        };
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          // Enough for the log: the rest is not read.
          if (size >= EXCERPT_BYTES) response.destroy();
        });
        // 'close' comes after 'end', after a destroy and after an abort mid-body: the status stands in each case.
        response.on('close', finish);
        response.on('error', () => {});
      },
    );
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    request.end(post.body);
  });
}

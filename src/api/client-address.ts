import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { isIP } from 'node:net';
import type { Logger } from '../log/logger';

/**
 * The address a request came from, for the sign-in throttle. The connection's peer, unless
 * TRUST_PROXY says a proxy in front appends the client to X-Forwarded-For: then that header's last
 * entry (the one our proxy wrote; earlier ones are whatever the client sent). IPv6 clients are
 * grouped by /64, the block one subscriber usually holds, so rotating within it buys nothing.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const last = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last && isIP(last)) return normalizeAddress(last);
  }
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    // No socket: an in-process request (app.request), which the throttle counts as one client.
  }
  return peer ? normalizeAddress(peer) : 'unknown';
}

export function normalizeAddress(address: string): string {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1]!;
  if (isIP(bare) !== 6) return bare;
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * clientAddress for the routes of one app, which also says once, at the first request carrying
 * X-Forwarded-For while TRUST_PROXY is off, that a proxy seems to be in front: every client behind
 * it then shares the proxy's address in the sign-in throttle.
 */
export function clientAddressReader(trustProxy: boolean, logger: Logger): (c: Context) => string {
  let warned = trustProxy;
  return (c) => {
    if (!warned && c.req.header('x-forwarded-for') !== undefined) {
      warned = true;
      logger.warn(
        { peer: clientAddress(c, false) },
        'a request came with X-Forwarded-For while TRUST_PROXY is off: every client behind that proxy shares its address in the sign-in throttle; set TRUST_PROXY=true if a proxy of yours sets the header',
      );
    }
    return clientAddress(c, trustProxy);
  };
}

import type { LookupAddress } from 'node:dns';
import { lookup as resolveHost } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { invalid } from '../domain/errors';

/**
 * Webhooks are requests the server makes to a URL an admin typed, so they must not reach inside:
 * the metadata service at 169.254.169.254, PostgreSQL on 127.0.0.1, the office network. A host is
 * resolved once, every address it resolves to is checked, and the request connects only to those
 * checked addresses (`pinnedLookup`), so a second DNS answer cannot point it elsewhere.
 */

/** A host that is, or resolves to, an address inside. Permanent: retrying the same URL changes nothing. */
export class AddressRefusedError extends Error {
  override readonly name = 'AddressRefusedError';
}

type Bytes = number[];

interface Range {
  bytes: Bytes;
  bits: number;
  reason: string;
}

function parseIPv4(text: string): Bytes | null {
  if (isIP(text) !== 4) return null;
  return text.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address (zone index and brackets dropped), or null. */
function parseIPv6(text: string): Bytes | null {
  const address = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIP(address) !== 6) return null;
  const words = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = parseIPv4(group) ?? [];
          return [(a << 8) | b, (c << 8) | d];
        });
  const gap = address.indexOf('::');
  const all =
    gap === -1
      ? words(address)
      : (() => {
          const left = words(address.slice(0, gap));
          const right = words(address.slice(gap + 2));
          return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
        })();
  return all.flatMap((word) => [word >> 8, word & 0xff]);
}

function range(cidr: string, reason: string): Range {
  const [base = '', bits = ''] = cidr.split('/');
  const bytes = parseIPv4(base) ?? parseIPv6(base);
  if (!bytes) throw new Error(`bad range ${cidr}`);
  return { bytes, bits: Number(bits), reason };
}

function inRange(bytes: Bytes, { bytes: base, bits }: Range): boolean {
  if (bytes.length !== base.length) return false;
  for (let bit = 0; bit < bits; bit += 8) {
    const mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
    const index = bit / 8;
    if (((bytes[index] ?? 0) & mask) !== ((base[index] ?? 0) & mask)) return false;
  }
  return true;
}

// Private, loopback, link-local, multicast and unspecified, plus the other blocks that are never a
// public receiver (IANA special-purpose registries); 240/4 includes the broadcast address.
const IPV4_INSIDE = [
  range('0.0.0.0/8', 'unspecified'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'shared (carrier-grade NAT)'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'IETF protocol assignment'),
  range('192.0.2.0/24', 'documentation'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved'),
];

const IPV6_INSIDE = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('100::/64', 'discard-only'),
  range('64:ff9b:1::/48', 'local-use NAT64'),
  range('2001:db8::/32', 'documentation'),
  range('fc00::/7', 'unique-local'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
];

/** IPv6 forms that carry an IPv4 address, which decides: ::ffff:127.0.0.1 is loopback. */
const IPV4_CARRIERS: Array<{ range: Range; offset: number; form: string }> = [
  { range: range('::ffff:0:0/96', ''), offset: 12, form: 'IPv4-mapped' },
  { range: range('::/96', ''), offset: 12, form: 'IPv4-compatible' },
  { range: range('64:ff9b::/96', ''), offset: 12, form: 'NAT64' },
  { range: range('2002::/16', ''), offset: 2, form: '6to4' },
];

function ipv4Reason(bytes: Bytes): string | null {
  return IPV4_INSIDE.find((r) => inRange(bytes, r))?.reason ?? null;
}

/**
 * Why a webhook may not be sent to this IP address ("loopback", "private, IPv4-mapped"), or null
 * for a public address. Anything that is not an IP address is refused too.
 */
export function forbiddenAddressReason(address: string): string | null {
  const v4 = parseIPv4(address);
  if (v4) return ipv4Reason(v4);
  const v6 = parseIPv6(address);
  if (!v6) return 'not an IP address';
  const own = IPV6_INSIDE.find((r) => inRange(v6, r));
  if (own) return own.reason;
  for (const carrier of IPV4_CARRIERS) {
    if (!inRange(v6, carrier.range)) continue;
    const reason = ipv4Reason(v6.slice(carrier.offset, carrier.offset + 4));
    if (reason) return `${reason}, ${carrier.form}`;
  }
  return null;
}

/** A URL's hostname as DNS and `isIP` take it: `[::1]` → `::1`. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Resolves the host once and checks every address it has (not only the first: a client may try
 * the others). An IP literal is checked as it is. Throws AddressRefusedError for an address
 * inside unless `allowPrivate`; DNS failures are thrown as they are (they may pass).
 */
export async function resolveCheckedAddresses(host: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  const literal = isIP(host);
  const addresses: LookupAddress[] = literal
    ? [{ address: host, family: literal }]
    : await resolveHost(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`${host} resolves to no address`);
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason)
        throw new AddressRefusedError(
          `${host} ${literal ? 'is' : `resolves to ${address},`} a ${reason} address; webhooks go to public addresses only`,
        );
    }
  }
  return addresses;
}

/**
 * A `lookup` for node:http(s) that answers only the addresses already checked, so the connection
 * goes where the check looked and DNS is not asked again. TLS still verifies the certificate
 * against the URL's host name, which the request keeps.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    const candidates = addresses.filter((a) => family === 0 || a.family === family);
    const first = candidates[0];
    if (!first) {
      const error: NodeJS.ErrnoException = new Error(`no checked address of family ${family}`);
      error.code = 'ENOTFOUND';
      callback(error, '');
    } else if (options.all) {
      callback(null, candidates);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/**
 * The URL to store for a new or changed endpoint, or a 400 naming `url`. https only (plain http
 * with WEBHOOK_ALLOW_PRIVATE, for tests and development); no credentials in it (the URL is shown
 * in lists); its host must resolve to public addresses only. Delivery checks again, since DNS
 * answers change.
 */
export async function checkWebhookUrl(text: string, allowPrivate: boolean): Promise<string> {
  if (!URL.canParse(text)) throw invalid('url must be an absolute URL such as https://hooks.example.com/bookit');
  const url = new URL(text);
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw invalid(
      allowPrivate
        ? 'url must use https or http'
        : 'url must use https (plain http only with WEBHOOK_ALLOW_PRIVATE=true)',
    );
  }
  if (url.username || url.password)
    throw invalid(
      'url must not carry a user name or password: it is shown in lists; the signature authenticates BookIT',
    );
  url.hash = '';
  try {
    await resolveCheckedAddresses(bareHost(url), allowPrivate);
  } catch (error) {
    if (error instanceof AddressRefusedError) throw invalid(`url is refused: ${error.message}`);
    throw invalid(`url's host ${bareHost(url)} does not resolve`);
  }
  return url.href;
}

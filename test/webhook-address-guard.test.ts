import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, it } from 'node:test';
import { DomainError } from '../src/domain/errors';
import {
  AddressRefusedError,
  checkWebhookUrl,
  forbiddenAddressReason,
  pinnedLookup,
  resolveCheckedAddresses,
} from '../src/webhooks/address-guard';

describe('the webhook address guard: only public addresses, checked once and connected to as checked', () => {
  it('refuses private, loopback, link-local, unique-local, multicast and unspecified addresses, IPv4 and IPv6, mapped forms included', () => {
    const inside: Array<[string, RegExp]> = [
      ['127.0.0.1', /loopback/],
      ['127.255.255.254', /loopback/],
      ['10.0.0.1', /private/],
      ['172.16.5.4', /private/],
      ['172.31.255.255', /private/],
      ['192.168.1.1', /private/],
      ['169.254.169.254', /link-local/],
      ['100.64.0.1', /carrier-grade/],
      ['0.0.0.0', /unspecified/],
      ['224.0.0.1', /multicast/],
      ['239.255.255.250', /multicast/],
      ['255.255.255.255', /reserved/],
      ['192.0.2.10', /documentation/],
      ['::', /unspecified/],
      ['::1', /loopback/],
      ['fe80::1', /link-local/],
      ['fe80::1%eth0', /link-local/],
      ['febf:ffff::1', /link-local/],
      ['fc00::1', /unique-local/],
      ['fd12:3456:789a::1', /unique-local/],
      ['ff02::1', /multicast/],
      ['::ffff:127.0.0.1', /loopback, IPv4-mapped/],
      ['::ffff:7f00:1', /loopback, IPv4-mapped/],
      ['::ffff:10.0.0.1', /private, IPv4-mapped/],
      ['::ffff:169.254.169.254', /link-local, IPv4-mapped/],
      ['::ffff:0.0.0.0', /unspecified, IPv4-mapped/],
      ['64:ff9b::7f00:1', /loopback, NAT64/],
      ['2002:c0a8:0101::1', /private, 6to4/],
      ['[::1]', /loopback/],
      ['not-an-address', /not an IP address/],
    ];
    for (const [address, reason] of inside) assert.match(forbiddenAddressReason(address) ?? 'allowed', reason, address);
  });

  it('lets public addresses through, IPv4, IPv6 and IPv4-mapped', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '192.169.0.1',
      '2606:4700:4700::1111',
      '2a00:1450:4001::200e',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2001:4860::1',
    ]) {
      assert.equal(forbiddenAddressReason(address), null, address);
    }
  });

  it('resolves a host once and refuses it when any of its addresses is inside (localhost), unless private addresses are allowed', async () => {
    await assert.rejects(
      resolveCheckedAddresses('localhost', false),
      (error: unknown) =>
        error instanceof AddressRefusedError && /localhost resolves to .+ a loopback address/.test(error.message),
    );
    await assert.rejects(resolveCheckedAddresses('::ffff:127.0.0.1', false), AddressRefusedError);
    const allowed = await resolveCheckedAddresses('localhost', true);
    assert.ok(allowed.length > 0 && allowed.every((a) => forbiddenAddressReason(a.address) !== null));
    assert.deepEqual(await resolveCheckedAddresses('8.8.8.8', false), [{ address: '8.8.8.8', family: 4 }]);
  });

  it('connects only to the checked addresses: the pinned lookup answers them, whatever host it is asked for', async () => {
    const checked: LookupAddress[] = [
      { address: '203.0.114.7', family: 4 },
      { address: '2001:db9::7', family: 6 },
    ];
    const lookup = pinnedLookup(checked);
    const ask = (options: { all?: boolean; family?: number }) =>
      new Promise<{ address: string | LookupAddress[]; family?: number }>((resolve, reject) =>
        lookup('rebound.example', options, (error, address, family) =>
          error ? reject(error) : resolve({ address, family }),
        ),
      );
    assert.deepEqual(await ask({}), { address: '203.0.114.7', family: 4 });
    assert.deepEqual(await ask({ family: 6 }), { address: '2001:db9::7', family: 6 });
    assert.deepEqual((await ask({ all: true })).address, checked);
    const none = new Promise((resolve, reject) =>
      pinnedLookup([])('rebound.example', {}, (error, address) => (error ? reject(error) : resolve(address))),
    );
    await assert.rejects(none, /no checked address/);
  });

  it('checks a URL at registration: https only, no credentials, public host; each refusal a 400 naming url', async () => {
    const refusals: Array<[string, RegExp]> = [
      ['http://8.8.8.8/hook', /url must use https/],
      ['ftp://8.8.8.8/hook', /url must use https/],
      ['not a url', /url must be an absolute URL/],
      ['https://user:pw@8.8.8.8/hook', /url must not carry a user name or password/],
      ['https://127.0.0.1/hook', /url is refused: 127\.0\.0\.1 is a loopback address/],
      ['https://localhost:8443/hook', /url is refused: localhost resolves to/],
      ['https://[::1]/hook', /loopback/],
      ['https://[::ffff:127.0.0.1]/hook', /loopback, IPv4-mapped/],
      ['https://169.254.169.254/latest/meta-data', /link-local/],
      ['https://[fd00::1]/hook', /unique-local/],
      ['https://0.0.0.0/hook', /unspecified/],
    ];
    for (const [url, message] of refusals) {
      await assert.rejects(
        checkWebhookUrl(url, false),
        (error: unknown) => error instanceof DomainError && error.kind === 'invalid' && message.test(error.message),
        url,
      );
    }
    assert.equal(await checkWebhookUrl('https://8.8.8.8/hook#part', false), 'https://8.8.8.8/hook');
    assert.equal(await checkWebhookUrl('http://127.0.0.1:9/hook', true), 'http://127.0.0.1:9/hook');
  });
});

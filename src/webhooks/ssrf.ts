import { promises as dns, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may point. Its URL is chosen by a client, and the server POSTs to it: without
 * these rules a webhook would let anyone reach the server's own network (the database, the cloud
 * metadata service at 169.254.169.254, admin ports on loopback). A name is judged by every
 * address it resolves to, at creation and again at each delivery, and the delivery connects to
 * the addresses judged (`resolveWebhookUrl`), never to a second resolution: a name whose
 * addresses change in between (DNS rebinding) gets no other address through.
 */

/** Addresses that are not on the public internet. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the host itself
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, with the cloud metadata service
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, with the broadcast address
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

export const URL_PROBLEMS = {
  notHttp: 'must be an absolute http or https URL',
  credentials: 'must not contain a user name or password',
  doesNotResolve: 'its host name does not resolve',
  notPublic: 'points to a loopback, private, link-local or multicast address, which webhooks may not reach',
} as const;

/** The URL, and the addresses a delivery may connect to; or why it may not be used. */
export type ResolvedWebhookUrl = { url: URL; addresses: LookupAddress[]; problem?: undefined } | { problem: string };

/** Whether `address` (an IP literal) is loopback, private, link-local, multicast or the like. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  // BlockList checks an IPv4-mapped IPv6 address (::ffff:127.0.0.1) against the IPv4 rules too
  // (test/webhook-dispatch.test.ts asserts it).
  if (family === 4) return NOT_PUBLIC.check(address, 'ipv4');
  if (family === 6) return NOT_PUBLIC.check(address, 'ipv6');
  return true; // not an address at all: never connect to it
}

/**
 * Checks a webhook URL and resolves its host: `{ url, addresses }` to connect to (every address
 * the name has, all of them allowed), or `{ problem }`, a short message for the client.
 * `allowPrivate` (WEBHOOK_ALLOW_PRIVATE) lets local and private addresses through, for tests
 * and closed networks.
 */
export async function resolveWebhookUrl(url: string, allowPrivate: boolean): Promise<ResolvedWebhookUrl> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: URL_PROBLEMS.notHttp };
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') return { problem: URL_PROBLEMS.notHttp };
  if (parsed.username !== '' || parsed.password !== '') return { problem: URL_PROBLEMS.credentials };

  // The URL parser has already normalised the forms an address can take (0x7f.1, 2130706433,
  // [::ffff:7f00:1]); IPv6 ones keep their brackets.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: LookupAddress[];
  const family = isIP(host);
  if (family !== 0) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await dns.lookup(host, { all: true, verbatim: true });
    } catch {
      return { problem: URL_PROBLEMS.doesNotResolve };
    }
    if (addresses.length === 0) return { problem: URL_PROBLEMS.doesNotResolve };
  }
  if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) return { problem: URL_PROBLEMS.notPublic };
  return { url: parsed, addresses };
}

/** Null when `url` may be a webhook's, else a short message for the client saying why not. */
export async function webhookUrlProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  return (await resolveWebhookUrl(url, allowPrivate)).problem ?? null;
}

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Addresses an outbound webhook must not reach: private, loopback, link-local (cloud metadata at
// 169.254.169.254), shared/CGNAT (Alibaba metadata at 100.100.100.200), unique-local (AWS metadata
// at fd00:ec2::254), documentation, multicast and reserved ranges, and the IPv6 forms that embed an
// IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible). IPv4-mapped IPv6 (::ffff:a.b.c.d) is checked
// against the IPv4 ranges by BlockList itself.
const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  privateRanges.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  privateRanges.addSubnet(net, prefix, 'ipv6');

/** Names that always mean this host or the cloud metadata service. */
const PRIVATE_NAMES = /^(?:localhost|.+\.localhost|metadata\.google\.internal)\.?$/i;

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why a webhook URL may not be called, judged from the URL alone (an IP literal in a refused range, or
 * a loopback/metadata name); undefined when only the DNS answer at connect time can tell.
 */
export function privateUrlReason(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return 'it is not a valid URL';
  }
  if (isIP(host)) return isPrivateAddress(host) ? `${host} is a private, loopback, link-local, reserved or metadata address` : undefined;
  if (PRIVATE_NAMES.test(host)) return `${host} is a loopback or metadata host name`;
  return undefined;
}

export class PrivateAddressError extends Error {}

/**
 * Resolves, then refuses private addresses at connect time, so a DNS answer that changes between a
 * check and the request (rebinding) cannot reach the internal network.
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as unknown as LookupAddress[];
    const blocked = list.find((a) => isPrivateAddress(a.address));
    if (blocked) return callback(new PrivateAddressError(`${hostname} resolves to a private address (${blocked.address})`), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

export const guardedAgents = {
  httpAgent: new http.Agent({ lookup: guardedLookup, keepAlive: true }),
  httpsAgent: new https.Agent({ lookup: guardedLookup, keepAlive: true }),
};
export const openAgents = {
  httpAgent: new http.Agent({ keepAlive: true }),
  httpsAgent: new https.Agent({ keepAlive: true }),
};

/** An IP literal never goes through lookup: check it directly. */
export function assertPublicUrl(url: string) {
  const reason = privateUrlReason(url);
  if (reason) throw new PrivateAddressError(reason);
}

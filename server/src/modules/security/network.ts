/**
 * "Approximate place from the IP's network" without sending the address to an outside service:
 * the kind of network (this machine, a private network, the internet) and the network prefix it
 * belongs to (/24 for IPv4, /48 for IPv6, the usual size of one site's allocation). A member who
 * knows their office and home networks can tell an unfamiliar one at a glance.
 */
import { isIP } from 'node:net';
import type { NetworkInfo } from '@lexforum/shared';

function ipv4Parts(ip: string): number[] | null {
  const parts = ip.split('.').map(Number);
  return parts.length === 4 && parts.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? parts : null;
}

function classifyIpv4([a, b]: number[]): NetworkInfo['kind'] {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'private';
  if ((a === 100 && b! >= 64 && b! <= 127) || (a === 169 && b === 254)) return 'private';
  return 'public';
}

/** Expands an IPv6 address to eight 16-bit groups (null when malformed). */
function ipv6Groups(ip: string): number[] | null {
  const [head, tail, ...rest] = ip.split('::');
  if (rest.length > 0) return null;
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  const groups = [...left, ...Array<number>(Math.max(missing, 0)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

export function describeNetwork(ip: string | null | undefined): NetworkInfo {
  if (!ip) return { kind: 'unknown', prefix: null };
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  const version = isIP(address);
  if (version === 4) {
    const parts = ipv4Parts(address);
    if (!parts) return { kind: 'unknown', prefix: null };
    return { kind: classifyIpv4(parts), prefix: `${parts[0]}.${parts[1]}.${parts[2]}.0/24` };
  }
  if (version === 6) {
    const groups = ipv6Groups(address.split('%')[0]!);
    if (!groups) return { kind: 'unknown', prefix: null };
    const loopback = groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1;
    if (loopback) return { kind: 'loopback', prefix: '::1/128' };
    const first = groups[0]!;
    const kind = (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 ? 'private' : 'public';
    return {
      kind,
      prefix: `${groups
        .slice(0, 3)
        .map((g) => g.toString(16))
        .join(':')}::/48`,
    };
  }
  return { kind: 'unknown', prefix: null };
}

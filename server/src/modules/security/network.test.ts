import { describe, expect, it } from 'vitest';
import { describeNetwork } from './network.js';

describe('describeNetwork', () => {
  it.each([
    ['127.0.0.1', { kind: 'loopback', prefix: '127.0.0.0/24' }],
    ['::1', { kind: 'loopback', prefix: '::1/128' }],
    ['::ffff:127.0.0.1', { kind: 'loopback', prefix: '127.0.0.0/24' }],
    ['10.1.2.3', { kind: 'private', prefix: '10.1.2.0/24' }],
    ['172.16.9.9', { kind: 'private', prefix: '172.16.9.0/24' }],
    ['172.32.0.1', { kind: 'public', prefix: '172.32.0.0/24' }],
    ['192.168.0.77', { kind: 'private', prefix: '192.168.0.0/24' }],
    ['100.64.0.1', { kind: 'private', prefix: '100.64.0.0/24' }],
    ['203.0.113.42', { kind: 'public', prefix: '203.0.113.0/24' }],
    ['::ffff:198.51.100.7', { kind: 'public', prefix: '198.51.100.0/24' }],
    ['2001:db8:abcd:12::1', { kind: 'public', prefix: '2001:db8:abcd::/48' }],
    ['fd12:3456:789a::1', { kind: 'private', prefix: 'fd12:3456:789a::/48' }],
    ['fe80::1%eth0', { kind: 'private', prefix: 'fe80:0:0::/48' }],
  ])('places %s', (ip, expected) => {
    expect(describeNetwork(ip)).toEqual(expected);
  });

  it.each([null, undefined, '', 'not an ip', '999.1.1.1', '1:2:3'])('says unknown for %s', (ip) => {
    expect(describeNetwork(ip)).toEqual({ kind: 'unknown', prefix: null });
  });
});

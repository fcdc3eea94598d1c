import { describe, expect, it } from 'vitest';
import { isPrivateAddress, privateUrlReason } from '../../src/integrations/webhook/address-guard.ts';

describe('webhook address guard', () => {
  it('refuses IP literals in private, loopback, link-local, unique-local, NAT64, 6to4, reserved and metadata ranges', () => {
    for (const url of [
      'http://127.0.0.1/hook',
      'http://127.1.2.3:8080/',
      'http://0.0.0.0/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://100.100.100.200/', // Alibaba metadata
      'http://169.254.169.254/latest/meta-data/', // AWS, GCP, Azure metadata
      'http://192.0.0.192/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
      'http://0x7f.1/', // 127.0.0.1 in another spelling
      'http://2130706433/', // 127.0.0.1 as a number
      'http://[::1]/',
      'http://[::]/',
      'http://[fe80::1]/',
      'http://[fc00::1]/',
      'http://[fd00:ec2::254]/', // AWS metadata over IPv6
      'http://[64:ff9b::a9fe:a9fe]/', // NAT64 of 169.254.169.254
      'http://[64:ff9b::808:808]/', // NAT64, even of a public address: the range is refused
      'http://[64:ff9b:1::1]/',
      'http://[2002:7f00:1::]/', // 6to4
      'http://[2001::1]/', // Teredo
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[::127.0.0.1]/',
      'http://[ff02::1]/',
      'http://localhost:3000/',
      'http://api.localhost/',
      'http://metadata.google.internal/computeMetadata/v1/',
    ])
      expect(privateUrlReason(url), url).toEqual(expect.any(String));
  });

  it('lets public addresses and host names through (names are checked at connect time)', () => {
    for (const url of [
      'https://example.com/hook',
      'http://93.184.216.34/',
      'http://[2606:4700:4700::1111]/',
      'http://[::ffff:8.8.8.8]/',
      'https://hooks.internal-looking.example/',
    ])
      expect(privateUrlReason(url), url).toBeUndefined();
  });

  it('checks resolved addresses the same way', () => {
    expect(isPrivateAddress('169.254.169.254')).toBe(true);
    expect(isPrivateAddress('::ffff:10.0.0.1')).toBe(true);
    expect(isPrivateAddress('64:ff9b::1')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('not an address')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { isFetchAllowed } from '../../../utils/verify/url-policy.ts';

describe('isFetchAllowed (letter-format.md section 4)', () => {
  it.each([
    ['https://example.gov.cn/registry.jws', 'https on any host'],
    ['https://example.gov.cn:8443/jwks.json', 'https with a port'],
    ['HTTPS://EXAMPLE.GOV.CN/x', 'https in capitals'],
    ['http://127.0.0.1/registry.jws', 'http on 127.0.0.1'],
    ['http://127.255.3.4:9000/x', 'http anywhere in 127.0.0.0/8'],
    ['http://localhost:8080/x', 'http on localhost with a port'],
    ['HTTP://LOCALHOST/x', 'http on localhost in capitals'],
    ['http://[::1]:3000/x', 'http on [::1]'],
    ['http://[0:0:0:0:0:0:0:1]/x', 'http on [::1] written out in full'],
    ['http://0x7f.1/x', 'http on 127.0.0.1 in hexadecimal shorthand (the URL parser canonicalises it)'],
    ['http://2130706433/x', 'http on 127.0.0.1 as one decimal number'],
  ])('allows %s (%s)', (url) => {
    expect(isFetchAllowed(url)).toBe(true);
  });

  it.each([
    ['http://example.gov.cn/registry.jws', 'plain http off loopback'],
    ['http://127.0.0.1.evil.com/x', 'a domain that starts with a loopback address'],
    ['http://localhost.evil/x', 'a domain that starts with localhost'],
    ['http://evil-localhost/x', 'a domain that ends with localhost'],
    ['http://localhost./x', 'localhost with a trailing dot (not in the spec list)'],
    ['http://[::ffff:127.0.0.1]/x', 'an IPv4-mapped IPv6 address (not in the spec list)'],
    ['http://128.0.0.1/x', 'an address just outside 127.0.0.0/8'],
    ['http://10.0.0.1/x', 'a private but not loopback address'],
    ['http://localhost@evil.com/x', 'userinfo that makes a remote host look local'],
    ['https://user:secret@example.gov.cn/x', 'https carrying credentials'],
    ['ftp://127.0.0.1/x', 'another scheme on loopback'],
    ['file:///etc/passwd', 'a file URL'],
    ['data:text/plain,hello', 'a data URL'],
    ['javascript:alert(1)', 'a javascript URL'],
    ['//example.gov.cn/x', 'a scheme-relative reference'],
    ['not a url', 'text that is not a URL'],
    ['', 'the empty string'],
  ])('refuses %s (%s)', (url) => {
    expect(isFetchAllowed(url)).toBe(false);
  });
});

/**
 * Which URLs the verifier may fetch (letter-format.md section 4): `https:` always;
 * plain `http:` only on a loopback host (`127.0.0.0/8`, `[::1]`, `localhost`), for
 * local deployments and tests. Shared by the extension and the CLI through the fetcher.
 */

/** `127.0.0.0/8` in the canonical dotted form the WHATWG URL parser gives every IPv4 host. */
const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether a host, as `URL.hostname` spells it, is one of the loopback hosts the spec
 * names. The URL parser has already lower-cased it and turned `0x7f.1` or `2130706433`
 * into `127.0.0.1` and `[0:0::1]` into `[::1]`, so only canonical forms need matching.
 * `[::ffff:127.0.0.1]` (an IPv4-mapped IPv6 address) and `localhost.` are not in the
 * spec's list and are refused: the list is exact, not "anything that might loop back".
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || LOOPBACK_V4.test(hostname);
}

/**
 * Whether the verifier may fetch this URL at all.
 *
 * A URL with a user name or password is refused too: section 4 says no credentials are
 * sent, and `http://localhost@evil.com` is the classic way to make a remote host look local.
 *
 * @example
 * isFetchAllowed('https://example.gov.cn/registry.jws') // true
 * isFetchAllowed('http://127.0.0.1:8080/jwks.json')     // true
 * isFetchAllowed('http://example.gov.cn/jwks.json')     // false: plain http off loopback
 * isFetchAllowed('http://127.0.0.1.evil.com/')          // false: a domain, not an address
 */
export function isFetchAllowed(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === 'https:') return parsed.hostname !== '';
  if (parsed.protocol === 'http:') return isLoopbackHost(parsed.hostname);
  return false;
}

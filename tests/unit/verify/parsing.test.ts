import { deflateSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isAl1Text, tokenFromAl1Text } from '../../../utils/verify/al1-text.ts';
import { checkHeader, decodeBase64url } from '../../../utils/verify/compact-jws.ts';
import { JOSE_ERROR_MEANING, joseFailure } from '../../../utils/verify/jose-errors.ts';
import { inflateRawLimited, LETTER_INFLATE_LIMIT, unzlibLimited } from '../../../utils/verify/limited-inflate.ts';
import { keyFitsAlg, readPublicJwk } from '../../../utils/verify/public-jwk.ts';
import { parseStrictJson } from '../../../utils/verify/strict-json.ts';

describe('AL1 text', () => {
  it.each([
    ['AL1:a.b.c', true],
    ['al1:a.b.c', false],
    ['https://example.gov.cn', false],
    ['', false],
  ])('recognizes %j as an AL1 code: %s', (text, expected) => {
    expect(isAl1Text(text)).toBe(expected);
  });

  it('strips the prefix and surrounding whitespace', () => {
    expect(tokenFromAl1Text(' AL1:a.b.c\n')).toBe('a.b.c');
    expect(tokenFromAl1Text('a.b.c')).toBeNull();
  });
});

describe('parseStrictJson', () => {
  it.each([['{"a":1,"a":2}'], ['{"scope":"x","\\u0073cope":"y"}'], ['{"o":{"k":1,"k":1}}'], ['[{"k":1,"k":1}]']])(
    'refuses duplicate member names in %s',
    (text) => {
      const result = parseStrictJson(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain('duplicate member');
    },
  );

  it.each([
    ['{"a":1,}'],
    ["{'a':1}"],
    ['{"a":01}'],
    ['{"a":"\u0001"}'],
    ['{"a":1} x'],
    ['\ufeff{}'],
    ['['.repeat(100) + ']'.repeat(100)],
    [''],
  ])('refuses malformed JSON %j', (text) => {
    expect(parseStrictJson(text).ok).toBe(false);
  });

  it('reads well-formed JSON exactly as JSON.parse does', () => {
    const text = '{"a":[1,2.5e3,-0,true,false,null],"b":{"c":"\\u4e2d\\n"},"__proto__":1}';
    const result = parseStrictJson(text);
    expect(result).toEqual({ ok: true, value: JSON.parse(text) });
  });
});

describe('decodeBase64url', () => {
  it.each([
    ['AQID', [1, 2, 3]],
    ['', []],
    ['_-8', [255, 239]],
  ])('decodes %j', (text, bytes) => {
    expect([...(decodeBase64url(text) ?? [99])]).toEqual(bytes);
  });

  it.each([['AQID='], ['AQ+D'], ['A'], ['AR'], ['AQ ID']])(
    'refuses %j (padding, other alphabets, stray bits)',
    (text) => {
      expect(decodeBase64url(text)).toBeNull();
    },
  );
});

describe('checkHeader', () => {
  const good = { alg: 'ES256', typ: 'al+jwt', kid: 'k' };
  it('accepts the allowed members', () => {
    expect(checkHeader({ ...good, zip: 'DEF' }, { typ: 'al+jwt', allowZip: true })).toEqual([]);
  });

  it.each([
    ['jku', { jku: 'https://x' }, 'forbidden'],
    ['x5u', { x5u: 'https://x' }, 'forbidden'],
    ['jwk', { jwk: {} }, 'forbidden'],
    ['x5c', { x5c: [] }, 'forbidden'],
    ['crit', { crit: ['b64'] }, 'forbidden'],
    ['cty', { cty: 'JWT' }, 'unknown-member'],
    ['alg HS256', { alg: 'HS256' }, 'alg'],
    ['alg none', { alg: 'none' }, 'alg'],
    ['alg ES384', { alg: 'ES384' }, 'alg'],
    ['alg Ed25519', { alg: 'Ed25519' }, 'alg'],
    ['typ JWT', { typ: 'JWT' }, 'typ'],
    ['kid empty', { kid: '' }, 'kid'],
    ['kid number', { kid: 7 }, 'kid'],
    ['zip GZIP', { zip: 'GZIP' }, 'zip'],
  ])('rejects %s', (_, extra, kind) => {
    expect(checkHeader({ ...good, ...extra }, { typ: 'al+jwt', allowZip: true }).map((p) => p.kind)).toContain(kind);
  });

  it('rejects zip where it is not allowed (registries, status lists)', () => {
    expect(
      checkHeader({ ...good, typ: 'al-registry+jwt', zip: 'DEF' }, { typ: 'al-registry+jwt', allowZip: false }),
    ).toEqual([{ kind: 'zip', zip: 'DEF' }]);
  });
});

describe('limited inflate', () => {
  it('inflates DEFLATE and ZLIB within the limit', () => {
    const bytes = new TextEncoder().encode('授权书'.repeat(1000));
    expect(inflateRawLimited(deflateSync(bytes), LETTER_INFLATE_LIMIT)).toEqual({ ok: true, bytes });
    expect(unzlibLimited(zlibSync(bytes), LETTER_INFLATE_LIMIT)).toEqual({ ok: true, bytes });
  });

  it('stops a bomb of 1 GiB of zeros at the limit without producing it', () => {
    // Built by repeating one compressed chunk would take long; 64 MiB of zeros deflates to ~64 KiB.
    const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(128 * 1024);
    expect(inflateRawLimited(bomb, LETTER_INFLATE_LIMIT)).toEqual({ ok: false, error: 'TOO_LARGE' });
  });

  it('allows exactly the limit and refuses one byte more', () => {
    const exact = new Uint8Array(LETTER_INFLATE_LIMIT);
    expect(inflateRawLimited(deflateSync(exact), LETTER_INFLATE_LIMIT).ok).toBe(true);
    const over = new Uint8Array(LETTER_INFLATE_LIMIT + 1);
    expect(inflateRawLimited(deflateSync(over), LETTER_INFLATE_LIMIT)).toEqual({ ok: false, error: 'TOO_LARGE' });
  });

  it.each([
    ['garbage', new Uint8Array([0xff, 0xff, 0xff, 0xff])],
    ['a truncated stream', deflateSync(new Uint8Array(5000).fill(7)).subarray(0, 5)],
  ])('reports CORRUPT for %s', (_, input) => {
    expect(inflateRawLimited(input, LETTER_INFLATE_LIMIT)).toEqual({ ok: false, error: 'CORRUPT' });
  });
});

describe('jose error table', () => {
  it.each(Object.entries(JOSE_ERROR_MEANING))('maps %s to %s by code, not class name', (code, meaning) => {
    expect(joseFailure({ code })).toBe(meaning);
  });

  it('treats an unknown error as a failed signature, never as valid', () => {
    expect(joseFailure(new TypeError('boom'))).toBe('SIGNATURE_INVALID');
  });
});

describe('readPublicJwk', () => {
  const x = 'ehwequgamRBL2Gh0QYDQLfiah8RFs_R64AcWpmK_oEo';
  it.each([
    ['an Ed25519 key', { kty: 'OKP', crv: 'Ed25519', x, kid: 'k' }, true],
    ['a P-256 key', { kty: 'EC', crv: 'P-256', x, y: x, kid: 'k' }, true],
    ['a key with private material', { kty: 'OKP', crv: 'Ed25519', x, d: x, kid: 'k' }, false],
    ['a key without kid', { kty: 'OKP', crv: 'Ed25519', x }, false],
    ['a short coordinate', { kty: 'OKP', crv: 'Ed25519', x: x.slice(1), kid: 'k' }, false],
    ['a coordinate with stray bits', { kty: 'OKP', crv: 'Ed25519', x: `${x.slice(0, 42)}p`, kid: 'k' }, false],
    ['a P-384 key', { kty: 'EC', crv: 'P-384', x, y: x, kid: 'k' }, false],
    ['an RSA key', { kty: 'RSA', n: x, e: 'AQAB', kid: 'k' }, false],
    ['an Ed448 key', { kty: 'OKP', crv: 'Ed448', x, kid: 'k' }, false],
  ])('reads %s: %s', (_, jwk, ok) => {
    expect(readPublicJwk(jwk) !== null).toBe(ok);
  });

  it.each([
    ['ES256', { kty: 'EC', crv: 'P-256', x, y: x, kid: 'k' }, true],
    ['EdDSA', { kty: 'EC', crv: 'P-256', x, y: x, kid: 'k' }, false],
    ['EdDSA', { kty: 'OKP', crv: 'Ed25519', x, kid: 'k' }, true],
    ['ES256', { kty: 'OKP', crv: 'Ed25519', x, kid: 'k' }, false],
    ['ES256', { kty: 'EC', crv: 'P-256', x, y: x, kid: 'k', alg: 'ES384' }, false],
  ] as const)('lets alg %s use %j: %s', (alg, jwk, fits) => {
    const key = readPublicJwk(jwk);
    expect(key && keyFitsAlg(key, alg)).toBe(fits);
  });
});

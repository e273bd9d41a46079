import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { deflateSync, inflateSync, unzlibSync, zlibSync } from 'fflate';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { isAl1Text, tokenFromAl1Text } from '../../../utils/verify/al1-text.ts';
import { checkHeader, decodeBase64url } from '../../../utils/verify/compact-jws.ts';
import {
  inflateRawExact,
  inflateRawLimited,
  LETTER_INFLATE_LIMIT,
  unzlibLimited,
} from '../../../utils/verify/limited-inflate.ts';
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

  it('accepts exactly the texts that encode their own bytes again (canonical), on random base64url', () => {
    const digit = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''));
    fc.assert(
      fc.property(fc.array(digit, { maxLength: 12 }), (digits) => {
        const text = digits.join('');
        const canonical = text.length % 4 !== 1 && base64url.encode(base64url.decode(text)) === text;
        const decoded = decodeBase64url(text);
        expect(decoded !== null, text).toBe(canonical);
        if (decoded) expect(base64url.encode(decoded)).toBe(text);
      }),
      { numRuns: 2000 },
    );
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

  it('refuses a stored (uncompressed) block larger than the limit', () => {
    const stored = deflateSync(crypto.getRandomValues(new Uint8Array(6000)), { level: 0 });
    expect(stored.length).toBe(6005); // one stored block: 5 bytes of header, then the bytes as they are
    expect(inflateRawLimited(stored, 4000)).toEqual({ ok: false, error: 'TOO_LARGE' });
    expect(inflateRawLimited(stored, 6000).ok).toBe(true);
  });

  it('agrees with an unbounded inflate on random, mutated and truncated streams (one call or slices)', () => {
    const reference = (input: Uint8Array, unzlib: boolean, limit: number) => {
      try {
        const bytes = unzlib ? unzlibSync(input) : inflateSync(input);
        return bytes.length > limit ? 'over' : bytes;
      } catch {
        return 'corrupt';
      }
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 12_000 }),
        fc.constantFrom(1000, 16_000),
        fc.integer({ min: 0, max: 9 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        fc.nat(),
        fc.boolean(),
        (plain, limit, level, flips, cut, unzlib) => {
          const packed = unzlib ? zlibSync(plain, { level: level as 0 }) : deflateSync(plain, { level: level as 0 });
          const input = packed.slice(0, packed.length - (cut % 4));
          for (const [at, value] of flips) if (input.length > 0) input[at % input.length] = value;
          const expected = reference(input, unzlib, limit);
          const got = unzlib ? unzlibLimited(input, limit) : inflateRawLimited(input, limit);
          if (expected === 'corrupt') expect(got.ok).toBe(false);
          else if (expected === 'over') expect(got).toMatchObject({ ok: false });
          else expect(got).toEqual({ ok: true, bytes: expected });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes every whole DEFLATE stream as exact, and refuses it with any bytes after its end (inflateRawExact)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 0, max: 9 }),
        fc.uint8Array({ minLength: 1, maxLength: 3 }),
        (plain, level, tail) => {
          const packed = deflateSync(plain, { level: level as 0 });
          expect(inflateRawExact(packed, LETTER_INFLATE_LIMIT)).toEqual({ ok: true, bytes: plain });
          // Another encoder (zlib's, as Python, Java and most JOSE stacks use) ends its streams exactly too.
          const byZlib = new Uint8Array(deflateRawSync(plain, { level }));
          expect(inflateRawExact(byZlib, LETTER_INFLATE_LIMIT)).toEqual({ ok: true, bytes: plain });
          const padded = new Uint8Array(packed.length + tail.length);
          padded.set(packed);
          padded.set(tail, packed.length);
          expect(inflateRawExact(padded, LETTER_INFLATE_LIMIT)).toEqual({ ok: false, error: 'TRAILING' });
          // The unbounded inflate reads the padded stream as the same bytes: what the check is for.
          expect(inflateSync(padded)).toEqual(plain);
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each([
    ['garbage', new Uint8Array([0xff, 0xff, 0xff, 0xff])],
    ['a truncated stream', deflateSync(new Uint8Array(5000).fill(7)).subarray(0, 5)],
  ])('reports CORRUPT for %s', (_, input) => {
    expect(inflateRawLimited(input, LETTER_INFLATE_LIMIT)).toEqual({ ok: false, error: 'CORRUPT' });
  });
});

describe('readPublicJwk', () => {
  const x = 'ehwequgamRBL2Gh0QYDQLfiah8RFs_R64AcWpmK_oEo';
  const b64 = (hex: string) => base64url.encode(Uint8Array.from(Buffer.from(hex, 'hex')));
  // The base points of P-256 (FIPS 186-5) and of the SM2 curve (GB/T 32918.5): real points.
  const p256 = {
    x: b64('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
    y: b64('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
  };
  const sm2 = {
    x: b64('32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7'),
    y: b64('bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0'),
  };
  it.each([
    ['an Ed25519 key', { kty: 'OKP', crv: 'Ed25519', x, kid: 'k' }, true],
    ['a P-256 key', { kty: 'EC', crv: 'P-256', ...p256, kid: 'k' }, true],
    ['an SM2 key', { kty: 'EC', crv: 'SM2', ...sm2, kid: 'k' }, true],
    ['a P-256 key off its curve', { kty: 'EC', crv: 'P-256', x, y: x, kid: 'k' }, false],
    ['an SM2 key with P-256 coordinates', { kty: 'EC', crv: 'SM2', ...p256, kid: 'k' }, false],
    ['a P-256 key with SM2 coordinates', { kty: 'EC', crv: 'P-256', ...sm2, kid: 'k' }, false],
    ['a key with private material', { kty: 'OKP', crv: 'Ed25519', x, d: x, kid: 'k' }, false],
    ['a key without kid', { kty: 'OKP', crv: 'Ed25519', x }, false],
    ['a short coordinate', { kty: 'OKP', crv: 'Ed25519', x: x.slice(1), kid: 'k' }, false],
    ['a coordinate with stray bits', { kty: 'OKP', crv: 'Ed25519', x: `${x.slice(0, 42)}p`, kid: 'k' }, false],
    [
      'an Ed25519 identity key (small order)',
      { kty: 'OKP', crv: 'Ed25519', x: b64(`01${'00'.repeat(31)}`), kid: 'k' },
      false,
    ],
    ['a P-384 key', { kty: 'EC', crv: 'P-384', x, y: x, kid: 'k' }, false],
    ['an RSA key', { kty: 'RSA', n: x, e: 'AQAB', kid: 'k' }, false],
    ['an Ed448 key', { kty: 'OKP', crv: 'Ed448', x, kid: 'k' }, false],
  ])('reads %s: %s', (_, jwk, ok) => {
    expect(readPublicJwk(jwk) !== null).toBe(ok);
  });

  it.each([
    ['ES256', { kty: 'EC', crv: 'P-256', ...p256, kid: 'k' }, true],
    ['EdDSA', { kty: 'EC', crv: 'P-256', ...p256, kid: 'k' }, false],
    ['SM2', { kty: 'EC', crv: 'P-256', ...p256, kid: 'k' }, false],
    ['EdDSA', { kty: 'OKP', crv: 'Ed25519', x, kid: 'k' }, true],
    ['ES256', { kty: 'OKP', crv: 'Ed25519', x, kid: 'k' }, false],
    ['SM2', { kty: 'EC', crv: 'SM2', ...sm2, kid: 'k' }, true],
    ['ES256', { kty: 'EC', crv: 'SM2', ...sm2, kid: 'k' }, false],
    ['ES256', { kty: 'EC', crv: 'P-256', ...p256, kid: 'k', alg: 'ES384' }, false],
    ['SM2', { kty: 'EC', crv: 'SM2', ...sm2, kid: 'k', alg: 'ES256' }, false],
  ] as const)('lets alg %s use %j: %s', (alg, jwk, fits) => {
    const key = readPublicJwk(jwk);
    expect(key !== null && keyFitsAlg(key, alg)).toBe(fits);
  });
});

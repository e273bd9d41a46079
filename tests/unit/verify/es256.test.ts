/**
 * ES256 whichever implementation does the work: WebCrypto, or `@noble/curves` where
 * `crypto.subtle` refuses. RFC 6979 A.2.5 (P-256, SHA-256, "sample") and the range and
 * encoding rules, with the same answer from both.
 */
import { p256 } from '@noble/curves/nist.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bigEndian, fromHex } from '../../../utils/verify/bytes.ts';
import { verifyEs256 } from '../../../utils/verify/es256.ts';

const X = fromHex('60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6');
const Y = fromHex('7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299');
const MESSAGE = new TextEncoder().encode('sample');
const R = 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716';
const S = 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8';
const N = p256.Point.Fn.ORDER;
const be32 = (value: bigint) => fromHex(value.toString(16).padStart(64, '0'));
const rs = (r: bigint, s: bigint) => new Uint8Array([...be32(r), ...be32(s)]);
const r = bigEndian(fromHex(R));
const s = bigEndian(fromHex(S));

afterEach(() => {
  vi.restoreAllMocks();
});

/** As where crypto.subtle refuses ECDSA: every verify rejects, so the library has to answer. */
function refuseWebCrypto() {
  vi.spyOn(globalThis.crypto.subtle, 'verify').mockRejectedValue(new DOMException('no', 'NotSupportedError'));
}

describe.each([
  ['webcrypto', () => {}],
  ['noble', refuseWebCrypto],
] as const)('ES256 with %s', (engine, setUp) => {
  it('verifies the RFC 6979 A.2.5 signature, and its high-S twin, as WebCrypto does', async () => {
    setUp();
    expect(await verifyEs256(X, Y, MESSAGE, rs(r, s))).toEqual({ result: 'valid', engine });
    // Both s and n - s verify in ECDSA; WebCrypto takes both, so the fallback must too.
    expect(await verifyEs256(X, Y, MESSAGE, rs(r, N - s))).toEqual({ result: 'valid', engine });
    expect((await verifyEs256(X, Y, new TextEncoder().encode('samplf'), rs(r, s))).result).toBe('invalid');
  });

  it.each([
    ['r = 0', rs(0n, s), 'r is 0'],
    ['s = 0', rs(r, 0n), 's is 0'],
    ['r = n', rs(N, s), 'r is not below n'],
    ['s = n + 1', rs(r, N + 1n), 's is not below n'],
    ['a 63-byte signature', rs(r, s).subarray(1), 'signature is 63 bytes, not r || s (64)'],
  ])('refuses %s', async (_, signature, detail) => {
    setUp();
    expect(await verifyEs256(X, Y, MESSAGE, signature)).toEqual({ result: 'invalid', detail });
  });

  it('refuses a key off the curve before any engine sees it', async () => {
    setUp();
    const y = Y.slice();
    y[31] = (y[31] as number) ^ 1;
    expect(await verifyEs256(X, y, MESSAGE, rs(r, s))).toMatchObject({ result: 'key-rejected' });
  });
});

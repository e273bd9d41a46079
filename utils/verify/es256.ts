/**
 * ES256 (ECDSA on P-256 with SHA-256, RFC 7518 section 3.4): the signature is `r || s`,
 * 32 bytes each. WebCrypto does the work where it can (every browser the extension
 * supports has P-256); `@noble/curves` stands in where `crypto.subtle` is missing or
 * refuses, with high-S signatures allowed as WebCrypto allows them, so both give the same
 * answer. Range and curve checks run here first, the same for both.
 *
 * A key is checked (on the curve) and imported into WebCrypto once, in an `Es256Key`; the
 * caller keeps that for as long as it trusts the key (jws-signature.ts keeps one per listed
 * key), so a batch of letters pays for neither per letter.
 */
import { p256 } from '@noble/curves/nist.js';
import { bigEndian, bigEndianBytes, compareBigEndian, isZero, ownBytes } from './bytes.ts';
import type { SignatureOutcome } from './signature-outcome.ts';

const N = p256.Point.Fn.ORDER;

/**
 * Why two 32-byte coordinates are not a P-256 public key, or null when they are.
 *
 * @example p256PointProblem(new Uint8Array(32), new Uint8Array(32)) // 'not on the P-256 curve'
 */
export function p256PointProblem(x: Uint8Array, y: Uint8Array): string | null {
  if (x.length !== 32 || y.length !== 32) return 'coordinates are not 32 bytes';
  try {
    // fromAffine + assertValidity: coordinates below p, on the curve, not the point at infinity.
    p256.Point.fromAffine({ x: bigEndian(x), y: bigEndian(y) }).assertValidity();
    return null;
  } catch {
    return 'not on the P-256 curve';
  }
}

/** Group orders as 32 big-endian bytes, by value (P-256's and SM2's). */
const orderBytes = new Map<bigint, Uint8Array>();

/**
 * `r` and `s` of a 64-byte `r || s` signature, each in [1, n-1]; else why not.
 *
 * @example rsProblem(new Uint8Array(64), n) // 'r is 0'
 */
export function rsProblem(signature: Uint8Array, n: bigint): string | null {
  // A DER signature (what OpenSSL prints) is 70-72 bytes: JOSE never uses it.
  if (signature.length !== 64) return `signature is ${signature.length} bytes, not r || s (64)`;
  let limit = orderBytes.get(n);
  if (!limit) {
    limit = bigEndianBytes(n, 32);
    orderBytes.set(n, limit);
  }
  const r = signature.subarray(0, 32);
  const s = signature.subarray(32);
  if (isZero(r)) return 'r is 0';
  if (compareBigEndian(r, limit) >= 0) return 'r is not below n';
  if (isZero(s)) return 's is 0';
  if (compareBigEndian(s, limit) >= 0) return 's is not below n';
  return null;
}

/** A P-256 public key, checked once, imported into WebCrypto on first use. */
export interface Es256Key {
  /** Why the coordinates are not a P-256 public key; null when they are. */
  readonly problem: string | null;
  /** Verifies an ES256 signature over `message` with this key. */
  verify(message: Uint8Array, signature: Uint8Array): Promise<SignatureOutcome>;
}

class P256Key implements Es256Key {
  readonly problem: string | null;
  /** The uncompressed point 04 || x || y (SEC 1), as WebCrypto's raw import and noble take it. */
  private readonly point = new Uint8Array(65);
  private imported: Promise<CryptoKey> | null = null;

  constructor(x: Uint8Array, y: Uint8Array) {
    this.problem = p256PointProblem(x, y);
    this.point[0] = 4;
    if (!this.problem) {
      this.point.set(x, 1);
      this.point.set(y, 33);
    }
  }

  private webCryptoKey(subtle: SubtleCrypto): Promise<CryptoKey> {
    if (!this.imported) {
      const key = subtle.importKey('raw', this.point, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      // A failed import is not remembered: the next verification tries again.
      key.catch(() => {
        if (this.imported === key) this.imported = null;
      });
      this.imported = key;
    }
    return this.imported;
  }

  async verify(message: Uint8Array, signature: Uint8Array): Promise<SignatureOutcome> {
    if (this.problem) return { result: 'key-rejected', detail: `P-256 public key ${this.problem}` };
    const problem = rsProblem(signature, N);
    if (problem) return { result: 'invalid', detail: problem };
    const errors: string[] = [];
    const subtle = globalThis.crypto?.subtle;
    if (subtle) {
      try {
        const key = await this.webCryptoKey(subtle);
        const ok = await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, ownBytes(signature), ownBytes(message));
        return ok
          ? { result: 'valid', engine: 'webcrypto' }
          : { result: 'invalid', detail: 'signature does not match' };
      } catch (error) {
        errors.push(`webcrypto: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    try {
      const ok = p256.verify(signature, message, this.point, { lowS: false, prehash: true, format: 'compact' });
      return ok ? { result: 'valid', engine: 'noble' } : { result: 'invalid', detail: 'signature does not match' };
    } catch (error) {
      errors.push(`noble: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { result: 'unavailable', detail: `no ES256 implementation could run (${errors.join('; ')})` };
  }
}

/**
 * A P-256 key from its two coordinates, checked now; keep it to verify many signatures.
 *
 * @example const key = es256Key(x, y); await key.verify(signingInput, signature)
 */
export function es256Key(x: Uint8Array, y: Uint8Array): Es256Key {
  return new P256Key(x, y);
}

/**
 * Verifies an ES256 signature over `message` with the key (x, y), checking the key first.
 *
 * @example await verifyEs256(x, y, signingInput, signature) // { result: 'valid', engine: 'webcrypto' }
 */
export function verifyEs256(
  x: Uint8Array,
  y: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<SignatureOutcome> {
  return es256Key(x, y).verify(message, signature);
}

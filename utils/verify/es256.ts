/**
 * ES256 (ECDSA on P-256 with SHA-256, RFC 7518 section 3.4): the signature is `r || s`,
 * 32 bytes each. WebCrypto does the work where it can (every browser the extension
 * supports has P-256); `@noble/curves` stands in where `crypto.subtle` is missing or
 * refuses, with high-S signatures allowed as WebCrypto allows them, so both give the same
 * answer. Range and curve checks run here first, the same for both.
 */
import { p256 } from '@noble/curves/nist.js';
import { bigEndian, ownBytes, toHex } from './bytes.ts';
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

/**
 * `r` and `s` of a 64-byte `r || s` signature, each in [1, n-1]; else why not.
 *
 * @example rsProblem(new Uint8Array(64), n) // 'r is 0'
 */
export function rsProblem(signature: Uint8Array, n: bigint): string | null {
  // A DER signature (what OpenSSL prints) is 70-72 bytes: JOSE never uses it.
  if (signature.length !== 64) return `signature is ${signature.length} bytes, not r || s (64)`;
  const r = bigEndian(signature.subarray(0, 32));
  const s = bigEndian(signature.subarray(32));
  if (r === 0n || r >= n) return r === 0n ? 'r is 0' : 'r is not below n';
  if (s === 0n || s >= n) return s === 0n ? 's is 0' : 's is not below n';
  return null;
}

const importedKeys = new Map<string, Promise<CryptoKey>>();
const IMPORTED_KEYS_MAX = 64;

function webCryptoKey(subtle: SubtleCrypto, point: Uint8Array): Promise<CryptoKey> {
  const cacheKey = toHex(point);
  let key = importedKeys.get(cacheKey);
  if (!key) {
    key = subtle.importKey('raw', ownBytes(point), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    // A failed import is not remembered: the next call tries again.
    key.catch(() => importedKeys.delete(cacheKey));
    if (importedKeys.size >= IMPORTED_KEYS_MAX) importedKeys.delete(importedKeys.keys().next().value as string);
    importedKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * Verifies an ES256 signature over `message` with the key (x, y).
 *
 * @example await verifyEs256(x, y, signingInput, signature) // { result: 'valid', engine: 'webcrypto' }
 */
export async function verifyEs256(
  x: Uint8Array,
  y: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<SignatureOutcome> {
  const keyProblem = p256PointProblem(x, y);
  if (keyProblem) return { result: 'key-rejected', detail: `P-256 public key ${keyProblem}` };
  const problem = rsProblem(signature, N);
  if (problem) return { result: 'invalid', detail: problem };
  const point = new Uint8Array(65);
  point[0] = 4;
  point.set(x, 1);
  point.set(y, 33);
  const errors: string[] = [];
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    try {
      const key = await webCryptoKey(subtle, point);
      const ok = await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, ownBytes(signature), ownBytes(message));
      return ok ? { result: 'valid', engine: 'webcrypto' } : { result: 'invalid', detail: 'signature does not match' };
    } catch (error) {
      errors.push(`webcrypto: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    const ok = p256.verify(signature, message, point, { lowS: false, prehash: true, format: 'compact' });
    return ok ? { result: 'valid', engine: 'noble' } : { result: 'invalid', detail: 'signature does not match' };
  } catch (error) {
    errors.push(`noble: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { result: 'unavailable', detail: `no ES256 implementation could run (${errors.join('; ')})` };
}

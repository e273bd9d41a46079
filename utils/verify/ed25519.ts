/**
 * Strict Ed25519 (RFC 8032 section 5.1.7, letter-format.md section 1), whichever
 * implementation does the arithmetic.
 *
 * Chromium has Ed25519 in WebCrypto only from 137; 360, QQ and Sogou ship older ones. Where
 * WebCrypto lacks it, `@noble/curves` (audited) verifies instead. The two do not agree on
 * every hostile input by themselves (WebCrypto's BoringSSL or OpenSSL checks the cofactorless
 * equation and accepts small-order keys; noble checks the cofactored one and accepts a
 * small-order R), so the strict rules run here first, the same for both:
 *
 * - the key and R are canonical encodings (y < p, no "negative zero" x) that decode;
 * - neither is of small order, and the key lies in the prime-order subgroup (every key a
 *   standard signer makes does);
 * - S < L.
 *
 * Only then does an engine check the equation, and both check the same one, cofactorless:
 * WebCrypto by itself, the noble engine by computing [S]B - [k]A with noble's arithmetic and
 * comparing its encoding with R, as BoringSSL and OpenSSL do (noble's own `verify` checks the
 * cofactored equation, which would also take an R plus a torsion point). With such a key,
 * [S]B = R + [k]A can only hold for an R inside the prime-order subgroup. Then both give the
 * same answer on every input.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesEqual, fromHex, ownBytes, toHex } from './bytes.ts';
import type { SignatureOutcome } from './signature-outcome.ts';

const Point = ed25519.Point;
/** The order L of the prime-order subgroup. */
const L = Point.Fn.ORDER;
/** The field prime p = 2^255 - 19. */
const P = Point.Fp.ORDER;

/**
 * Why 32 bytes are not a usable Ed25519 point (public key or R), or null when they are.
 *
 * @example ed25519PointProblem(new Uint8Array(32).fill(0)) // 'of small order'
 */
export function ed25519PointProblem(bytes: Uint8Array): string | null {
  if (bytes.length !== 32) return `${bytes.length} bytes, not 32`;
  let point: InstanceType<typeof Point>;
  try {
    // zip215 = false: RFC 8032 decoding, which refuses y >= p and x = 0 with the sign bit set.
    point = Point.fromBytes(bytes, false);
  } catch {
    return 'not a canonical encoding of a curve point';
  }
  if (point.isSmallOrder()) return 'of small order';
  if (!point.isTorsionFree()) return 'not in the prime-order subgroup';
  return null;
}

/** Public keys already checked: the check is a scalar multiplication, the key list is small. */
const checkedKeys = new Map<string, string | null>();
const CHECKED_KEYS_MAX = 64;

/**
 * Why 32 bytes are not a usable Ed25519 public key, or null; remembered per key, since every
 * registry and `jwks_uri` read and every verification asks again.
 *
 * @example ed25519PublicKeyProblem(identity) // 'of small order'
 */
export function ed25519PublicKeyProblem(publicKey: Uint8Array): string | null {
  const cacheKey = toHex(publicKey);
  if (checkedKeys.has(cacheKey)) return checkedKeys.get(cacheKey) ?? null;
  const problem = ed25519PointProblem(publicKey);
  if (checkedKeys.size >= CHECKED_KEYS_MAX) checkedKeys.delete(checkedKeys.keys().next().value as string);
  checkedKeys.set(cacheKey, problem);
  return problem;
}

/**
 * The eight points of small order (the torsion subgroup), canonically encoded. Every other
 * encoding of them is refused as non-canonical before this list is looked at.
 */
export const SMALL_ORDER_ENCODINGS: readonly string[] = [
  '0100000000000000000000000000000000000000000000000000000000000000', // identity
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4
  '0000000000000000000000000000000000000000000000000000000000000080', // order 4
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
];

/** L and p as 32 little-endian bytes, as RFC 8032 encodes S and y. */
const L_BYTES = fromHex(L.toString(16).padStart(64, '0')).reverse();
const P_BYTES = fromHex(P.toString(16).padStart(64, '0')).reverse();
const SMALL_ORDER_BYTES = SMALL_ORDER_ENCODINGS.map(fromHex);

/**
 * Compares a 32-byte little-endian number with `limit` (also 32 bytes little-endian), the
 * top bit of `bytes` left out when `dropSignBit` (R's sign of x): negative, zero or positive.
 */
function compareLittleEndian(bytes: Uint8Array, limit: Uint8Array, dropSignBit: boolean): number {
  for (let i = 31; i >= 0; i--) {
    const byte = i === 31 && dropSignBit ? (bytes[i] as number) & 0x7f : (bytes[i] as number);
    const d = byte - (limit[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether y (the low 255 bits of R) is 1 or p - 1, the two values whose x is 0. */
function yHasZeroX(rBytes: Uint8Array): boolean {
  const top = (rBytes[31] as number) & 0x7f;
  if (top === 0 && rBytes[0] === 1) {
    for (let i = 1; i < 31; i++) if (rBytes[i] !== 0) return false;
    return true;
  }
  if (top === 0x7f && rBytes[0] === (P_BYTES[0] as number) - 1) {
    for (let i = 1; i < 31; i++) if (rBytes[i] !== 0xff) return false;
    return true;
  }
  return false;
}

/**
 * The strict checks of the signature itself, on its bytes alone (no point decoding, which
 * costs as much as WebCrypto's whole verification): null when it may go to an engine.
 * An R that does not decode at all fails in either engine's own decoding. Byte comparisons,
 * no BigInt: this runs for every EdDSA letter.
 *
 * @example ed25519SignatureProblem(new Uint8Array(64)) // 'R: of small order'
 */
export function ed25519SignatureProblem(signature: Uint8Array): string | null {
  if (signature.length !== 64) return `signature is ${signature.length} bytes, not 64`;
  if (compareLittleEndian(signature.subarray(32), L_BYTES, false) >= 0) return 'S is not below L (non-canonical)';
  const rBytes = signature.subarray(0, 32);
  const sign = (rBytes[31] as number) >> 7;
  // RFC 8032 5.1.3: y >= p does not decode; x = 0 (y = 1 or y = p - 1) with the sign bit set neither.
  if (compareLittleEndian(rBytes, P_BYTES, true) >= 0 || (sign === 1 && yHasZeroX(rBytes))) {
    return 'R: not a canonical encoding of a curve point';
  }
  if (SMALL_ORDER_BYTES.some((point) => bytesEqual(point, rBytes))) return 'R: of small order';
  return null;
}

/** One way to check the Ed25519 equation; throws when it cannot run at all. */
export interface Ed25519Engine {
  name: 'webcrypto' | 'noble';
  /** Resolves to whether the signature holds; only called after the strict checks passed. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** RFC 8032 section 7.1, TEST 1: what the WebCrypto probe must accept (and reject once altered). */
const PROBE = {
  publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  signature:
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};

/**
 * Imported WebCrypto keys, by the array the caller passes (a kept key passes the same one
 * every time, see `Ed25519Key`); a copy of the bytes guards against an array changed since.
 */
const importedKeys = new WeakMap<Uint8Array, { bytes: Uint8Array; key: Promise<CryptoKey> }>();

function webCryptoKey(subtle: SubtleCrypto, publicKey: Uint8Array): Promise<CryptoKey> {
  const held = importedKeys.get(publicKey);
  if (held && bytesEqual(held.bytes, publicKey)) return held.key;
  const bytes = new Uint8Array(publicKey);
  const key = subtle.importKey('raw', bytes, { name: 'Ed25519' }, false, ['verify']);
  // A failed import is not remembered: the next verification tries again.
  key.catch(() => {
    if (importedKeys.get(publicKey)?.key === key) importedKeys.delete(publicKey);
  });
  importedKeys.set(publicKey, { bytes, key });
  return key;
}

async function webCryptoVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('no crypto.subtle');
  const key = await webCryptoKey(subtle, publicKey);
  return subtle.verify({ name: 'Ed25519' }, key, ownBytes(signature), ownBytes(message));
}

/** WebCrypto's Ed25519 (Chromium 137+, Firefox 129+, Node). */
export const WEBCRYPTO_ED25519: Ed25519Engine = { name: 'webcrypto', verify: webCryptoVerify };

/** Decoded public keys, by the array the caller passes (as above); multiples precomputed on reuse. */
const noblePoints = new WeakMap<
  Uint8Array,
  { bytes: Uint8Array; point: InstanceType<typeof Point>; reused: boolean }
>();

/** A window of 4 bits: 64 point additions per multiplication instead of 256 doublings, ~80 KB a key. */
const KEY_WINDOW_BITS = 4;

function noblePoint(publicKey: Uint8Array): InstanceType<typeof Point> {
  const held = noblePoints.get(publicKey);
  if (held && bytesEqual(held.bytes, publicKey)) {
    // The table costs about four multiplications: worth it for a key kept for a batch, not a one-off.
    if (!held.reused) {
      held.reused = true;
      held.point.precompute(KEY_WINDOW_BITS, true);
    }
    return held.point;
  }
  const point = Point.fromBytes(publicKey, false);
  noblePoints.set(publicKey, { bytes: new Uint8Array(publicKey), point, reused: false });
  return point;
}

/**
 * `@noble/curves` arithmetic for the cofactorless equation that WebCrypto's BoringSSL or OpenSSL
 * checks: R' = [S]B - [k]A with k = SHA-512(R || A || M) mod L, accepted when R' encodes to
 * exactly the bytes of R (RFC 8032 5.1.7). Only called after the strict checks above (A in the
 * prime-order subgroup and not of small order, R canonical and not of small order, S < L), so
 * it gives WebCrypto's answer on every input; noble's own `verify` checks the cofactored equation,
 * which would also take an R with a torsion part. The key is decoded and its multiples
 * precomputed once, so a batch of letters under one key pays one fast multiplication each.
 */
export const NOBLE_ED25519: Ed25519Engine = {
  name: 'noble',
  async verify(publicKey, message, signature) {
    const rBytes = signature.subarray(0, 32);
    const s = bytesToNumberLE(signature.subarray(32));
    const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(rBytes, publicKey, message))));
    const rCheck = Point.BASE.multiplyUnsafe(s).subtract(noblePoint(publicKey).multiplyUnsafe(k));
    return bytesEqual(rCheck.toBytes(), rBytes);
  },
};

let webCryptoSupport: Promise<boolean> | null = null;

/**
 * Whether this platform's WebCrypto verifies Ed25519 correctly; asked once, then remembered.
 * A probe that throws (NotSupportedError on old Chromium), accepts an altered signature or
 * rejects the RFC vector all mean "not here".
 */
export function webCryptoHasEd25519(): Promise<boolean> {
  if (!webCryptoSupport) {
    webCryptoSupport = (async () => {
      try {
        const publicKey = fromHex(PROBE.publicKey);
        const signature = fromHex(PROBE.signature);
        const altered = fromHex(PROBE.signature);
        altered[0] = (altered[0] as number) ^ 1;
        const empty = new Uint8Array(0);
        return (
          (await webCryptoVerify(publicKey, empty, signature)) && !(await webCryptoVerify(publicKey, empty, altered))
        );
      } catch {
        return false;
      }
    })();
  }
  return webCryptoSupport;
}

/** Forgets the probe's answer (tests hide and restore WebCrypto's Ed25519). */
export function forgetEd25519Support(): void {
  webCryptoSupport = null;
}

/** The engines to try, best first: WebCrypto where it works, then noble. */
export async function ed25519Engines(): Promise<Ed25519Engine[]> {
  return (await webCryptoHasEd25519()) ? [WEBCRYPTO_ED25519, NOBLE_ED25519] : [NOBLE_ED25519];
}

/** An Ed25519 public key, checked once (a scalar multiplication), kept to verify many signatures. */
export interface Ed25519Key {
  /** Why the bytes are not a usable Ed25519 public key; null when they are. */
  readonly problem: string | null;
  /** Verifies strictly, with the engines given or the best this platform has. */
  verify(message: Uint8Array, signature: Uint8Array, engines?: readonly Ed25519Engine[]): Promise<SignatureOutcome>;
}

class CheckedEd25519Key implements Ed25519Key {
  readonly problem: string | null;
  /** A private copy: the same array every time, which WebCrypto's key cache is keyed by. */
  private readonly bytes: Uint8Array;

  constructor(publicKey: Uint8Array) {
    this.bytes = new Uint8Array(publicKey);
    this.problem = ed25519PublicKeyProblem(this.bytes);
  }

  async verify(
    message: Uint8Array,
    signature: Uint8Array,
    engines?: readonly Ed25519Engine[],
  ): Promise<SignatureOutcome> {
    if (this.problem) return { result: 'key-rejected', detail: `Ed25519 public key ${this.problem}` };
    const signatureProblem = ed25519SignatureProblem(signature);
    if (signatureProblem) return { result: 'invalid', detail: signatureProblem };
    const errors: string[] = [];
    for (const engine of engines ?? (await ed25519Engines())) {
      try {
        const ok = await engine.verify(this.bytes, message, signature);
        return ok
          ? { result: 'valid', engine: engine.name }
          : { result: 'invalid', detail: 'signature does not match' };
      } catch (error) {
        // An engine that cannot run is skipped, never read as a failed signature.
        errors.push(`${engine.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { result: 'unavailable', detail: `no Ed25519 implementation could run (${errors.join('; ') || 'none'})` };
  }
}

/**
 * An Ed25519 key from its 32 bytes, checked now; keep it to verify many signatures.
 *
 * @example const key = ed25519Key(publicKey); await key.verify(signingInput, signature)
 */
export function ed25519Key(publicKey: Uint8Array): Ed25519Key {
  return new CheckedEd25519Key(publicKey);
}

/**
 * Verifies an Ed25519 signature strictly. `unavailable` only when no engine could run at
 * all: that is "this machine cannot check", never "forged".
 *
 * @example await verifyEd25519(publicKey, signingInput, signature) // { result: 'valid', engine: 'webcrypto' }
 */
export function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  engines?: readonly Ed25519Engine[],
): Promise<SignatureOutcome> {
  return ed25519Key(publicKey).verify(message, signature, engines);
}

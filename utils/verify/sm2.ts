/**
 * `SM2` (letter-format.md section 1.1): an SM2 signature (GB/T 32918.2) with SM3
 * (GB/T 32905) over the JWS signing input, the default distinguishing identifier
 * `1234567812345678` in Z, and the signature as `r || s`, 32 bytes each.
 *
 * No browser has SM2 in WebCrypto, so `sm-crypto-v2` (SM2 on `@noble/curves`' Weierstrass
 * arithmetic, SM3 on `@noble/hashes`' hash framework) does all of it. That library leaves
 * some rules to its caller, so they are applied here first: the key must be a point of the
 * GB/T 32918.5 curve (its point parser throws otherwise), the signature exactly 64 bytes
 * (never DER: the library reads whatever hex it is given as r and s), and r, s in [1, n-1]
 * (GB/T 32918.2 section 7.1, steps B1-B2: the library throws for s = 0 or s >= n, which must
 * read as a bad signature, not as "cannot check here").
 */
import { sm2 } from 'sm-crypto-v2';
import { toHex } from './bytes.ts';
import { rsProblem } from './es256.ts';
import type { SignatureOutcome } from './signature-outcome.ts';

/** The distinguishing identifier of GM/T 0009 / GB/T 35276, fixed by letter-format.md section 1.1. */
export const SM2_DEFAULT_ID = '1234567812345678';

/** The order n of the GB/T 32918.5 recommended curve's base point. */
export const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

/**
 * Why two 32-byte coordinates are not a point of the SM2 curve, or null when they are.
 *
 * @example sm2PointProblem(p256X, p256Y) // 'not on the SM2 curve'
 */
export function sm2PointProblem(x: Uint8Array, y: Uint8Array): string | null {
  if (x.length !== 32 || y.length !== 32) return 'coordinates are not 32 bytes';
  try {
    // Checks the coordinates are field elements and satisfy y^2 = x^3 + ax + b; throws otherwise.
    return sm2.verifyPublicKey(`04${toHex(x)}${toHex(y)}`) ? null : 'not on the SM2 curve';
  } catch {
    return 'not on the SM2 curve';
  }
}

type Sm2Point = ReturnType<typeof sm2.precomputePublicKey>;

/**
 * Checked keys, with the library's precomputed multiples of the point: a batch of letters
 * from one county then costs one fixed-window multiplication each instead of a full one.
 */
const checkedKeys = new Map<string, { problem: string } | { point: Sm2Point }>();
const CHECKED_KEYS_MAX = 32;

function checkedKey(x: Uint8Array, y: Uint8Array): { problem: string } | { point: Sm2Point } {
  const hex = `04${toHex(x)}${toHex(y)}`;
  let entry = checkedKeys.get(hex);
  if (!entry) {
    const problem = sm2PointProblem(x, y);
    entry = problem ? { problem } : { point: sm2.precomputePublicKey(hex) };
    if (checkedKeys.size >= CHECKED_KEYS_MAX) checkedKeys.delete(checkedKeys.keys().next().value as string);
    checkedKeys.set(hex, entry);
  }
  return entry;
}

/** An SM2 public key, checked and precomputed once, kept to verify many signatures. */
export interface Sm2Key {
  /** Why the coordinates are not a point of the SM2 curve; null when they are. */
  readonly problem: string | null;
  /** Verifies an SM2 signature (SM3, the default identifier) over `message`. */
  verify(message: Uint8Array, signature: Uint8Array): SignatureOutcome;
}

function verifyWith(key: { problem: string } | { point: Sm2Point }, message: Uint8Array, signature: Uint8Array) {
  if ('problem' in key) return { result: 'key-rejected', detail: `SM2 public key ${key.problem}` } as const;
  const problem = rsProblem(signature, SM2_N);
  if (problem) return { result: 'invalid', detail: problem } as const;
  try {
    const ok = sm2.doVerifySignature(message, toHex(signature), key.point, {
      der: false,
      hash: true, // e = SM3(Z || M), Z from the identifier, the curve and the key
      userId: SM2_DEFAULT_ID,
    });
    return ok
      ? ({ result: 'valid', engine: 'sm-crypto-v2' } as const)
      : ({ result: 'invalid', detail: 'signature does not match' } as const);
  } catch (error) {
    return {
      result: 'unavailable',
      detail: `SM2 implementation failed: ${error instanceof Error ? error.message : String(error)}`,
    } as const;
  }
}

/**
 * An SM2 key from its two coordinates, checked now; keep it to verify many signatures.
 *
 * @example const key = sm2Key(x, y); key.verify(signingInput, signature)
 */
export function sm2Key(x: Uint8Array, y: Uint8Array): Sm2Key {
  const checked = checkedKey(x, y);
  return {
    problem: 'problem' in checked ? checked.problem : null,
    verify: (message, signature) => verifyWith(checked, message, signature),
  };
}

/**
 * Verifies an SM2 signature over `message` with the key (x, y).
 *
 * @example verifySm2(x, y, signingInput, signature) // { result: 'valid', engine: 'sm-crypto-v2' }
 */
export function verifySm2(x: Uint8Array, y: Uint8Array, message: Uint8Array, signature: Uint8Array): SignatureOutcome {
  return verifyWith(checkedKey(x, y), message, signature);
}

/**
 * Public signing keys as they appear in the root JWKS, the registry and `jwks_uri`.
 *
 * Three kinds exist here: EC P-256 for `ES256`, OKP Ed25519 for `EdDSA`, EC SM2 for `SM2`.
 * The algorithm comes from the token header, so a key is used only when its type fits that
 * algorithm: otherwise a token could steer a key into an algorithm it was never made
 * for (the HS256-with-a-public-key confusion, RFC 8725 section 2.1).
 *
 * A key that claims one of these kinds but is not a valid public key (off its curve, an
 * Ed25519 point of small order, private members present) is kept as `unusable` rather than
 * dropped (letter-format.md section 2): its `kid` is then known, and a letter under it gets
 * KEY_UNKNOWN, instead of the lookup going on to find that `kid` elsewhere.
 */
import type { AllowedAlg } from './compact-jws.ts';
import { decodeBase64url } from './compact-jws.ts';
import { ed25519PublicKeyProblem } from './ed25519.ts';
import { p256PointProblem } from './es256.ts';
import { sm2PointProblem } from './sm2.ts';
import { isJsonObject } from './strict-json.ts';

/** A public key that may verify signatures of its own algorithm. */
export type UsableJwk =
  | { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string; alg?: string }
  | { kty: 'EC'; crv: 'SM2'; x: string; y: string; kid: string; alg?: string }
  | { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg?: string };

/** A listed signing key that is not a valid public key: it holds its `kid` and verifies nothing. */
export interface UnusableJwk {
  kty: 'unusable';
  kid: string;
  /** Why, for logs and tests (never shown as a verdict). */
  problem: string;
}

/** What a JWKS entry of a supported kind reads as. */
export type PublicJwk = UsableJwk | UnusableJwk;

/** A 32-byte coordinate in base64url: P-256 and SM2 x and y, Ed25519 x (RFC 7518 6.2.1.2, RFC 8037 2). */
const COORDINATE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** JWK members that carry private key material (RFC 7518 section 6.2.2, 6.3.2, 6.4; RFC 8037 2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** Why a key's `use` or `key_ops` rule out verifying signatures with it; null when they do not. */
function intendedUseProblem(use: unknown, keyOps: unknown): string | null {
  if (use !== undefined && use !== 'sig') return `use is ${JSON.stringify(use)}, not "sig"`;
  if (keyOps === undefined) return null;
  if (!Array.isArray(keyOps) || !keyOps.every((op) => typeof op === 'string')) return 'key_ops is not a list of text';
  return keyOps.includes('verify') ? null : 'key_ops does not include "verify"';
}

/** The key kinds of letter-format.md, by `kty` and `crv`. */
function claimedKind(kty: unknown, crv: unknown): 'P-256' | 'SM2' | 'Ed25519' | null {
  if (kty === 'EC' && (crv === 'P-256' || crv === 'SM2')) return crv;
  if (kty === 'OKP' && crv === 'Ed25519') return crv;
  return null;
}

function coordinate(value: unknown): Uint8Array | null {
  return typeof value === 'string' && COORDINATE.test(value) ? decodeBase64url(value) : null;
}

/**
 * Reads one JWKS entry. Null when it is not a signing key of a kind letter-format.md knows, or
 * has no `kid` (another kind of key may sit in a JWKS for another use); `unusable` when it
 * claims such a kind but is not a valid public key.
 *
 * @example readListedJwk({ kty: 'OKP', crv: 'Ed25519', x: 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', kid: 'k' })
 * // { kty: 'unusable', kid: 'k', problem: 'Ed25519 x is of small order' }
 */
export function readListedJwk(value: unknown): PublicJwk | null {
  if (!isJsonObject(value)) return null;
  const { kty, crv, x, y, kid, alg } = value;
  if (typeof kid !== 'string' || kid.length === 0) return null;
  const unusable = (problem: string): UnusableJwk => ({ kty: 'unusable', kid, problem });
  // A private key has no business in a verifier's key set: whoever published it leaked it.
  const privateMember = PRIVATE_MEMBERS.find((member) => value[member] !== undefined);
  if (privateMember) return unusable(`carries the private member ${privateMember}`);
  const kind = claimedKind(kty, crv);
  if (!kind) return null;
  if (alg !== undefined && typeof alg !== 'string') return unusable('alg is not a string');
  // RFC 7517 sections 4.2 and 4.3: a key published for encryption, or whose operations leave
  // out "verify", was not published to check signatures; using it anyway would make its
  // owner vouch for letters through a key they gave out for something else.
  const useProblem = intendedUseProblem(value.use, value.key_ops);
  if (useProblem) return unusable(useProblem);
  const algPart = typeof alg === 'string' ? { alg } : {};
  const xBytes = coordinate(x);
  if (!xBytes) return unusable(`${kind} x is not 32 bytes of base64url`);
  if (kind === 'Ed25519') {
    if (y !== undefined) return unusable('an Ed25519 key has no y');
    const problem = ed25519PublicKeyProblem(xBytes);
    return problem ? unusable(`Ed25519 x is ${problem}`) : { kty: 'OKP', crv: kind, x: x as string, kid, ...algPart };
  }
  const yBytes = coordinate(y);
  if (!yBytes) return unusable(`${kind} y is not 32 bytes of base64url`);
  const problem = kind === 'P-256' ? p256PointProblem(xBytes, yBytes) : sm2PointProblem(xBytes, yBytes);
  if (problem) return unusable(problem);
  return { kty: 'EC', crv: kind, x: x as string, y: y as string, kid, ...algPart };
}

/**
 * Reads one public JWK that must be usable; null otherwise (options page, issuer tools).
 *
 * @example readPublicJwk({ kty: 'OKP', crv: 'Ed25519', x: '…', kid: 'k1' })
 */
export function readPublicJwk(value: unknown): UsableJwk | null {
  const key = readListedJwk(value);
  return key && key.kty !== 'unusable' ? key : null;
}

/**
 * Reads a JWKS (`{"keys": [...]}`); keys of other kinds are skipped, since a JWKS may hold
 * keys for other uses, and invalid keys of our kinds are kept as `unusable`. Null when the
 * value is not a JWKS at all.
 *
 * @example readJwks({ keys: [{ kty: 'oct', k: 'AA' }] }) // [] (no kid)
 */
export function readJwks(value: unknown): PublicJwk[] | null {
  if (!isJsonObject(value) || !Array.isArray(value.keys)) return null;
  const keys: PublicJwk[] = [];
  for (const key of value.keys) {
    const jwk = readListedJwk(key);
    if (jwk) keys.push(jwk);
  }
  // A kid shared with an unusable key names no usable key either: which of the two a lookup
  // met first must not decide whether a letter under that kid verifies.
  const poisoned = new Set(keys.filter((k) => k.kty === 'unusable').map((k) => k.kid));
  return keys.map((k) =>
    k.kty !== 'unusable' && poisoned.has(k.kid)
      ? { kty: 'unusable', kid: k.kid, problem: 'its kid is shared with an invalid key' }
      : k,
  );
}

/**
 * Whether a key may be used at all.
 *
 * @example isUsableJwk({ kty: 'unusable', kid: 'k', problem: 'p' }) // false
 */
export function isUsableJwk(jwk: PublicJwk): jwk is UsableJwk {
  return jwk.kty !== 'unusable';
}

/**
 * Whether a key may verify a token with this header `alg`: ES256 needs EC P-256, EdDSA needs
 * Ed25519, SM2 needs EC SM2, and a key's own `alg`, when present, must agree. An unusable key
 * fits nothing. A key marked `"alg": "Ed25519"` (RFC 9864's name for exactly EdDSA on
 * Ed25519, which newer JOSE libraries write into exported keys) agrees with EdDSA: the curve
 * binds it all the same, and refusing it made an independent issuer's genuine letters KEY_UNKNOWN.
 *
 * @example keyFitsAlg({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', kid: 'k' }, 'SM2') // false
 */
export function keyFitsAlg(jwk: PublicJwk, alg: AllowedAlg): jwk is UsableJwk {
  if (jwk.kty === 'unusable') return false;
  if (jwk.alg !== undefined && jwk.alg !== alg && !(alg === 'EdDSA' && jwk.alg === 'Ed25519')) return false;
  if (alg === 'ES256') return jwk.kty === 'EC' && jwk.crv === 'P-256';
  if (alg === 'SM2') return jwk.kty === 'EC' && jwk.crv === 'SM2';
  return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
}

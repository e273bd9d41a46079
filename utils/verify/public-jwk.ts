/**
 * Public signing keys as they appear in the root JWKS, the registry and `jwks_uri`.
 *
 * Only two kinds exist here: EC P-256 for `ES256` and OKP Ed25519 for `EdDSA`. The
 * algorithm comes from the token header, so a key is used only when its type fits that
 * algorithm: otherwise a token could steer a key into an algorithm it was never made
 * for (the HS256-with-a-public-key confusion, RFC 8725 section 2.1).
 */
import { compactVerify, importJWK } from 'jose';
import type { AllowedAlg } from './compact-jws.ts';
import { type JoseFailure, joseFailure } from './jose-errors.ts';
import { isJsonObject } from './strict-json.ts';

export type PublicJwk =
  | { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string; alg?: string }
  | { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg?: string };

/** A 32-byte coordinate in base64url: P-256 x and y, Ed25519 x (RFC 7518 6.2.1.2, RFC 8037 2). */
const COORDINATE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/**
 * Reads one public JWK; null when it is not an EC P-256 or Ed25519 public key with a
 * `kid`, or when it carries private material (`d`), which no verifier should hold.
 *
 * @example readPublicJwk({ kty: 'OKP', crv: 'Ed25519', x: '…', kid: 'k1' })
 */
export function readPublicJwk(value: unknown): PublicJwk | null {
  if (!isJsonObject(value)) return null;
  const { kty, crv, x, y, kid, alg, d } = value;
  if (d !== undefined) return null;
  if (typeof kid !== 'string' || kid.length === 0) return null;
  if (alg !== undefined && typeof alg !== 'string') return null;
  if (typeof x !== 'string' || !COORDINATE.test(x)) return null;
  const algPart = typeof alg === 'string' ? { alg } : {};
  if (kty === 'EC' && crv === 'P-256' && typeof y === 'string' && COORDINATE.test(y)) {
    return { kty, crv, x, y, kid, ...algPart };
  }
  if (kty === 'OKP' && crv === 'Ed25519' && y === undefined) return { kty, crv, x, kid, ...algPart };
  return null;
}

/**
 * Reads a JWKS (`{"keys": [...]}`); keys of other types are skipped, since a JWKS may hold
 * keys for other uses. Null when the value is not a JWKS at all.
 *
 * @example readJwks({ keys: [{ kty: 'oct', k: 'AA' }] }) // []
 */
export function readJwks(value: unknown): PublicJwk[] | null {
  if (!isJsonObject(value) || !Array.isArray(value.keys)) return null;
  const keys: PublicJwk[] = [];
  for (const key of value.keys) {
    const jwk = readPublicJwk(key);
    if (jwk) keys.push(jwk);
  }
  return keys;
}

/**
 * Whether a key may verify a token with this header `alg`: ES256 needs EC P-256, EdDSA needs
 * Ed25519, and a key's own `alg`, when present, must agree.
 *
 * @example keyFitsAlg({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', kid: 'k' }, 'EdDSA') // false
 */
export function keyFitsAlg(jwk: PublicJwk, alg: AllowedAlg): boolean {
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (alg === 'ES256') return jwk.kty === 'EC' && jwk.crv === 'P-256';
  return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
}

/**
 * Imported public keys, by algorithm and key material. Importing is a WebCrypto round trip
 * that costs as much as a verification; public keys are safe to keep. Bounded so a stream
 * of letters naming fresh jwks_uri keys cannot grow it without end.
 */
const importedKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();
const IMPORTED_KEYS_MAX = 64;

function importedKey(jwk: PublicJwk, alg: AllowedAlg): Promise<CryptoKey | Uint8Array> {
  const { kid: _kid, alg: _alg, ...material } = jwk;
  const cacheKey = `${alg} ${JSON.stringify(material)}`;
  let key = importedKeys.get(cacheKey);
  if (!key) {
    key = importJWK({ ...material, ext: false }, alg);
    // A failed import is not remembered: the next call tries again and reports its own error.
    key.catch(() => importedKeys.delete(cacheKey));
    if (importedKeys.size >= IMPORTED_KEYS_MAX) importedKeys.delete(importedKeys.keys().next().value as string);
    importedKeys.set(cacheKey, key);
  }
  return key;
}

export type SignatureCheck = { ok: true } | { ok: false; failure: JoseFailure; detail: string };

/**
 * Verifies a compact JWS with exactly one key and exactly one algorithm, the one the key
 * fits. The key is never taken from the token.
 *
 * @example await verifyWithKey(token, issuerKey, 'ES256') // { ok: true }
 */
export async function verifyWithKey(compact: string, jwk: PublicJwk, alg: AllowedAlg): Promise<SignatureCheck> {
  if (!keyFitsAlg(jwk, alg))
    return { ok: false, failure: 'KEY_REJECTED', detail: `key ${jwk.kid} does not fit ${alg}` };
  try {
    const key = await importedKey(jwk, alg);
    // jose checks the header alg against this list before it touches the key.
    await compactVerify(compact, key, { algorithms: [alg] });
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      failure: joseFailure(error),
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * Checking the signature of a compact JWS with exactly one key and exactly one algorithm:
 * the one place letters, registries and status lists have their signatures checked, so the
 * strict rules and the WebCrypto fallbacks hold for all three alike.
 *
 * Each listed key is decoded, checked (on its curve, not of small order) and imported into
 * WebCrypto once, then kept with the key object it came from (the registry's or a JWKS's):
 * a batch of letters under one key pays for that once, not per letter. What is kept is a pure
 * function of the key's coordinates, checked against them on every use, so it can never let
 * through a key that the registry or the JWKS no longer lists: which key a token gets is
 * decided before this (issuer-keys.ts), from the registry and JWKS in force.
 */
import type { AllowedAlg, SplitJws } from './compact-jws.ts';
import { decodeBase64url } from './compact-jws.ts';
import { ed25519Key } from './ed25519.ts';
import { es256Key } from './es256.ts';
import { keyFitsAlg, type PublicJwk, type UsableJwk } from './public-jwk.ts';
import type { SignatureOutcome } from './signature-outcome.ts';
import { sm2Key } from './sm2.ts';

/** A signature that is not base64url never gets here: splitCompactJws already refused the token. */
export type SignatureFailure = 'SIGNATURE_INVALID' | 'KEY_REJECTED' | 'UNAVAILABLE';

export type SignatureCheck = { ok: true; engine: string } | { ok: false; failure: SignatureFailure; detail: string };

const ascii = new TextEncoder();

interface PreparedKey {
  /** The coordinates it was made from: a key object changed since gets a new one. */
  crv: string;
  x: string;
  y: string | undefined;
  verify(message: Uint8Array, signature: Uint8Array): Promise<SignatureOutcome> | SignatureOutcome;
}

/**
 * Prepared keys by key object. Bounded by the key objects alive: they belong to the registry
 * in use and the JWKS memo (issuer-keys.ts), and go when those do.
 */
const preparedKeys = new WeakMap<UsableJwk, PreparedKey>();

const KEY_NOT_BASE64URL: SignatureOutcome = { result: 'key-rejected', detail: 'key coordinates are not base64url' };

function prepare(jwk: UsableJwk): PreparedKey {
  const y = jwk.kty === 'EC' ? jwk.y : undefined;
  const held = preparedKeys.get(jwk);
  if (held && held.crv === jwk.crv && held.x === jwk.x && held.y === y) return held;
  const xBytes = decodeBase64url(jwk.x);
  const yBytes = y === undefined ? null : decodeBase64url(y);
  let verify: PreparedKey['verify'];
  if (!xBytes || (y !== undefined && !yBytes)) verify = () => KEY_NOT_BASE64URL;
  else if (jwk.kty === 'OKP') {
    const key = ed25519Key(xBytes);
    verify = (message, signature) => key.verify(message, signature);
  } else if (jwk.crv === 'P-256') {
    const key = es256Key(xBytes, yBytes as Uint8Array);
    verify = (message, signature) => key.verify(message, signature);
  } else {
    const key = sm2Key(xBytes, yBytes as Uint8Array);
    verify = (message, signature) => key.verify(message, signature);
  }
  const prepared: PreparedKey = { crv: jwk.crv, x: jwk.x, y, verify };
  preparedKeys.set(jwk, prepared);
  return prepared;
}

/**
 * Verifies a split compact JWS with one key under the header `alg` the caller already
 * checked. The key is never taken from the token. `UNAVAILABLE` means no implementation of
 * the algorithm could run here: a warning, never a forged signature.
 *
 * @example await verifyWithKey(split.jws, issuerKey, 'ES256') // { ok: true, engine: 'webcrypto' }
 */
export async function verifyWithKey(jws: SplitJws, jwk: PublicJwk, alg: AllowedAlg): Promise<SignatureCheck> {
  if (!keyFitsAlg(jwk, alg))
    return { ok: false, failure: 'KEY_REJECTED', detail: `key ${jwk.kid} does not fit ${alg}` };
  // RFC 7515 section 5.2: the signing input is ASCII(BASE64URL(header) '.' BASE64URL(payload)).
  const signingInput = ascii.encode(jws.compact.slice(0, jws.compact.lastIndexOf('.')));
  const outcome = await prepare(jwk).verify(signingInput, jws.signature);
  switch (outcome.result) {
    case 'valid':
      return { ok: true, engine: outcome.engine };
    case 'invalid':
      return { ok: false, failure: 'SIGNATURE_INVALID', detail: outcome.detail };
    case 'key-rejected':
      return { ok: false, failure: 'KEY_REJECTED', detail: outcome.detail };
    case 'unavailable':
      return { ok: false, failure: 'UNAVAILABLE', detail: outcome.detail };
  }
}

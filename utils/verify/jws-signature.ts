/**
 * Checking the signature of a compact JWS with exactly one key and exactly one algorithm:
 * the one place letters, registries and status lists have their signatures checked, so the
 * strict rules and the WebCrypto fallbacks hold for all three alike.
 */
import type { AllowedAlg } from './compact-jws.ts';
import { decodeBase64url } from './compact-jws.ts';
import { verifyEd25519 } from './ed25519.ts';
import { verifyEs256 } from './es256.ts';
import { keyFitsAlg, type PublicJwk } from './public-jwk.ts';
import type { SignatureOutcome } from './signature-outcome.ts';
import { verifySm2 } from './sm2.ts';

export type SignatureFailure = 'SIGNATURE_INVALID' | 'KEY_REJECTED' | 'MALFORMED' | 'UNAVAILABLE';

export type SignatureCheck = { ok: true; engine: string } | { ok: false; failure: SignatureFailure; detail: string };

const ascii = new TextEncoder();

/**
 * Verifies a compact JWS with one key under the header `alg` the caller already checked.
 * The key is never taken from the token. `UNAVAILABLE` means no implementation of the
 * algorithm could run here: a warning, never a forged signature.
 *
 * @example await verifyWithKey(token, issuerKey, 'ES256') // { ok: true, engine: 'webcrypto' }
 */
export async function verifyWithKey(compact: string, jwk: PublicJwk, alg: AllowedAlg): Promise<SignatureCheck> {
  if (!keyFitsAlg(jwk, alg))
    return { ok: false, failure: 'KEY_REJECTED', detail: `key ${jwk.kid} does not fit ${alg}` };
  const dot = compact.lastIndexOf('.');
  const signature = dot > 0 ? decodeBase64url(compact.slice(dot + 1)) : null;
  if (!signature) return { ok: false, failure: 'MALFORMED', detail: 'signature is not base64url' };
  // RFC 7515 section 5.2: the signing input is ASCII(BASE64URL(header) '.' BASE64URL(payload)).
  const signingInput = ascii.encode(compact.slice(0, dot));
  const x = decodeBase64url(jwk.x) as Uint8Array;
  let outcome: SignatureOutcome;
  if (jwk.kty === 'OKP') outcome = await verifyEd25519(x, signingInput, signature);
  else if (jwk.crv === 'P-256')
    outcome = await verifyEs256(x, decodeBase64url(jwk.y) as Uint8Array, signingInput, signature);
  else outcome = verifySm2(x, decodeBase64url(jwk.y) as Uint8Array, signingInput, signature);
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

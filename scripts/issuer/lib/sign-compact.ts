/**
 * Signing a compact JWS with a protected header and raw payload bytes, the one primitive
 * the registry, letter and status list builders share.
 */
import { base64url, CompactSign, importJWK } from 'jose';
import type { PrivateSigningJwk } from './keys.ts';

/**
 * Signs `payload` with the key; the header always gets the key's `alg` and `kid` unless
 * the caller sets them (tests do, to build hostile tokens).
 *
 * @example await signCompact({ typ: 'al+jwt' }, new TextEncoder().encode('{}'), key.privateJwk)
 */
export async function signCompact(
  header: Record<string, unknown>,
  payload: Uint8Array,
  jwk: PrivateSigningJwk,
): Promise<string> {
  const { kid: _kid, alg: _alg, ...material } = jwk;
  const key = await importJWK(material, jwk.alg);
  return new CompactSign(payload).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, ...header }).sign(key);
}

/** UTF-8 bytes of a JSON value. */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** base64url without padding (RFC 7515 section 2). */
export function b64u(bytes: Uint8Array | string): string {
  return base64url.encode(bytes);
}

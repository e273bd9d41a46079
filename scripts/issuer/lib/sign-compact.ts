/**
 * Signing a compact JWS with a protected header and raw payload bytes, the one primitive
 * the registry, letter and status list builders share.
 */
import { base64url, CompactSign, importJWK } from 'jose';
import { sm2 } from 'sm-crypto-v2';
import { SM2_DEFAULT_ID } from '../../../utils/verify/sm2.ts';
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
  if (jwk.alg === 'SM2') return signSm2({ alg: jwk.alg, kid: jwk.kid, ...header }, payload, jwk);
  const { kid: _kid, alg: _alg, ...material } = jwk;
  const key = await importJWK(material, jwk.alg);
  return new CompactSign(payload).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, ...header }).sign(key);
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * letter-format.md section 1.1: SM2 with SM3 and the default identifier over the ASCII
 * signing input, the signature as r || s (32 bytes each). jose knows no SM2, so the compact
 * form is put together here, exactly as RFC 7515 section 7.1 lays it out.
 */
function signSm2(header: Record<string, unknown>, payload: Uint8Array, jwk: PrivateSigningJwk): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(payload)}`;
  const x = base64url.decode(jwk.x as string);
  const y = base64url.decode(jwk.y as string);
  const signature = sm2.doSignature(new TextEncoder().encode(input), hex(base64url.decode(jwk.d)), {
    der: false,
    hash: true,
    publicKey: `04${hex(x)}${hex(y)}`,
    userId: SM2_DEFAULT_ID,
  });
  if (!/^[0-9a-f]{128}$/.test(signature)) throw new Error('SM2 signing gave no r || s');
  return `${input}.${b64u(Uint8Array.from(signature.match(/../g) as string[], (b) => Number.parseInt(b, 16)))}`;
}

/** UTF-8 bytes of a JSON value. */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** base64url without padding (RFC 7515 section 2). */
export function b64u(bytes: Uint8Array | string): string {
  return base64url.encode(bytes);
}

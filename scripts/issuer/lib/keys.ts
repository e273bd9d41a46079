/**
 * Issuer and root key pairs as JWKs. The `kid` is the RFC 7638 thumbprint of the public
 * key, so it names the key itself and two keys never share one by accident.
 *
 * SM2 keys (letter-format.md section 1.1) are `{"kty": "EC", "crv": "SM2", x, y, d}`, made by
 * sm-crypto-v2 (WebCrypto has no SM2); their thumbprint is taken the EC way (crv, kty, x, y).
 */
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { sm2 } from 'sm-crypto-v2';

export type SigningAlg = 'ES256' | 'EdDSA' | 'SM2';

/** The algorithms `key generate --alg` accepts. */
export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'EdDSA', 'SM2'];

/** A private JWK as the issuer tools store it: key material plus `kid` and `alg`. */
export interface PrivateSigningJwk extends JWK {
  kty: 'EC' | 'OKP';
  kid: string;
  alg: SigningAlg;
  d: string;
}

/** The public half, as published in a registry or JWKS (no `d`). */
export interface PublicSigningJwk extends JWK {
  kty: 'EC' | 'OKP';
  kid: string;
  alg: SigningAlg;
}

export interface IssuerKey {
  alg: SigningAlg;
  kid: string;
  privateJwk: PrivateSigningJwk;
  publicJwk: PublicSigningJwk;
}

/**
 * Makes a new key pair (ES256 on P-256, Ed25519, or SM2) with kid = RFC 7638 thumbprint.
 *
 * @example const key = await generateIssuerKey('ES256'); key.publicJwk.kid === key.kid
 */
export async function generateIssuerKey(alg: SigningAlg = 'ES256'): Promise<IssuerKey> {
  if (alg === 'SM2') return generateSm2Key();
  const pair = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  const privateRaw = await exportJWK(pair.privateKey);
  const publicRaw = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint(publicRaw, 'sha256');
  const kty = publicRaw.kty as 'EC' | 'OKP';
  return {
    alg,
    kid,
    privateJwk: { ...privateRaw, kty, kid, alg, d: privateRaw.d as string },
    publicJwk: publicJwkOf({ ...privateRaw, kty, kid, alg, d: privateRaw.d as string }),
  };
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
}

/** An SM2 key pair on the GB/T 32918.5 curve: d in [1, n-1] from the platform's CSPRNG. */
async function generateSm2Key(): Promise<IssuerKey> {
  const pair = sm2.generateKeyPairHex();
  // publicKey is '04' || x || y, each 32 bytes in hex; privateKey is d, 32 bytes in hex.
  const x = base64url.encode(hexToBytes(pair.publicKey.slice(2, 66)));
  const y = base64url.encode(hexToBytes(pair.publicKey.slice(66, 130)));
  const d = base64url.encode(hexToBytes(pair.privateKey.padStart(64, '0')));
  const kid = await calculateJwkThumbprint({ kty: 'EC', crv: 'SM2', x, y }, 'sha256');
  const privateJwk: PrivateSigningJwk = { kty: 'EC', crv: 'SM2', x, y, d, kid, alg: 'SM2' };
  return { alg: 'SM2', kid, privateJwk, publicJwk: publicJwkOf(privateJwk) };
}

/** The public half of a private JWK (drops `d` and any other private member). */
export function publicJwkOf(jwk: PrivateSigningJwk): PublicSigningJwk {
  const { kty, crv, x, y, kid, alg } = jwk;
  return { kty, ...(crv ? { crv } : {}), x, ...(y ? { y } : {}), kid, alg } as PublicSigningJwk;
}

/**
 * Reads a private signing key from parsed JSON (a file written by `key generate`).
 * Throws with a plain message when it is not one: this runs in the issuer's own tools.
 */
export function readPrivateSigningJwk(value: unknown): PrivateSigningJwk {
  const jwk = value as Partial<PrivateSigningJwk> | null;
  if (!jwk || typeof jwk !== 'object') throw new Error('the key file does not hold a JSON object');
  if (typeof jwk.d !== 'string') throw new Error('the key file holds no private key (member "d")');
  if (typeof jwk.kid !== 'string') throw new Error('the key file has no "kid"');
  const alg =
    jwk.alg ?? (jwk.kty === 'OKP' ? 'EdDSA' : jwk.kty === 'EC' ? (jwk.crv === 'SM2' ? 'SM2' : 'ES256') : undefined);
  const fits =
    (alg === 'ES256' && jwk.kty === 'EC' && jwk.crv === 'P-256') ||
    (alg === 'SM2' && jwk.kty === 'EC' && jwk.crv === 'SM2') ||
    (alg === 'EdDSA' && jwk.kty === 'OKP' && jwk.crv === 'Ed25519');
  if (!fits) throw new Error('the key must be EC P-256 (ES256), EC SM2 (SM2) or OKP Ed25519 (EdDSA)');
  return { ...jwk, alg } as PrivateSigningJwk;
}

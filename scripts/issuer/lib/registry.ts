/**
 * Building and signing the registry (letter-format.md section 2) from a JSON description:
 * the payload without `version`, `iat` and `exp`, which the tool sets.
 */
import { type PrivateSigningJwk, type PublicSigningJwk, publicJwkOf } from './keys.ts';
import { jsonBytes, signCompact } from './sign-compact.ts';

export interface RegistryDescription {
  iss: string;
  /** The last version published; the signed registry gets a higher one. */
  version?: number;
  scopes: unknown[];
  issuers: { id: string; jwks?: { keys: object[] }; [member: string]: unknown }[];
  [member: string]: unknown;
}

export interface SignedRegistry {
  jws: string;
  payload: Record<string, unknown> & { iss: string; version: number; iat: number; exp: number };
}

/** Default lifetime of a registry before verifiers call it stale. */
export const REGISTRY_DEFAULT_DAYS = 31;

/**
 * Signs a registry with the root key. `version` becomes one more than the highest of the
 * description's `version` and `previousVersion`: verifiers refuse a lower one (rollback).
 * A private key member (`d`) in any issuer JWKS is an error: it must never be published.
 *
 * @example
 * const { jws } = await signRegistry(description, root.privateJwk, { now: 1767225600 });
 */
export async function signRegistry(
  description: RegistryDescription,
  rootKey: PrivateSigningJwk,
  options: { now: number; validDays?: number; previousVersion?: number; version?: number; exp?: number },
): Promise<SignedRegistry> {
  for (const issuer of description.issuers) {
    for (const key of issuer.jwks?.keys ?? []) {
      if ('d' in key) throw new Error(`issuer ${issuer.id}: its JWKS holds a private key; publish only public keys`);
    }
  }
  const version = options.version ?? Math.max(description.version ?? 0, options.previousVersion ?? 0) + 1;
  const iat = Math.floor(options.now);
  const exp = options.exp ?? iat + (options.validDays ?? REGISTRY_DEFAULT_DAYS) * 86_400;
  const payload = { ...description, iss: description.iss, version, iat, exp };
  const jws = await signCompact({ typ: 'al-registry+jwt' }, jsonBytes(payload), rootKey);
  return { jws, payload };
}

/** A root JWKS (what verifiers are configured with) from root private or public keys. */
export function rootJwksOf(keys: readonly PrivateSigningJwk[]): { keys: PublicSigningJwk[] } {
  return { keys: keys.map((key) => publicJwkOf(key)) };
}

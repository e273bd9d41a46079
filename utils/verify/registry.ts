/**
 * The signed registry of issuers (letter-format.md section 2): root key -> registry ->
 * issuer keys. The root keys come only from configuration, never from the network.
 */
import { recordSignedIat } from './clock-check.ts';
import type { VerifierStore } from './ports.ts';
import { isUsableJwk, type PublicJwk, readJwks } from './public-jwk.ts';
import { type RegistryIssuer, type RegistryPayload, readRegistryPayload } from './registry-payload.ts';
import { checkAndRaiseFloor } from './rollback-floor.ts';
import { verifySignedJson } from './signed-json.ts';
import { parseStrictJson } from './strict-json.ts';

export type { RegistryIssuer, RegistryPayload, RegistryScope } from './registry-payload.ts';

/** RFC 8725 section 3.11: the registry's own `typ`, so no letter or status list passes for one. */
export const REGISTRY_TYP = 'al-registry+jwt';

export interface VerifiedRegistry {
  iss: string;
  version: number;
  iat: number;
  exp: number;
  payload: RegistryPayload;
  /** The compact JWS as verified (what caches store). */
  jws: string;
  /** The root key that signed it. */
  rootKid: string;
}

export type RegistryProblem =
  | 'REGISTRY_MALFORMED'
  | 'REGISTRY_HEADER_REJECTED'
  | 'REGISTRY_KEY_UNKNOWN'
  | 'REGISTRY_SIGNATURE_INVALID'
  | 'REGISTRY_ROLLBACK'
  | 'REGISTRY_INCONSISTENT'
  | 'ROOT_KEYS_INVALID';

/** Every registry problem, for catalogs and tests. */
export const REGISTRY_PROBLEMS = [
  'REGISTRY_MALFORMED',
  'REGISTRY_HEADER_REJECTED',
  'REGISTRY_KEY_UNKNOWN',
  'REGISTRY_SIGNATURE_INVALID',
  'REGISTRY_ROLLBACK',
  'REGISTRY_INCONSISTENT',
  'ROOT_KEYS_INVALID',
] as const satisfies readonly RegistryProblem[];

export type RegistryLoad =
  | { ok: true; registry: VerifiedRegistry }
  | { ok: false; problem: RegistryProblem; detail: string };

/**
 * Reads the configured root keys: a JWKS object, or its JSON text. Null when there is not
 * at least one valid EC P-256, SM2 or Ed25519 public key with a `kid`.
 *
 * @example readRootJwks('{"keys":[{"kty":"OKP","crv":"Ed25519","x":"…","kid":"root-1"}]}')
 */
export function readRootJwks(rootJwks: unknown): PublicJwk[] | null {
  let value = rootJwks;
  if (typeof value === 'string') {
    const parsed = parseStrictJson(value.trim());
    if (!parsed.ok) return null;
    value = parsed.value;
  }
  const keys = readJwks(value);
  // Unusable keys stay in the set (their kid then finds no key), but one usable key is needed.
  return keys?.some(isUsableJwk) ? keys : null;
}

/**
 * Verifies a registry JWS against the root JWKS; records the highest version seen under
 * these root keys; refuses a lower one (rollback: an old registry may still list a key since
 * withdrawn) and another registry with the held version (equivocation: REGISTRY_INCONSISTENT).
 *
 * @example
 * const load = await loadRegistry(jws, rootJwks, { currentDate: new Date(), store });
 * if (load.ok) console.log(load.registry.version);
 */
export async function loadRegistry(
  jws: string,
  rootJwks: unknown,
  options: { currentDate: Date; store: VerifierStore },
): Promise<RegistryLoad> {
  const rootKeys = readRootJwks(rootJwks);
  if (!rootKeys) return { ok: false, problem: 'ROOT_KEYS_INVALID', detail: 'no usable root public key' };
  if (typeof jws !== 'string') return { ok: false, problem: 'REGISTRY_MALFORMED', detail: 'not text' };
  const verified = await verifySignedJson(jws, { typ: REGISTRY_TYP, keys: rootKeys });
  if (!verified.ok) {
    const problem = (
      {
        MALFORMED: 'REGISTRY_MALFORMED',
        HEADER_REJECTED: 'REGISTRY_HEADER_REJECTED',
        KEY_UNKNOWN: 'REGISTRY_KEY_UNKNOWN',
        SIGNATURE_INVALID: 'REGISTRY_SIGNATURE_INVALID',
        // No implementation of the root key's algorithm could run: the root key cannot be used
        // on this machine. Never "signature invalid": the registry may well be genuine.
        SIGNATURE_UNCHECKED: 'ROOT_KEYS_INVALID',
      } as const satisfies Record<typeof verified.problem, RegistryProblem>
    )[verified.problem];
    return { ok: false, problem, detail: verified.detail };
  }
  const read = readRegistryPayload(verified.payload);
  if (!read.ok) return { ok: false, problem: 'REGISTRY_MALFORMED', detail: read.error };
  const payload = read.value;
  const floor = await checkAndRaiseFloor(options.store, {
    rootKeys,
    iss: payload.iss,
    version: payload.version,
    payloadSegment: jws.trim().split('.')[1] ?? '',
    currentDate: options.currentDate,
  });
  if (!floor.ok) return floor;
  await recordSignedIat(options.store, payload.iat, options.currentDate);
  return {
    ok: true,
    registry: {
      iss: payload.iss,
      version: payload.version,
      iat: payload.iat,
      exp: payload.exp,
      payload,
      jws: jws.trim(),
      rootKid: verified.kid,
    },
  };
}

/**
 * Whether the registry is past its `exp`: letters can still be checked against it, but
 * never as fully valid (letter-format.md section 2).
 *
 * @example isRegistryStale(registry, new Date()) // false until registry.exp
 */
export function isRegistryStale(registry: VerifiedRegistry, currentDate: Date): boolean {
  return currentDate.getTime() / 1000 > registry.exp;
}

/**
 * The registry entry of an issuer id, or null.
 *
 * @example findIssuer(registry, 'cn-hsa-411381')?.name['zh-CN'] // '邓州市医疗保障局'
 */
export function findIssuer(registry: VerifiedRegistry, iss: string): RegistryIssuer | null {
  return registry.payload.issuers.find((issuer) => issuer.id === iss) ?? null;
}

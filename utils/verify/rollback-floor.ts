/**
 * The registry's rollback floor (letter-format.md section 2): the highest `version` seen,
 * kept per configured root key set, and the payload seen at that version.
 *
 * Per root key set, not per `iss`: the registry's `iss` is chosen by whoever signs it, so a
 * floor kept per `iss` lets an old registry through under a new name (v42 as `henan-root-2`
 * after v43 as `henan-root`, both signed by the same root). What the root keys sign is one
 * history, whatever it calls itself.
 *
 * The payload digest at the floor catches equivocation: two different registries both
 * called version N, one of them shown only to some verifiers. The payload bytes are compared,
 * not the whole JWS: ECDSA signatures differ each time the same payload is signed.
 */
import { base64url } from 'jose';
import type { VerifierStore } from './ports.ts';
import { isUsableJwk, type PublicJwk } from './public-jwk.ts';
import { STORE_KEYS } from './store-keys.ts';

/** The members of a public key that RFC 7638 section 3.2 hashes, by key type. */
interface ThumbprintMembers {
  kty: string;
  crv: string;
  x: string;
  y?: string;
}

const encoder = new TextEncoder();

async function sha256(text: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}

/**
 * The RFC 7638 thumbprint (SHA-256, base64url) of an EC or OKP public key.
 *
 * @example await jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })
 * // 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k' (RFC 8037 appendix A.3)
 */
export function jwkThumbprint(key: ThumbprintMembers): Promise<string> {
  // Required members only, in lexicographic order, no whitespace (RFC 7638 section 3.3).
  const canonical =
    key.kty === 'OKP'
      ? `{"crv":${JSON.stringify(key.crv)},"kty":"OKP","x":${JSON.stringify(key.x)}}`
      : `{"crv":${JSON.stringify(key.crv)},"kty":${JSON.stringify(key.kty)},"x":${JSON.stringify(key.x)},"y":${JSON.stringify(key.y ?? '')}}`;
  return sha256(canonical);
}

/** The sorted, distinct RFC 7638 thumbprints of the usable keys of a set (unusable keys sign nothing). */
async function usableThumbprints(keys: readonly PublicJwk[]): Promise<string[]> {
  return [...new Set(await Promise.all(keys.filter(isUsableJwk).map(jwkThumbprint)))].sort();
}

/**
 * One id for a set of root keys: a digest of the sorted, distinct thumbprints of its usable
 * keys. The order of keys in the JWKS and their `kid`s do not change it; adding or removing a
 * usable key does. A listed key that is not a valid public key signs nothing, so it does not
 * count (adding one to the configuration does not start a new floor).
 *
 * @example await rootKeySetId(rootKeys) // 'Xo3…' (43 base64url characters)
 */
export async function rootKeySetId(keys: readonly PublicJwk[]): Promise<string> {
  return sha256((await usableThumbprints(keys)).join('\n'));
}

interface Floor {
  version: number;
  /** SHA-256 (base64url) of the payload segment of the registry held at `version`. */
  payload: string;
}

function readFloor(body: Uint8Array): Floor | null {
  try {
    const value = JSON.parse(new TextDecoder().decode(body)) as Partial<Floor>;
    if (typeof value.version !== 'number' || !Number.isFinite(value.version)) return null;
    if (typeof value.payload !== 'string') return null;
    return { version: value.version, payload: value.payload };
  } catch {
    return null;
  }
}

export type FloorCheck =
  | { ok: true }
  | { ok: false; problem: 'REGISTRY_ROLLBACK' | 'REGISTRY_INCONSISTENT'; detail: string };

/**
 * Checks a verified registry against the floor of its root key set, and raises the floor
 * when the registry is newer. Call only after the root signature verified: a registry signed
 * by any other key must never move the floor.
 *
 * The floor is kept for the set and for each of its keys, and a registry must reach the
 * highest of them: a root key rotation changes the set (a key added, later the old one
 * dropped), and were the floor only the set's, each change would start from nothing, so a
 * registry older than one already seen under the same root key would pass again.
 *
 * Stores written before the floor moved to root key sets kept it per `iss`
 * (`registry-version:<iss>`); that number still counts, so no floor is lost on upgrade.
 *
 * @example await checkAndRaiseFloor(store, { rootKeys, iss, version: 43, payloadSegment, currentDate })
 */
export async function checkAndRaiseFloor(
  store: VerifierStore,
  registry: {
    rootKeys: readonly PublicJwk[];
    iss: string;
    version: number;
    /** The base64url payload part of the compact JWS, exactly as signed. */
    payloadSegment: string;
    currentDate: Date;
  },
): Promise<FloorCheck> {
  const thumbprints = await usableThumbprints(registry.rootKeys);
  const floorKeys = [
    STORE_KEYS.registryFloor(await sha256(thumbprints.join('\n'))),
    ...thumbprints.map(STORE_KEYS.registryKeyFloor),
  ];
  const [legacy, ...entries] = await Promise.all([
    store.getNumber(STORE_KEYS.legacyRegistryVersion(registry.iss)),
    ...floorKeys.map((key) => store.getEntry(key)),
  ]);
  const floors = entries.map((entry) => (entry ? readFloor(entry.body) : null));
  let highest = legacy ?? Number.NEGATIVE_INFINITY;
  for (const floor of floors) if (floor && floor.version > highest) highest = floor.version;
  if (registry.version < highest) {
    return {
      ok: false,
      problem: 'REGISTRY_ROLLBACK',
      detail: `version ${registry.version} is lower than version ${highest} already seen`,
    };
  }
  const payload = await sha256(registry.payloadSegment);
  // Equivocation: another registry under a version held (a migrated per-iss floor of the same
  // version has no payload to compare: this one becomes the reference).
  if (floors.some((floor) => floor && floor.version === registry.version && floor.payload !== payload)) {
    return {
      ok: false,
      problem: 'REGISTRY_INCONSISTENT',
      detail: `version ${registry.version} differs from the version ${registry.version} already held`,
    };
  }
  const body = encoder.encode(JSON.stringify({ version: registry.version, payload } satisfies Floor));
  const fetchedAt = registry.currentDate.getTime();
  await Promise.all(
    floorKeys.map((key, i) => {
      const floor = floors[i];
      if (floor && floor.version === registry.version) return undefined; // already this registry
      return store.putEntry(key, { body, fetchedAt });
    }),
  );
  return { ok: true };
}

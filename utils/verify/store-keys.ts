/**
 * The keys the core uses in a VerifierStore. They are persisted by the extension
 * (IndexedDB) and the CLI (file cache), so they must stay stable across versions.
 */
export const STORE_KEYS = {
  /** The last verified registry body fetched from this URL. */
  registry: (url: string) => `registry:${url}`,
  /**
   * The rollback floor of one root key set (rollback-floor.ts): the highest registry
   * `version` verified under those root keys and the digest of its payload.
   */
  registryFloor: (rootKeySetId: string) => `registry-floor:${rootKeySetId}`,
  /**
   * The same floor kept for each root key of the set (by RFC 7638 thumbprint), so a set that
   * gains or loses a key still starts from the floor its remaining keys have seen.
   */
  registryKeyFloor: (thumbprint: string) => `registry-key-floor:${thumbprint}`,
  /**
   * The floor as stores kept it before it moved to root key sets: the highest `version` per
   * registry `iss`. Only read now, so an upgraded store keeps its floor.
   */
  legacyRegistryVersion: (iss: string) => `registry-version:${iss}`,
  /** The last JWKS body fetched from a `jwks_uri`. */
  jwks: (uri: string) => `jwks:${uri}`,
  /** The last verified status list body fetched from this URI. */
  status: (uri: string) => `status:${uri}`,
  /** The newest `iat` (seconds) seen on a verified registry or status list (clock check). */
  newestIat: 'newest-iat',
} as const;

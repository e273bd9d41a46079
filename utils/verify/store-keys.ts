/**
 * The keys the core uses in a VerifierStore. They are persisted by the extension
 * (IndexedDB) and the CLI (file cache), so they must stay stable across versions.
 */
export const STORE_KEYS = {
  /** The last verified registry body fetched from this URL. */
  registry: (url: string) => `registry:${url}`,
  /** The highest registry `version` ever verified for this registry `iss` (rollback guard). */
  registryVersion: (iss: string) => `registry-version:${iss}`,
  /** The last JWKS body fetched from a `jwks_uri`. */
  jwks: (uri: string) => `jwks:${uri}`,
  /** The last verified status list body fetched from this URI. */
  status: (uri: string) => `status:${uri}`,
  /** The newest `iat` (seconds) seen on a verified registry or status list (clock check). */
  newestIat: 'newest-iat',
} as const;

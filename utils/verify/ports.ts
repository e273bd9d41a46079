/**
 * The small interfaces through which the pure verification core reaches the outside
 * world. The core never calls `fetch`, `Date.now()`, `browser.*` or storage itself:
 * the extension backs these with `fetch` and IndexedDB (`idb`), the CLI with `fetch`
 * and a file cache, the tests with in-memory fakes.
 */

/** Why a fetch failed; every one of these counts as "unreachable" for the verdict. */
export type FetchFailure =
  | 'OFFLINE' // the caller chose no network (`--offline`, or no fetcher)
  | 'URL_REJECTED' // not https:, nor http: on a loopback host (letter-format.md section 4)
  | 'NETWORK' // DNS, refused, reset, TLS
  | 'TIMEOUT' // slower than 10 s
  | 'TOO_LARGE' // response over 1 MiB
  | 'HTTP_STATUS' // not a 2xx answer
  | 'REDIRECT_REJECTED' // redirect to another scheme
  // An answer that is not the object asked for: a captive portal's or login wall's HTML page,
  // a JWS of another `typ`, text that is not JSON. Set by the core, which alone knows what it
  // asked for (section 4: such an answer counts as unreachable, the cached copy is used).
  | 'UNEXPECTED_CONTENT';

export type FetchOutcome = { ok: true; body: Uint8Array } | { ok: false; failure: FetchFailure; detail?: string };

/**
 * Fetches one URL with the rules of letter-format.md section 4 already applied
 * (scheme, size, timeout, no credentials). Never throws: failures are values.
 */
export type Fetcher = (url: string, options?: { signal?: AbortSignal }) => Promise<FetchOutcome>;

/** One cached network answer: the raw body and when it was fetched (ms since epoch). */
export interface CacheEntry {
  body: Uint8Array;
  fetchedAt: number;
}

/**
 * Persistent storage for what the verifier learns: fetched registries, JWKS and
 * status lists, the highest registry version seen, the newest `iat` seen (clock check).
 * Keys are opaque strings chosen by the core.
 */
export interface VerifierStore {
  getEntry(key: string): Promise<CacheEntry | undefined>;
  putEntry(key: string, entry: CacheEntry): Promise<void>;
  getNumber(key: string): Promise<number | undefined>;
  putNumber(key: string, value: number): Promise<void>;
}

/** An in-memory VerifierStore for tests and one-off checks. */
export function memoryStore(): VerifierStore {
  const entries = new Map<string, CacheEntry>();
  const numbers = new Map<string, number>();
  return {
    async getEntry(key) {
      return entries.get(key);
    },
    async putEntry(key, entry) {
      entries.set(key, entry);
    },
    async getNumber(key) {
      return numbers.get(key);
    },
    async putNumber(key, value) {
      numbers.set(key, value);
    },
  };
}

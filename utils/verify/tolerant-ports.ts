/**
 * Ports that cannot throw into a verification. A storage error (IndexedDB quota, a
 * corrupt cache file) or a fetcher that breaks its never-throw contract must not turn a
 * verdict into a crash, nor be mistaken for a forged signature: a failed read is a cache
 * miss, a failed write is skipped, a thrown fetch is "unreachable". Each of these can only
 * make the answer less certain (STATUS_UNKNOWN, KEYS_UNAVAILABLE), never greener.
 */
import type { Fetcher, VerifierStore } from './ports.ts';

/**
 * A store whose failures read as "nothing cached" and whose failed writes are dropped.
 *
 * @example const store = tolerantStore(indexedDbStore);
 */
export function tolerantStore(store: VerifierStore): VerifierStore {
  return {
    getEntry: (key) => store.getEntry(key).catch(() => undefined),
    putEntry: (key, entry) => store.putEntry(key, entry).catch(() => undefined),
    getNumber: (key) => store.getNumber(key).catch(() => undefined),
    putNumber: (key, value) => store.putNumber(key, value).catch(() => undefined),
  };
}

/**
 * A fetcher whose exceptions read as a network failure; null stays null (offline).
 *
 * @example const fetcher = tolerantFetcher(options.fetcher);
 */
export function tolerantFetcher(fetcher: Fetcher | null): Fetcher | null {
  if (!fetcher) return null;
  return async (url, options) => {
    try {
      return await fetcher(url, options);
    } catch (error) {
      return { ok: false, failure: 'NETWORK', detail: error instanceof Error ? error.message : String(error) };
    }
  };
}

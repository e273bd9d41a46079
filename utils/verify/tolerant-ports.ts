/**
 * Ports that cannot throw into a verification. A storage error (IndexedDB quota, a
 * corrupt cache file) or a fetcher that breaks its never-throw contract must not turn a
 * verdict into a crash, nor be mistaken for a forged signature: a failed read is a cache
 * miss, a failed write is skipped, a thrown fetch is "unreachable". Each of these can only
 * make the answer less certain (STATUS_UNKNOWN, KEYS_UNAVAILABLE), never greener.
 *
 * The wrappers are made once per port and reused: every letter of a batch gets the same
 * one, so nothing is allocated per letter, and what is kept per fetcher (the sources that
 * failed, the fetches in flight: unreachable-sources.ts) lasts the whole run or session.
 */
import type { Fetcher, VerifierStore } from './ports.ts';

const tolerantStores = new WeakMap<VerifierStore, VerifierStore>();
const tolerantFetchers = new WeakMap<Fetcher, Fetcher>();

/**
 * A store whose failures read as "nothing cached" and whose failed writes are dropped.
 *
 * @example const store = tolerantStore(indexedDbStore);
 */
export function tolerantStore(store: VerifierStore): VerifierStore {
  let tolerant = tolerantStores.get(store);
  if (!tolerant) {
    tolerant = {
      getEntry: (key) => store.getEntry(key).catch(() => undefined),
      putEntry: (key, entry) => store.putEntry(key, entry).catch(() => undefined),
      getNumber: (key) => store.getNumber(key).catch(() => undefined),
      putNumber: (key, value) => store.putNumber(key, value).catch(() => undefined),
    };
    tolerantStores.set(store, tolerant);
    // Wrapping the wrapper gives the wrapper back.
    tolerantStores.set(tolerant, tolerant);
  }
  return tolerant;
}

/**
 * A fetcher whose exceptions read as a network failure; null stays null (offline).
 *
 * @example const fetcher = tolerantFetcher(options.fetcher);
 */
export function tolerantFetcher(fetcher: Fetcher | null): Fetcher | null {
  if (!fetcher) return null;
  let tolerant = tolerantFetchers.get(fetcher);
  if (!tolerant) {
    tolerant = async (url, options) => {
      try {
        return await fetcher(url, options);
      } catch (error) {
        return { ok: false, failure: 'NETWORK', detail: error instanceof Error ? error.message : String(error) };
      }
    };
    tolerantFetchers.set(fetcher, tolerant);
    tolerantFetchers.set(tolerant, tolerant);
  }
  return tolerant;
}

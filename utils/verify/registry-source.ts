/**
 * Obtaining the registry: from a URL through the Fetcher (the verified body cached in the
 * store), or from text, falling back to the last verified cached copy when the network fails.
 */
import type { Fetcher, VerifierStore } from './ports.ts';
import { loadRegistry, type RegistryProblem, type VerifiedRegistry } from './registry.ts';
import { STORE_KEYS } from './store-keys.ts';

export interface ObtainedRegistry {
  /** The registry to check letters against; null when none could be verified. */
  registry: VerifiedRegistry | null;
  /**
   * What went wrong, even when a cached registry is returned: REGISTRY_UNREACHABLE when a
   * fetch failed (or offline with nothing cached), a registry problem when the fresh copy was
   * refused (rollback, bad signature...). null when nothing went wrong, including offline
   * with a usable cached copy.
   */
  problem: RegistryProblem | 'REGISTRY_UNREACHABLE' | null;
  /** True when the registry returned is the cached copy, not the one just fetched or given. */
  fromCache: boolean;
  /** When the returned registry was fetched (ms since epoch); null for text sources. */
  fetchedAt: number | null;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Obtains a verified registry. A refused fresh copy never replaces a good cached one: the
 * cached copy is returned together with the problem, and the caller decides (the CLI exits
 * 2 on any problem other than REGISTRY_UNREACHABLE).
 *
 * @example
 * const { registry, problem } = await obtainRegistry({ source: { url }, rootJwks, store, fetcher, currentDate });
 */
export async function obtainRegistry(options: {
  source: { url: string } | { jws: string };
  rootJwks: unknown;
  store: VerifierStore;
  fetcher: Fetcher | null;
  currentDate: Date;
}): Promise<ObtainedRegistry> {
  const { source, rootJwks, store, fetcher, currentDate } = options;
  if ('jws' in source) {
    const load = await loadRegistry(source.jws, rootJwks, { currentDate, store });
    if (load.ok) return { registry: load.registry, problem: null, fromCache: false, fetchedAt: null };
    return { registry: null, problem: load.problem, fromCache: false, fetchedAt: null };
  }

  const cacheKey = STORE_KEYS.registry(source.url);
  const fromCache = async (problem: ObtainedRegistry['problem']): Promise<ObtainedRegistry> => {
    const entry = await store.getEntry(cacheKey);
    if (entry) {
      const load = await loadRegistry(decoder.decode(entry.body), rootJwks, { currentDate, store });
      if (load.ok) return { registry: load.registry, problem, fromCache: true, fetchedAt: entry.fetchedAt };
      if (problem === null || problem === 'REGISTRY_UNREACHABLE') {
        // The cache itself is unusable (root keys changed, or a newer version was seen elsewhere).
        return { registry: null, problem: problem ?? load.problem, fromCache: false, fetchedAt: null };
      }
    }
    return { registry: null, problem: problem ?? 'REGISTRY_UNREACHABLE', fromCache: false, fetchedAt: null };
  };

  if (!fetcher) return fromCache(null);
  const outcome = await fetcher(source.url);
  if (!outcome.ok) return fromCache('REGISTRY_UNREACHABLE');
  const load = await loadRegistry(decoder.decode(outcome.body), rootJwks, { currentDate, store });
  if (!load.ok) {
    if (load.problem === 'ROOT_KEYS_INVALID')
      return { registry: null, problem: load.problem, fromCache: false, fetchedAt: null };
    return fromCache(load.problem);
  }
  const fetchedAt = currentDate.getTime();
  await store.putEntry(cacheKey, { body: outcome.body, fetchedAt });
  return { registry: load.registry, problem: null, fromCache: false, fetchedAt };
}

/**
 * Obtaining the registry: from a URL through the Fetcher (the verified body cached in the
 * store), or from text, falling back to the last verified cached copy when the network fails.
 */
import { splitCompactJws } from './compact-jws.ts';
import type { Fetcher, FetchFailure, VerifierStore } from './ports.ts';
import { loadRegistry, REGISTRY_TYP, type RegistryProblem, type VerifiedRegistry } from './registry.ts';
import { STORE_KEYS } from './store-keys.ts';
import { tolerantFetcher } from './tolerant-ports.ts';
import { fetchSource, forgetFailure, rememberUnusable } from './unreachable-sources.ts';

export interface ObtainedRegistry {
  /** The registry to check letters against; null when none could be verified. */
  registry: VerifiedRegistry | null;
  /**
   * What went wrong, even when a cached registry is returned: REGISTRY_UNREACHABLE when a
   * fetch failed or answered something that is not a registry (or offline with nothing
   * cached), a registry problem when the fresh copy was
   * refused (rollback, bad signature...). null when nothing went wrong, including offline
   * with a usable cached copy.
   */
  problem: RegistryProblem | 'REGISTRY_UNREACHABLE' | null;
  /** True when the registry returned is the cached copy, not the one just fetched or given. */
  fromCache: boolean;
  /** When the returned registry was fetched (ms since epoch); null for text sources. */
  fetchedAt: number | null;
  /** Why the registry counted as unreachable (OFFLINE without a fetcher); null when it did not. */
  failure: FetchFailure | null;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Whether a fetched body is at least a registry: a compact JWS typed `al-registry+jwt`.
 * Anything else (an HTML login page, JSON, a letter or status list) is not the object asked
 * for, which section 4 counts as unreachable: the held copy goes on being used, exactly as
 * offline, instead of being refused for a malformed fetch.
 */
function looksLikeRegistry(text: string): boolean {
  const split = splitCompactJws(text.trim());
  return split.ok && split.jws.header.typ === REGISTRY_TYP;
}

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
  /** Ask the network even if the URL failed within the last minute (a person's "refresh now"). */
  retryNow?: boolean;
}): Promise<ObtainedRegistry> {
  const { source, rootJwks, store, fetcher, currentDate } = options;
  if ('jws' in source) {
    const load = await loadRegistry(source.jws, rootJwks, { currentDate, store });
    if (load.ok) return { registry: load.registry, problem: null, fromCache: false, fetchedAt: null, failure: null };
    return { registry: null, problem: load.problem, fromCache: false, fetchedAt: null, failure: null };
  }

  const cacheKey = STORE_KEYS.registry(source.url);
  // The held copy is verified first, before any fetch: it is what a refused fresh copy leaves
  // in use, and verifying it sets the rollback floor of a store that kept it per iss (older
  // versions), so the fresh copy is then compared with the registry actually held.
  const entry = await store.getEntry(cacheKey);
  const heldLoad = entry ? await loadRegistry(decoder.decode(entry.body), rootJwks, { currentDate, store }) : null;
  if (heldLoad && !heldLoad.ok && heldLoad.problem === 'ROOT_KEYS_INVALID') {
    return { registry: null, problem: heldLoad.problem, fromCache: false, fetchedAt: null, failure: null };
  }
  const held = entry && heldLoad?.ok ? { registry: heldLoad.registry, fetchedAt: entry.fetchedAt } : null;
  const fromCache = (problem: ObtainedRegistry['problem'], failure: FetchFailure | null): ObtainedRegistry => {
    if (held) return { registry: held.registry, problem, fromCache: true, fetchedAt: held.fetchedAt, failure };
    // Nothing usable is held (nothing cached, root keys changed, or a newer version was seen elsewhere).
    const cacheProblem = heldLoad && !heldLoad.ok ? heldLoad.problem : null;
    const shown = problem ?? cacheProblem ?? 'REGISTRY_UNREACHABLE';
    return {
      registry: null,
      problem: shown,
      fromCache: false,
      fetchedAt: null,
      failure: shown === 'REGISTRY_UNREACHABLE' ? (failure ?? 'OFFLINE') : null,
    };
  };

  const network = tolerantFetcher(fetcher);
  if (!network) return fromCache(null, null);
  // A registry URL that failed within the minute is not asked again (unreachable-sources.ts).
  if (options.retryNow) forgetFailure(network, source.url);
  const outcome = await fetchSource(network, source.url, currentDate);
  if (!outcome.ok) return fromCache('REGISTRY_UNREACHABLE', outcome.failure);
  const text = decoder.decode(outcome.body);
  if (!looksLikeRegistry(text)) {
    rememberUnusable(network, source.url, currentDate, 'not a registry');
    return fromCache('REGISTRY_UNREACHABLE', 'UNEXPECTED_CONTENT');
  }
  const load = await loadRegistry(text, rootJwks, { currentDate, store });
  if (!load.ok) return fromCache(load.problem, null);
  const fetchedAt = currentDate.getTime();
  await store.putEntry(cacheKey, { body: outcome.body, fetchedAt });
  return { registry: load.registry, problem: null, fromCache: false, fetchedAt, failure: null };
}

/**
 * Remembering sources that cannot be had, and sharing fetches in flight.
 *
 * A clinic's page or a county officer's folder holds many letters of one issuer. When that
 * issuer's `jwks_uri` or status list hangs, asking again for every letter costs one timeout
 * (10 s, section 4) per letter, and the page sits "checking" for a minute. So, per fetcher:
 *
 * - a failed fetch (or an answer that was not the object asked for) is not retried for a
 *   minute: every letter depending on it gets its warning at once, from its cache if any;
 * - letters in flight together that need the same URL share one fetch.
 *
 * The memory belongs to the Fetcher object, so it lasts as long as the caller keeps one: the
 * CLI makes one fetcher per run, the extension's verifier runtime one per browser session
 * (the offscreen document or Firefox's background page stays alive). Time is the verifier's
 * clock (`currentDate`), never the machine's: the CLI checks a whole run as of one moment,
 * so within a run a failed source is not asked again at all.
 */
import type { Fetcher, FetchFailure, FetchOutcome } from './ports.ts';

/** How long a failed source is left alone. */
export const UNREACHABLE_RETRY_MS = 60 * 1000;

/** Failures remembered per fetcher; the oldest goes first (a batch names few sources). */
const REMEMBERED_MAX = 256;

interface Failure {
  at: number;
  failure: FetchFailure;
  detail: string | undefined;
}

interface SourceMemory {
  failed: Map<string, Failure>;
  inFlight: Map<string, Promise<FetchOutcome>>;
}

const memories = new WeakMap<Fetcher, SourceMemory>();

function memoryOf(fetcher: Fetcher): SourceMemory {
  let memory = memories.get(fetcher);
  if (!memory) {
    memory = { failed: new Map(), inFlight: new Map() };
    memories.set(fetcher, memory);
  }
  return memory;
}

function remember(memory: SourceMemory, url: string, failure: Failure): void {
  memory.failed.delete(url);
  if (memory.failed.size >= REMEMBERED_MAX) memory.failed.delete(memory.failed.keys().next().value as string);
  memory.failed.set(url, failure);
}

/**
 * Fetches `url` through `fetcher`, unless it failed less than a minute ago (then that failure
 * comes back at once) or a fetch of it is already in flight (then its outcome is shared).
 *
 * @example
 * const outcome = await fetchSource(fetcher, issuer.jwks_uri, currentDate);
 * if (!outcome.ok) console.log(outcome.failure); // 'TIMEOUT' for every letter of the minute
 */
export function fetchSource(fetcher: Fetcher, url: string, currentDate: Date): Promise<FetchOutcome> {
  const memory = memoryOf(fetcher);
  const now = currentDate.getTime();
  const failed = memory.failed.get(url);
  if (failed) {
    const age = now - failed.at;
    // A clock set back (negative age) asks again rather than trusting an old memory.
    if (age >= 0 && age < UNREACHABLE_RETRY_MS) {
      const detail = `not asked again within a minute of failing${failed.detail ? `: ${failed.detail}` : ''}`;
      return Promise.resolve({ ok: false, failure: failed.failure, detail });
    }
    memory.failed.delete(url);
  }
  const pending = memory.inFlight.get(url);
  if (pending) return pending;
  const started = fetcher(url).then(
    (outcome) => {
      if (!outcome.ok) remember(memory, url, { at: now, failure: outcome.failure, detail: outcome.detail });
      return outcome;
    },
    // Fetchers promise never to throw; one that does is unreachable, not a crash of every letter waiting.
    (error: unknown): FetchOutcome => {
      const detail = error instanceof Error ? error.message : String(error);
      remember(memory, url, { at: now, failure: 'NETWORK', detail });
      return { ok: false, failure: 'NETWORK', detail };
    },
  );
  memory.inFlight.set(url, started);
  const settle = () => {
    if (memory.inFlight.get(url) === started) memory.inFlight.delete(url);
  };
  started.then(settle, settle);
  return started;
}

/**
 * Records that `url` answered something that is not the object asked for (a login page,
 * another JWS `typ`, not JSON): section 4 counts it as unreachable, so it is not asked again
 * within the minute either.
 *
 * @example rememberUnusable(fetcher, uri, currentDate, 'not a JWKS')
 */
export function rememberUnusable(fetcher: Fetcher, url: string, currentDate: Date, detail: string): void {
  remember(memoryOf(fetcher), url, { at: currentDate.getTime(), failure: 'UNEXPECTED_CONTENT', detail });
}

/**
 * Forgets that `url` failed, so the next fetch asks again at once: for a person's explicit
 * "refresh now", which must not wait out the minute.
 *
 * @example forgetFailure(fetcher, registryUrl)
 */
export function forgetFailure(fetcher: Fetcher, url: string): void {
  memories.get(fetcher)?.failed.delete(url);
}

/**
 * Decoding and verification, off the page's thread: runs in the Chrome offscreen document
 * and, in the Firefox build, in the background page (Firefox has no offscreen documents).
 * Registry, issuer keys and status lists are cached in IndexedDB through the VerifierStore,
 * so a check still works offline with the warnings the spec gives.
 */
import { checkDocument, type ReadOutcome } from '../../utils/check/check-document.ts';
import type { RegistrySource } from '../../utils/check/document-record.ts';
import { idbVerifierStore, openYanzhenDb } from '../../utils/extension/idb-store.ts';
import type { OffscreenCheckResult, RegistryState, VerifierConfig } from '../../utils/extension/messages.ts';
import type { Priority } from '../../utils/extension/reader-pool.ts';
import { parseTestFaultPlan, TEST_FAULT_STORAGE_KEY } from '../../utils/extension/test-fault-point.ts';
import { createFetcher } from '../../utils/net/fetcher.ts';
import type { Fetcher, VerifierStore } from '../../utils/verify/ports.ts';
import type { VerifiedRegistry } from '../../utils/verify/registry.ts';
import { obtainRegistry } from '../../utils/verify/registry-source.ts';
import { verifyLetter } from '../../utils/verify/verify-letter.ts';
import { readWithPool } from './read-adapter.ts';

/** A registry fetched this recently is reused without asking the network again (alarms refresh it). */
const REGISTRY_REUSE_MS = 10 * 60 * 1000;

/** True only in the test build (wxt.config.ts): the store build drops the full-disk fault below. */
declare const __YANZHEN_TEST_HOOKS__: boolean;

/**
 * The cache with writes that cannot fail a check: a full disk (QuotaExceededError) or a
 * broken database drops the write, and the check ends with its verdict, only not cached for
 * next time (the next fetch writes it again). Reads still fail as they fail: a rollback
 * floor that cannot be read must not pass for one that was never written.
 */
function writesDropped(store: VerifierStore): VerifierStore {
  const dropped = (error: unknown) => {
    cacheWriteFailures++;
    console.warn('Yanzhen: a cache write failed, the check goes on without it:', error);
  };
  return {
    getEntry: (key) => store.getEntry(key),
    getNumber: (key) => store.getNumber(key),
    putEntry: (key, entry) => store.putEntry(key, entry).catch(dropped),
    putNumber: (key, value) => store.putNumber(key, value).catch(dropped),
  };
}
let cacheWriteFailures = 0;
(globalThis as { yanzhenCacheWriteFailures?: () => number }).yanzhenCacheWriteFailures = () => cacheWriteFailures;

/** Test builds only: every write fails as on a full disk when the fault plan says so (test-fault-point.ts). */
function fullDiskWhenPlanned(store: VerifierStore): VerifierStore {
  const full = () =>
    parseTestFaultPlan(globalThis.localStorage?.getItem(TEST_FAULT_STORAGE_KEY) ?? null)?.failCacheWrites;
  const quota = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
  return {
    ...store,
    putEntry: (key, entry) => (full() ? quota() : store.putEntry(key, entry)),
    putNumber: (key, value) => (full() ? quota() : store.putNumber(key, value)),
  };
}

let storePromise: Promise<VerifierStore> | null = null;
function store(): Promise<VerifierStore> {
  storePromise ??= openYanzhenDb().then((db) => {
    const idb = idbVerifierStore(db);
    // Behind the flag itself, so the store build drops the fault and its plan reader.
    return writesDropped(__YANZHEN_TEST_HOOKS__ ? fullDiskWhenPlanned(idb) : idb);
  });
  return storePromise;
}

const fetcher: Fetcher = createFetcher((input, init) => globalThis.fetch(input, init));

interface Held {
  key: string;
  registry: VerifiedRegistry | null;
  source: RegistrySource;
  obtainedAt: number;
}
let held: Held | null = null;
let lastAttempt: { at: number; error: string | null } | null = null;

function configKey(config: VerifierConfig): string {
  return `${config.registryUrl}\u0000${config.rootKeys}`;
}

function parseRootKeys(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

let inFlight: { key: string; promise: Promise<Held> } | null = null;

/**
 * The registry to check against: the held copy when fresh enough, else fetched (falling back
 * to the cache). Two checks starting together share one fetch rather than asking twice.
 */
function registryFor(config: VerifierConfig, force: boolean): Promise<Held> {
  const key = configKey(config);
  if (inFlight && inFlight.key === key) return inFlight.promise;
  const promise = obtainHeld(config, force).finally(() => {
    if (inFlight?.promise === promise) inFlight = null;
  });
  inFlight = { key, promise };
  return promise;
}

async function obtainHeld(config: VerifierConfig, force: boolean): Promise<Held> {
  const key = configKey(config);
  const now = Date.now();
  if (!force && held && held.key === key && held.registry && now - held.obtainedAt < REGISTRY_REUSE_MS) return held;
  if (!config.registryUrl || !config.rootKeys) {
    held = {
      key,
      registry: null,
      source: {
        fromCache: false,
        fetchedAt: null,
        problem: config.registryUrl ? 'ROOT_KEYS_INVALID' : 'NO_REGISTRY_URL',
      },
      obtainedAt: now,
    };
    lastAttempt = { at: now, error: held.source.problem };
    return held;
  }
  const obtained = await obtainRegistry({
    source: { url: config.registryUrl },
    rootJwks: parseRootKeys(config.rootKeys),
    store: await store(),
    fetcher,
    currentDate: new Date(now),
  });
  held = {
    key,
    registry: obtained.registry,
    source: { fromCache: obtained.fromCache, fetchedAt: obtained.fetchedAt, problem: obtained.problem },
    // An offline answer is retried on the next check rather than held for ten minutes.
    obtainedAt: obtained.problem === null ? now : 0,
  };
  lastAttempt = { at: now, error: obtained.problem };
  return held;
}

/** How urgent a check is, and who hears of its pages as they are read. */
export interface CheckOptions {
  priority: Priority;
  onProgress?: (progress: { page: number; pages: number }) => void;
}

/** Decodes and verifies one document. */
export async function runCheck(
  bytes: Uint8Array,
  fileName: string,
  config: VerifierConfig,
  options: CheckOptions,
): Promise<OffscreenCheckResult> {
  // A write that fails while this check runs (its own, or that of a check beside it: the
  // disk is full for both) makes the card say the cache was not saved.
  const failuresBefore = cacheWriteFailures;
  // The registry is fetched while the pages are read, not before.
  const registryReady = registryFor(config, false);
  const storeReady = store();
  const check = await checkDocument(
    bytes,
    {
      read: (b, readOptions): Promise<ReadOutcome> => readWithPool(b, { ...readOptions, ...options }),
      verify: async (text) =>
        verifyLetter(text, {
          currentDate: new Date(),
          registry: (await registryReady).registry,
          store: await storeReady,
          fetcher,
          localRegion: config.region,
        }),
    },
    { fileName },
  );
  const registrySource = (await registryReady).source;
  return {
    ...check,
    registrySource,
    ...(cacheWriteFailures > failuresBefore ? { cacheProblem: 'CACHE_NOT_SAVED' as const } : {}),
  };
}

/** Refreshes the registry now (alarms, "refresh now"), then reports the cache state. */
export async function refreshRegistry(config: VerifierConfig): Promise<RegistryState> {
  await registryFor(config, true);
  return registryState(config);
}

/** What the cache holds for the configured registry. */
export async function registryState(config: VerifierConfig): Promise<RegistryState> {
  const current = held && held.key === configKey(config) ? held : await registryFor(config, false);
  const registry = current.registry;
  return {
    url: config.registryUrl,
    state: registry ? 'ok' : lastAttempt?.error ? 'error' : 'missing',
    version: registry?.version ?? null,
    iss: registry?.iss ?? null,
    exp: registry?.exp ?? null,
    fetchedAt: current.source.fetchedAt,
    lastAttemptAt: lastAttempt?.at ?? null,
    lastError: lastAttempt?.error ?? null,
  };
}

/**
 * Detecting a machine clock set in the past.
 *
 * A clock turned back makes an expired letter look current. Every verified registry and
 * status list carries an `iat` signed by its issuer; a machine whose time is earlier than
 * the newest such `iat` it has already seen is almost certainly wrong.
 *
 * Every letter asks, so the newest `iat` is remembered per store instead of read for each
 * one (in the extension a read is an IndexedDB transaction). What this runtime records is
 * remembered at once; the store itself is read again after a minute of the verifier's
 * clock, or at once when that clock goes backwards, so a clock turned back mid-session
 * is still compared with the newest value any process stored. The value only grows.
 */
import type { VerifierStore } from './ports.ts';
import { STORE_KEYS } from './store-keys.ts';
import { tolerantStore } from './tolerant-ports.ts';

/** Allowed clock difference, as for letters (letter-format.md section 5). */
export const CLOCK_SKEW_SECONDS = 300;

/** How long a read of the newest `iat` is reused (verifier clock). */
const REREAD_MS = 60 * 1000;

interface Remembered {
  iat: number | undefined;
  readAt: number;
}

/** Keyed by the store's tolerant wrapper, one per store, so raw and wrapped callers share it. */
const remembered = new WeakMap<VerifierStore, Remembered>();

const newer = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

async function newestIat(store: VerifierStore, now: number): Promise<number | undefined> {
  const memo = remembered.get(store);
  if (memo) {
    const age = now - memo.readAt;
    if (age >= 0 && age < REREAD_MS) return memo.iat;
  }
  const iat = newer(memo?.iat, await store.getNumber(STORE_KEYS.newestIat));
  remembered.set(store, { iat, readAt: now });
  return iat;
}

/**
 * Remembers a signed `iat` (seconds) if it is the newest seen so far.
 *
 * @example await recordSignedIat(store, registry.iat, new Date())
 */
export async function recordSignedIat(given: VerifierStore, iat: number, currentDate: Date): Promise<void> {
  if (!Number.isFinite(iat)) return;
  const store = tolerantStore(given);
  const seen = await newestIat(store, currentDate.getTime());
  if (seen !== undefined && iat <= seen) return;
  const memo = remembered.get(store);
  if (memo) memo.iat = iat;
  await store.putNumber(STORE_KEYS.newestIat, iat);
}

/**
 * Whether `currentDate` is earlier than the newest signed `iat` already seen (beyond the skew).
 *
 * @example await isClockSuspect(store, new Date('2020-01-01')) // true once a 2026 registry was seen
 */
export async function isClockSuspect(given: VerifierStore, currentDate: Date): Promise<boolean> {
  const seen = await newestIat(tolerantStore(given), currentDate.getTime());
  if (seen === undefined) return false;
  return currentDate.getTime() / 1000 < seen - CLOCK_SKEW_SECONDS;
}

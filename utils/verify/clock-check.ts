/**
 * Detecting a machine clock set in the past.
 *
 * A clock turned back makes an expired letter look current. Every verified registry and
 * status list carries an `iat` signed by its issuer; a machine whose time is earlier than
 * the newest such `iat` it has already seen is almost certainly wrong.
 */
import type { VerifierStore } from './ports.ts';
import { STORE_KEYS } from './store-keys.ts';

/** Allowed clock difference, as for letters (letter-format.md section 5). */
export const CLOCK_SKEW_SECONDS = 300;

/**
 * Remembers a signed `iat` (seconds) if it is the newest seen so far.
 *
 * @example await recordSignedIat(store, registry.iat)
 */
export async function recordSignedIat(store: VerifierStore, iat: number): Promise<void> {
  if (!Number.isFinite(iat)) return;
  const seen = await store.getNumber(STORE_KEYS.newestIat);
  if (seen === undefined || iat > seen) await store.putNumber(STORE_KEYS.newestIat, iat);
}

/**
 * Whether `currentDate` is earlier than the newest signed `iat` already seen (beyond the skew).
 *
 * @example await isClockSuspect(store, new Date('2020-01-01')) // true once a 2026 registry was seen
 */
export async function isClockSuspect(store: VerifierStore, currentDate: Date): Promise<boolean> {
  const seen = await store.getNumber(STORE_KEYS.newestIat);
  if (seen === undefined) return false;
  return currentDate.getTime() / 1000 < seen - CLOCK_SKEW_SECONDS;
}

/**
 * Finding the one key that may verify a token of an issuer: by `kid`, among the issuer's
 * inline registry keys and the keys served at its `jwks_uri` (letter-format.md section 2).
 * The `kid` from the token is only ever used to look up a key among these.
 */
import { decodeUtf8 } from './compact-jws.ts';
import type { Fetcher, VerifierStore } from './ports.ts';
import { type PublicJwk, readJwks } from './public-jwk.ts';
import type { RegistryIssuer } from './registry-payload.ts';
import { STORE_KEYS } from './store-keys.ts';
import { parseStrictJson } from './strict-json.ts';
import { tolerantStore } from './tolerant-ports.ts';
import { fetchSource, rememberUnusable } from './unreachable-sources.ts';

/** A cached JWKS younger than this is used without asking the network again. */
export const JWKS_FRESH_MS = 60 * 60 * 1000;

/**
 * A fresh cache that lacks a kid is refetched only if at least this old: otherwise a batch
 * of forged letters with made-up kids would make one request each to the issuer's server.
 */
export const JWKS_REFETCH_MIN_MS = 60 * 1000;

export type IssuerKeyLookup =
  | { ok: true; key: PublicJwk; source: 'inline' | 'jwks_uri' }
  | { ok: false; reason: 'KEY_UNKNOWN' | 'KEYS_UNAVAILABLE' };

export interface KeyContext {
  store: VerifierStore;
  fetcher: Fetcher | null;
  currentDate: Date;
}

/**
 * JWKS bodies already read, by their text: every letter of a `jwks_uri` issuer reads the
 * cached body again, and reading it checks each key on its curve. A pure function of the text
 * (the keys are frozen, so no caller can change what the next one gets), so a changed JWKS, a
 * key rotated out among them, is simply another text, read afresh.
 */
const readBodies = new Map<string, readonly PublicJwk[]>();
const READ_BODIES_MAX = 16;
/** Larger bodies (no real JWKS is) are read each time rather than held. */
const READ_BODY_MAX_CHARS = 64 * 1024;

function parseJwksBody(body: Uint8Array): readonly PublicJwk[] | null {
  const decoded = decodeUtf8(body);
  if (decoded === null) return null;
  // A JWKS saved by a Windows editor starts with a byte order mark (RFC 8259 section 8.1 lets
  // a parser ignore it). The JWKS is unsigned, so the mark changes nothing it says; refused,
  // it made every letter of the issuer KEYS_UNAVAILABLE.
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  const remembered = readBodies.get(text);
  if (remembered) return remembered;
  const parsed = parseStrictJson(text);
  const keys = parsed.ok ? readJwks(parsed.value) : null;
  if (!keys) return null;
  for (const key of keys) Object.freeze(key);
  const held = Object.freeze(keys);
  if (text.length <= READ_BODY_MAX_CHARS) {
    if (readBodies.size >= READ_BODIES_MAX) readBodies.delete(readBodies.keys().next().value as string);
    readBodies.set(text, held);
  }
  return held;
}

/**
 * The fresh JWKS this runtime last read or fetched, per store (its one tolerant wrapper) and
 * URI, so a batch of letters of one `jwks_uri` issuer costs one store read, not one each (in
 * the extension a read is an IndexedDB transaction). Used exactly when the stored copy would
 * answer without fetching: younger than the hour (a minute when a kid is missing), by the
 * verifier's clock, never when that clock went backwards. Replaced by every fetch.
 */
const heldJwks = new WeakMap<VerifierStore, Map<string, { keys: readonly PublicJwk[]; fetchedAt: number }>>();
const HELD_JWKS_MAX = 32;

function holdJwks(store: VerifierStore, uri: string, keys: readonly PublicJwk[], fetchedAt: number): void {
  let held = heldJwks.get(store);
  if (!held) {
    held = new Map();
    heldJwks.set(store, held);
  }
  held.delete(uri);
  if (held.size >= HELD_JWKS_MAX) held.delete(held.keys().next().value as string);
  held.set(uri, { keys, fetchedAt });
}

/**
 * Every key of an issuer that `jwks_uri` currently provides: fetched (and cached) when
 * possible, else the cached copy. Null when nothing can be had.
 */
async function remoteKeys(uri: string, context: KeyContext, forceFetch: boolean): Promise<readonly PublicJwk[] | null> {
  const now = context.currentDate.getTime();
  const freshFor = forceFetch ? JWKS_REFETCH_MIN_MS : JWKS_FRESH_MS;
  const store = tolerantStore(context.store);
  const held = heldJwks.get(store)?.get(uri);
  if (held && now - held.fetchedAt >= 0 && now - held.fetchedAt < freshFor) return held.keys;
  const cacheKey = STORE_KEYS.jwks(uri);
  const cached = await store.getEntry(cacheKey);
  const cachedKeys = cached ? parseJwksBody(cached.body) : null;
  const age = cached ? now - cached.fetchedAt : Number.POSITIVE_INFINITY;
  if (cached && cachedKeys && age >= 0 && age < freshFor) {
    holdJwks(store, uri, cachedKeys, cached.fetchedAt);
    return cachedKeys;
  }
  if (context.fetcher) {
    // A jwks_uri that failed within the minute is not asked again: every letter of the issuer
    // goes on at once with the cached keys, or KEYS_UNAVAILABLE.
    const outcome = await fetchSource(context.fetcher, uri, context.currentDate);
    if (outcome.ok) {
      const keys = parseJwksBody(outcome.body);
      if (keys) {
        await store.putEntry(cacheKey, { body: outcome.body, fetchedAt: now });
        holdJwks(store, uri, keys, now);
        return keys;
      }
      // A login page or other text instead of a JWKS is unreachable (section 4), and remembered as such.
      rememberUnusable(context.fetcher, uri, context.currentDate, 'not a JWKS');
    }
  }
  return cachedKeys;
}

/**
 * The issuer key with this `kid`: inline keys first, then `jwks_uri` (a fresh cache, else a
 * fetch, else any cached copy). KEYS_UNAVAILABLE only when the kid is not inline, the URI
 * cannot be reached and nothing is cached; KEY_UNKNOWN when no key has the kid.
 *
 * @example await findIssuerKey(issuer, 'kid-1', { store, fetcher, currentDate })
 */
export async function findIssuerKey(
  issuer: RegistryIssuer,
  kid: string,
  context: KeyContext,
): Promise<IssuerKeyLookup> {
  const inline = issuer.jwks.find((key) => key.kid === kid);
  if (inline) return { ok: true, key: inline, source: 'inline' };
  if (!issuer.jwks_uri) return { ok: false, reason: 'KEY_UNKNOWN' };
  let keys = await remoteKeys(issuer.jwks_uri, context, false);
  let found = keys?.find((key) => key.kid === kid);
  // A fresh cache without the kid may predate a key rotation: ask the network once more.
  if (keys && !found) {
    keys = await remoteKeys(issuer.jwks_uri, context, true);
    found = keys?.find((key) => key.kid === kid);
  }
  if (!keys) return { ok: false, reason: 'KEYS_UNAVAILABLE' };
  if (!found) return { ok: false, reason: 'KEY_UNKNOWN' };
  return { ok: true, key: found, source: 'jwks_uri' };
}

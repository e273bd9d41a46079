/**
 * Revocation through status lists (letter-format.md section 3, IETF OAuth Token Status
 * List): a `statuslist+jwt` signed by a key of the letter's own issuer, whose `sub` is the
 * URI the letter names, holding a ZLIB-compressed bit array.
 */
import { recordSignedIat } from './clock-check.ts';
import { decodeBase64url, splitCompactJws } from './compact-jws.ts';
import { findIssuerKey, type KeyContext } from './issuer-keys.ts';
import { unzlibLimited } from './limited-inflate.ts';
import { isNumericDate } from './numeric-date.ts';
import type { CacheEntry, VerifierStore } from './ports.ts';
import type { RegistryIssuer } from './registry-payload.ts';
import { verifySignedJson } from './signed-json.ts';
import { STORE_KEYS } from './store-keys.ts';
import { isJsonObject } from './strict-json.ts';
import { tolerantStore } from './tolerant-ports.ts';
import { fetchSource, rememberUnusable } from './unreachable-sources.ts';

/** RFC 8725 section 3.11: a letter or registry cannot pass for a status list. */
export const STATUS_LIST_TYP = 'statuslist+jwt';

/** A cached list stays usable this long past its `ttl` when the network fails. */
export const STATUS_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

/** 64 Mi two-bit entries: far above any county's letters, far below a bomb. */
export const STATUS_LIST_INFLATE_LIMIT = 16 * 1024 * 1024;

const SKEW_SECONDS = 300;

export interface StatusList {
  sub: string;
  iat: number;
  exp: number | null;
  /** Seconds a fetched copy may be used without asking again. */
  ttl: number;
  bits: 1 | 2;
  bytes: Uint8Array;
}

export type StatusState = 'valid' | 'revoked' | 'suspended' | 'unknown';

export interface StatusCheck {
  state: StatusState;
  /** When the list that answered was fetched (ms since epoch); null when none answered. */
  checkedAt: number | null;
  /** Why the state is unknown, for logs and tests. */
  detail: string | null;
}

/**
 * Reads the value of entry `idx`: `bits` per entry, least significant bits first
 * (draft-ietf-oauth-status-list section 4). Null when `idx` is past the end.
 *
 * @example statusValue(new Uint8Array([0b00000100]), 1, 2) // 1 (entry 2 of a 1-bit list)
 */
export function statusValue(bytes: Uint8Array, bits: 1 | 2, idx: number): number | null {
  const bitOffset = idx * bits;
  const byte = bytes[Math.floor(bitOffset / 8)];
  if (byte === undefined) return null;
  return (byte >> (bitOffset % 8)) & ((1 << bits) - 1);
}

/**
 * What a status value means: 0 valid, 1 revoked, 2 suspended (2-bit lists); anything else unknown.
 *
 * @example statusMeaning(2, 2) // 'suspended'
 */
export function statusMeaning(value: number | null, bits: 1 | 2): StatusState {
  if (value === 0) return 'valid';
  if (value === 1) return 'revoked';
  if (value === 2 && bits === 2) return 'suspended';
  return 'unknown';
}

type ListRead = { ok: true; list: StatusList } | { ok: false; detail: string };

/** Verifies a status list body against the issuer's keys and checks its `sub`. */
async function readVerifiedList(
  body: Uint8Array,
  uri: string,
  issuer: RegistryIssuer,
  context: KeyContext,
): Promise<ListRead> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body).trim();
  const split = splitCompactJws(text);
  if (!split.ok) return { ok: false, detail: `status list: ${split.error}` };
  const kid = split.jws.header.kid;
  if (typeof kid !== 'string') return { ok: false, detail: 'status list has no kid' };
  // Only the letter's own issuer may speak about its letters.
  const lookup = await findIssuerKey(issuer, kid, context);
  if (!lookup.ok) return { ok: false, detail: `status list key ${kid}: ${lookup.reason}` };
  const verified = await verifySignedJson(text, { typ: STATUS_LIST_TYP, keys: [lookup.key] });
  if (!verified.ok) return { ok: false, detail: `status list ${verified.problem}: ${verified.detail}` };
  const payload = verified.payload;
  if (!isJsonObject(payload)) return { ok: false, detail: 'status list payload is not an object' };
  const { sub, iat, exp, ttl, status_list: statusList } = payload;
  if (sub !== uri) return { ok: false, detail: `status list sub ${JSON.stringify(sub)} is not ${uri}` };
  if (!isNumericDate(iat)) return { ok: false, detail: 'status list iat' };
  if (exp !== undefined && !isNumericDate(exp)) {
    return { ok: false, detail: 'status list exp' };
  }
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)) {
    return { ok: false, detail: 'status list ttl' };
  }
  if (!isJsonObject(statusList)) return { ok: false, detail: 'status_list missing' };
  const { bits, lst } = statusList;
  if (bits !== 1 && bits !== 2) return { ok: false, detail: `status list bits ${JSON.stringify(bits)}` };
  if (typeof lst !== 'string') return { ok: false, detail: 'status list lst' };
  const bytes = decodeLst(lst);
  if (typeof bytes === 'string') return { ok: false, detail: bytes };
  return {
    ok: true,
    list: { sub, iat, exp: exp ?? null, ttl: ttl ?? 0, bits, bytes },
  };
}

/** Decoded `lst` values, remembered: one list serves a whole batch of letters. */
const decodedLists = new Map<string, Uint8Array>();
const DECODED_LISTS_MAX = 8;

/** The bytes of a `lst`, or why it cannot be read. */
function decodeLst(lst: string): Uint8Array | string {
  const remembered = decodedLists.get(lst);
  if (remembered) return remembered;
  const compressed = decodeBase64url(lst);
  if (!compressed) return 'status list lst is not base64url';
  const inflated = unzlibLimited(compressed, STATUS_LIST_INFLATE_LIMIT);
  if (!inflated.ok) return `status list lst ${inflated.error}`;
  if (decodedLists.size >= DECODED_LISTS_MAX) decodedLists.delete(decodedLists.keys().next().value as string);
  decodedLists.set(lst, inflated.bytes);
  return inflated.bytes;
}

/**
 * The lists this runtime has verified and is using, per store (its one tolerant wrapper) and
 * URI. A batch of letters naming one list then costs one store read and one verification,
 * not one each (in the extension a read is an IndexedDB transaction and a copy of the whole
 * list). Used only while the list is younger than its ttl, exactly when the cached copy would
 * answer without fetching, and only for the same registry entry of the issuer (a new
 * registry, which may have withdrawn the key that signed it, verifies it again).
 */
const heldLists = new WeakMap<
  VerifierStore,
  Map<string, { issuer: RegistryIssuer; list: StatusList; fetchedAt: number }>
>();
const HELD_LISTS_MAX = 16;

function hold(store: VerifierStore, uri: string, issuer: RegistryIssuer, list: StatusList, fetchedAt: number): void {
  let lists = heldLists.get(store);
  if (!lists) {
    lists = new Map();
    heldLists.set(store, lists);
  }
  lists.delete(uri);
  if (lists.size >= HELD_LISTS_MAX) lists.delete(lists.keys().next().value as string);
  lists.set(uri, { issuer, list, fetchedAt });
}

function expired(list: StatusList, now: number): boolean {
  return list.exp !== null && now / 1000 > list.exp + SKEW_SECONDS;
}

/**
 * The status of one letter: a cached list younger than its `ttl` answers without fetching;
 * else a fresh fetch; else a cached list younger than `ttl` + 7 days; else unknown.
 *
 * @example await checkLetterStatus({ idx: 17, uri }, issuer, { store, fetcher, currentDate })
 */
export async function checkLetterStatus(
  reference: { idx: number; uri: string },
  issuer: RegistryIssuer,
  context: KeyContext,
): Promise<StatusCheck> {
  const now = context.currentDate.getTime();
  const cacheKey = STORE_KEYS.status(reference.uri);
  const answer = async (list: StatusList, fetchedAt: number): Promise<StatusCheck> => {
    await recordSignedIat(context.store, list.iat, context.currentDate);
    const value = statusValue(list.bytes, list.bits, reference.idx);
    const state = statusMeaning(value, list.bits);
    return {
      state,
      checkedAt: fetchedAt,
      detail: state === 'unknown' ? `index ${reference.idx} has no known status` : null,
    };
  };

  const store = tolerantStore(context.store);
  const held = heldLists.get(store)?.get(reference.uri);
  if (held && held.issuer === issuer && !expired(held.list, now)) {
    const age = now - held.fetchedAt;
    if (age >= 0 && age < held.list.ttl * 1000) return answer(held.list, held.fetchedAt);
  }

  const cachedEntry: CacheEntry | undefined = await context.store.getEntry(cacheKey);
  const cached = cachedEntry ? await readVerifiedList(cachedEntry.body, reference.uri, issuer, context) : null;
  if (cachedEntry && cached?.ok && !expired(cached.list, now)) {
    const age = now - cachedEntry.fetchedAt;
    if (age >= 0 && age < cached.list.ttl * 1000) {
      hold(store, reference.uri, issuer, cached.list, cachedEntry.fetchedAt);
      return answer(cached.list, cachedEntry.fetchedAt);
    }
  }

  let detail = 'offline';
  if (context.fetcher) {
    // A list that failed within the minute is not asked again: the letters naming it go on at
    // once with the cached copy, or STATUS_UNKNOWN.
    const outcome = await fetchSource(context.fetcher, reference.uri, context.currentDate);
    if (outcome.ok) {
      const fresh = await readVerifiedList(outcome.body, reference.uri, issuer, context);
      // An answer older than the list already held (a replayed list from before a revocation,
      // a stale mirror) is not the current list: as unreachable, so the newer copy goes on.
      const older = fresh.ok && cached?.ok === true && fresh.list.iat < cached.list.iat;
      if (fresh.ok && !older && !expired(fresh.list, now)) {
        await context.store.putEntry(cacheKey, { body: outcome.body, fetchedAt: now });
        hold(store, reference.uri, issuer, fresh.list, now);
        return answer(fresh.list, now);
      }
      detail = !fresh.ok ? fresh.detail : older ? 'status list older than the one held' : 'status list expired';
      // Not a usable list of this issuer (a login page, another typ, a bad signature): as unreachable.
      rememberUnusable(context.fetcher, reference.uri, context.currentDate, detail);
    } else {
      detail = `unreachable: ${outcome.failure}`;
    }
  }

  if (cachedEntry && cached?.ok && !expired(cached.list, now)) {
    const age = now - cachedEntry.fetchedAt;
    if (age >= 0 && age < cached.list.ttl * 1000 + STATUS_GRACE_MS) return answer(cached.list, cachedEntry.fetchedAt);
  }
  return { state: 'unknown', checkedAt: null, detail };
}

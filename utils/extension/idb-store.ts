/**
 * The extension's IndexedDB database (`idb`, typed `DBSchema`): the verifier's cache
 * (registry, JWKS, status lists, highest version seen) and the check history. One
 * database for the extension origin, shared by the background, the offscreen document and
 * the extension pages (all the same origin, so the same IndexedDB).
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { CacheEntry, VerifierStore } from '../verify/ports.ts';
import type { HistoryEntry } from './history-store.ts';

export const DB_NAME = 'yanzhen';
export const DB_VERSION = 1;

export interface YanzhenDb extends DBSchema {
  /** VerifierStore entries: raw network answers keyed by the core's opaque keys. */
  cache: { key: string; value: CacheEntry };
  /** VerifierStore numbers (highest registry version seen, newest iat seen). */
  numbers: { key: string; value: number };
  /** One row per document check; no document bytes. */
  history: {
    key: number;
    value: HistoryEntry;
    indexes: { checkedAt: number; letterNumber: string };
  };
}

export type YanzhenDatabase = IDBPDatabase<YanzhenDb>;

/**
 * Opens (and on first use creates) the database.
 *
 * @example const db = await openYanzhenDb(); const store = idbVerifierStore(db);
 */
export function openYanzhenDb(name: string = DB_NAME): Promise<YanzhenDatabase> {
  return openDB<YanzhenDb>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('cache');
        db.createObjectStore('numbers');
        const history = db.createObjectStore('history', { keyPath: 'id', autoIncrement: true });
        history.createIndex('checkedAt', 'checkedAt');
        // Entries without a letter number (no code, unreadable) are simply absent from this index.
        history.createIndex('letterNumber', 'letterNumber');
      }
    },
  });
}

/**
 * A {@link VerifierStore} over the database. Bodies are stored as a copy: IndexedDB's
 * structured clone keeps a Uint8Array, but a view into a larger buffer would store the
 * whole buffer.
 */
export function idbVerifierStore(db: YanzhenDatabase): VerifierStore {
  return {
    async getEntry(key) {
      return db.get('cache', key);
    },
    async putEntry(key, entry) {
      await db.put('cache', { body: entry.body.slice(), fetchedAt: entry.fetchedAt }, key);
    },
    async getNumber(key) {
      return db.get('numbers', key);
    },
    async putNumber(key, value) {
      await db.put('numbers', value, key);
    },
  };
}

/** Lists the cache keys with their fetch times (for the options page's cache state). */
export async function listCacheEntries(
  db: YanzhenDatabase,
): Promise<{ key: string; fetchedAt: number; size: number }[]> {
  const out: { key: string; fetchedAt: number; size: number }[] = [];
  let cursor = await db.transaction('cache').store.openCursor();
  while (cursor) {
    out.push({ key: String(cursor.key), fetchedAt: cursor.value.fetchedAt, size: cursor.value.body.byteLength });
    cursor = await cursor.continue();
  }
  return out;
}

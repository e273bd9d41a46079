/**
 * The extension's IndexedDB database (`idb`, typed `DBSchema`): the verifier's cache
 * (registry, JWKS, status lists, highest version seen) and the check history. One
 * database for the extension origin, shared by the background, the offscreen document and
 * the extension pages (all the same origin, so the same IndexedDB).
 */
import { openDB } from 'idb';
import type { VerifierStore } from '../verify/ports.ts';
import { DB_NAME, DB_VERSION, upgradeYanzhenDb, type YanzhenDatabase, type YanzhenDb } from './idb-schema.ts';

/**
 * Opens (and on first use creates) the database.
 *
 * @example const db = await openYanzhenDb(); const store = idbVerifierStore(db);
 */
export function openYanzhenDb(name: string = DB_NAME): Promise<YanzhenDatabase> {
  return openDB<YanzhenDb>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      upgradeYanzhenDb(db, oldVersion);
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

/**
 * The extension's IndexedDB database (`idb`, typed `DBSchema`): the verifier's cache
 * (registry, JWKS, status lists, highest version seen) and the check history. One
 * database for the extension origin, shared by the background, the offscreen document and
 * the extension pages (all the same origin, so the same IndexedDB).
 */
import { openDB } from 'idb';
import type { VerifierStore } from '../verify/ports.ts';
import {
  DB_NAME,
  DB_VERSION,
  missingParts,
  upgradeYanzhenDb,
  type YanzhenDatabase,
  type YanzhenDb,
} from './idb-schema.ts';

/**
 * Opens (and on first use creates) the database, repaired when it lacks a store or index of
 * the schema at its current version (idb-schema.ts `missingParts`): it is reopened one
 * version up, and the upgrade creates what is missing and keeps every row there. First
 * opened at the version it has (a repaired one is above DB_VERSION), then upgraded to
 * DB_VERSION when below it.
 *
 * @example const db = await openYanzhenDb(); const store = idbVerifierStore(db);
 */
export async function openYanzhenDb(name: string = DB_NAME): Promise<YanzhenDatabase> {
  // undefined: the version the database has (a new one is made at 1, through the upgrade).
  let target: number | undefined;
  for (let attempt = 0; ; attempt++) {
    let db: YanzhenDatabase;
    try {
      db = await openDB<YanzhenDb>(name, target, {
        upgrade(upgrading, oldVersion, _newVersion, transaction) {
          upgradeYanzhenDb(upgrading, oldVersion, transaction as unknown as IDBTransaction);
        },
      });
    } catch (error) {
      // Another context repaired it meanwhile, past the version asked for: open it as it is now.
      if (attempt < 3 && (error as { name?: unknown } | null)?.name === 'VersionError') {
        target = undefined;
        continue;
      }
      throw error;
    }
    const below = db.version < DB_VERSION;
    if ((!below && missingParts(db).length === 0) || attempt >= 3) return db;
    db.close();
    target = below ? DB_VERSION : db.version + 1;
  }
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

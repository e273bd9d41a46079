/**
 * The extension's IndexedDB schema in one place: its name, version, stores and the row
 * types they hold, and the upgrade from each older version. The stores' users
 * (idb-store.ts for the verifier cache, history-store.ts for the history) import it; neither
 * imports the other.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import type { CheckedCode, DocumentVerdict, LocalizedMessage } from '../check/document-check.ts';
import type { DocumentSource, RegistrySource } from '../check/document-record.ts';
import type { CacheEntry } from '../verify/ports.ts';
import type { ReasonCode } from '../verify/reason-codes.ts';
import type { LocalizedText } from '../verify/verdict.ts';

export interface HistoryEntry {
  /** Assigned by IndexedDB. */
  id?: number;
  /** When the check finished (ms since epoch). */
  checkedAt: number;
  pageUrl: string;
  fileName: string;
  source: DocumentSource;
  verdict: DocumentVerdict;
  /** Every reason of every code in the document, in spec order. */
  reasons: ReasonCode[];
  /** The letter's `jti` (编号); absent when the document had no readable letter (kept out of the index). */
  letterNumber?: string;
  /** Issuer id (`iss`) as the letter claimed it, and its registry name when the registry knows it. */
  issuer: string | null;
  issuerName: LocalizedText | null;
  /** The authorized organization's name and USCC, as the letter claimed them. */
  organization: string | null;
  organizationCode: string | null;
  /**
   * What the card showed: every code's verdict (the letter's claims and the registry facts,
   * the same data as the fields above, never bytes) and the reader's error, so a row can
   * open its card again. Absent in rows written before they were kept (no schema change:
   * IndexedDB values are free-form).
   */
  codes?: CheckedCode[];
  error?: LocalizedMessage | null;
  /**
   * Which check wrote the row: the document (its id, a hash of the bytes), when its check
   * started, and the registry it was judged against. A service worker stopped after the row
   * but before the card said done leaves the card `checking`; the next worker finds the row
   * and ends the card from it instead of checking it again (one check, one row). Absent in
   * older rows (free-form value: no schema change).
   */
  check?: { documentId: string; startedAt: number; registrySource?: RegistrySource };
}

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

/** Every store of the current schema with its options and indexes: what {@link missingParts} looks for. */
const SCHEMA: {
  name: 'cache' | 'numbers' | 'history';
  options?: IDBObjectStoreParameters;
  indexes: { name: 'checkedAt' | 'letterNumber'; keyPath: string }[];
}[] = [
  { name: 'cache', indexes: [] },
  { name: 'numbers', indexes: [] },
  {
    name: 'history',
    options: { keyPath: 'id', autoIncrement: true },
    // Entries without a letter number (no code, unreadable) are simply absent from the letterNumber index.
    indexes: [
      { name: 'checkedAt', keyPath: 'checkedAt' },
      { name: 'letterNumber', keyPath: 'letterNumber' },
    ],
  },
];

/**
 * The stores and indexes of the schema that `db` lacks (`history.checkedAt` for an index), in
 * schema order: none for a database this code made. A database at the current version can
 * still lack them: made empty by a page that opened it by name before the extension did
 * (what a fault test's history read did in the CI run of 2026-12-01 14:20, after which every
 * check threw), or by another tool.
 *
 * @example missingParts(db) // ['history', 'history.checkedAt', 'history.letterNumber']
 */
export function missingParts(db: IDBDatabase | IDBPDatabase<YanzhenDb>, upgrade?: IDBTransaction): string[] {
  const missing: string[] = [];
  for (const store of SCHEMA) {
    if (!db.objectStoreNames.contains(store.name)) {
      missing.push(store.name, ...store.indexes.map((i) => `${store.name}.${i.name}`));
      continue;
    }
    // Indexes can be listed only inside a transaction: the upgrade's, or a read-only one.
    const names = (upgrade ?? (db as IDBDatabase).transaction(store.name)).objectStore(store.name).indexNames;
    for (const index of store.indexes) if (!names.contains(index.name)) missing.push(`${store.name}.${index.name}`);
  }
  return missing;
}

/**
 * Creates or upgrades the stores from `oldVersion` (0 for a new database). Each version's
 * step runs once, in order, so a profile that skipped versions still ends up current. Then
 * any store or index of the schema still missing is created (a repair, see {@link missingParts}:
 * idb-store.ts reopens such a database one version up to get here); rows already there are
 * never touched. A repaired database is a version ahead of DB_VERSION, so a data-changing
 * step added later must be keyed on what the database holds, not on `oldVersion` alone.
 */
export function upgradeYanzhenDb(db: IDBPDatabase<YanzhenDb>, oldVersion: number, upgrade?: IDBTransaction): void {
  if (oldVersion < 1) {
    db.createObjectStore('cache');
    db.createObjectStore('numbers');
    const history = db.createObjectStore('history', { keyPath: 'id', autoIncrement: true });
    history.createIndex('checkedAt', 'checkedAt');
    history.createIndex('letterNumber', 'letterNumber');
  }
  if (!upgrade) return;
  const raw = db as unknown as IDBDatabase;
  for (const store of SCHEMA) {
    const objects = raw.objectStoreNames.contains(store.name)
      ? upgrade.objectStore(store.name)
      : raw.createObjectStore(store.name, store.options);
    for (const index of store.indexes)
      if (!objects.indexNames.contains(index.name)) objects.createIndex(index.name, index.keyPath);
  }
}

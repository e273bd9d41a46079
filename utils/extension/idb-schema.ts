/**
 * The extension's IndexedDB schema in one place: its name, version, stores and the row
 * types they hold, and the upgrade from each older version. The stores' users
 * (idb-store.ts for the verifier cache, history-store.ts for the history) import it; neither
 * imports the other.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import type { CheckedCode, DocumentVerdict, LocalizedMessage } from '../check/document-check.ts';
import type { DocumentSource } from '../check/document-record.ts';
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

/**
 * Creates or upgrades the stores from `oldVersion` (0 for a new database). Each version's
 * step runs once, in order, so a profile that skipped versions still ends up current.
 */
export function upgradeYanzhenDb(db: IDBPDatabase<YanzhenDb>, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore('cache');
    db.createObjectStore('numbers');
    const history = db.createObjectStore('history', { keyPath: 'id', autoIncrement: true });
    history.createIndex('checkedAt', 'checkedAt');
    // Entries without a letter number (no code, unreadable) are simply absent from this index.
    history.createIndex('letterNumber', 'letterNumber');
  }
}

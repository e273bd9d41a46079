/**
 * History of every check, in IndexedDB: time, page, file name, verdict, reasons, letter
 * number, issuer, organization. Never the document's bytes (a letter carries ID digits and
 * names; the bytes stay on the page they came from). Searchable, exportable as CSV,
 * clearable; a letter number seen often or on many pages is pointed out, because one real
 * letter photocopied across many villages is how the Dengzhou scam spread.
 */
import type { DocumentVerdict } from '../check/document-check.ts';
import type { DocumentRecord } from '../check/document-record.ts';
import { escapeUntrusted } from '../explain/untrusted-text.ts';
import { type Locale, t } from '../i18n/i18n.ts';
import { type ReasonCode, sortReasons } from '../verify/reason-codes.ts';
import { readHistoryRow, readHistoryRows } from './history-row.ts';
import type { HistoryEntry, YanzhenDatabase } from './idb-schema.ts';

/** A letter number that appears often or on several pages. */
export interface RepeatedLetter {
  letterNumber: string;
  issuer: string | null;
  count: number;
  pages: string[];
  firstSeen: number;
  lastSeen: number;
}

/** Thresholds for {@link findRepeatedLetters}: seen at least `minCount` times, or on `minPages` different pages. */
export const REPEAT_THRESHOLDS = { minCount: 3, minPages: 2 } as const;

/**
 * At most this many characters of a page's address are kept in a row. A page may push an
 * address of up to 2 MB (Chrome's limit) with history.pushState; every check on it wrote
 * that into its row, and the side panel's history read 500 such rows at once. Far more than
 * any portal's real address, whose start (origin and path) says which page it was.
 */
export const MAX_ROW_PAGE_URL = 2048;

function capped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * The history row for a finished check (the first code's letter stands for the document).
 *
 * @example historyEntryFromRecord(record).letterNumber // 'DZ-2026-0001'
 */
export function historyEntryFromRecord(
  record: DocumentRecord,
  check?: { documentId: string; startedAt: number },
): HistoryEntry {
  const first = record.codes.find((c) => c.verdict.letter) ?? record.codes[0];
  const letter = first?.verdict.letter ?? null;
  const entry: HistoryEntry = {
    checkedAt: record.checkedAt,
    pageUrl: capped(record.pageUrl, MAX_ROW_PAGE_URL),
    fileName: record.name,
    source: record.source,
    verdict: record.verdict,
    reasons: sortReasons(record.codes.flatMap((c) => c.verdict.reasons)),
    issuer: letter?.iss ?? null,
    issuerName: first?.verdict.facts.issuerName ?? null,
    organization: letter?.sub_name ?? null,
    organizationCode: letter?.sub ?? null,
    codes: record.codes,
    error: record.error,
  };
  if (letter?.jti) entry.letterNumber = letter.jti;
  if (check) entry.check = { ...check, ...(record.registrySource ? { registrySource: record.registrySource } : {}) };
  return entry;
}

/**
 * The row the check of document `documentId` started at `startedAt` wrote, if it wrote one
 * (rows are found from `startedAt` on, by the checkedAt index: a check ends after it starts).
 *
 * @example await rowOfCheck(db, card.id, card.checkedAt) // the row, or null: check it again
 */
export async function rowOfCheck(
  db: YanzhenDatabase,
  documentId: string,
  startedAt: number,
): Promise<HistoryEntry | null> {
  const rows = await db.getAllFromIndex('history', 'checkedAt', IDBKeyRange.lowerBound(startedAt));
  return (
    readHistoryRows(rows).find((r) => r.check?.documentId === documentId && r.check.startedAt === startedAt) ?? null
  );
}

/**
 * The card a history row opens: the check as the side panel showed it. Rows written before
 * the verdicts were kept have no codes: their card says only the verdict and reasons.
 */
export function recordFromHistory(entry: HistoryEntry): DocumentRecord {
  return {
    id: `history-${entry.id ?? entry.checkedAt}`,
    name: entry.fileName,
    url: null,
    source: entry.source,
    pageUrl: entry.pageUrl,
    checkedAt: entry.checkedAt,
    state: 'done',
    progress: null,
    codes: entry.codes ?? [],
    verdict: entry.verdict,
    error: entry.error ?? null,
  };
}

/**
 * A reason in words for lists and the CSV, without the letter at hand: the short form
 * ("已过期"); the card opened from the row has the full sentence.
 *
 * @example reasonWords(['EXPIRED', 'REVOKED'], 'zh-CN') // '已过期；已被撤销'
 */
export function reasonWords(reasons: readonly ReasonCode[], locale: Locale): string {
  return reasons
    .map((code) => t(locale, `core.reasonShort.${code}`))
    .join(t(locale, 'extension.history.reasonSeparator'));
}

/** Adds one check; returns its id. */
export async function addHistory(db: YanzhenDatabase, entry: HistoryEntry): Promise<number> {
  const { id: _ignored, ...row } = entry;
  return db.add('history', row as HistoryEntry);
}

/** What to look for: free text (any field), a verdict, a time range (ms). */
export interface HistoryQuery {
  text?: string;
  verdict?: DocumentVerdict;
  from?: number;
  to?: number;
  /** At most this many rows, newest first (default 500). */
  limit?: number;
}

/** Whether an entry matches a query (pure; exported for tests and for filtering in the view). */
export function matchesHistory(entry: HistoryEntry, query: HistoryQuery): boolean {
  if (query.verdict && entry.verdict !== query.verdict) return false;
  if (query.from !== undefined && entry.checkedAt < query.from) return false;
  if (query.to !== undefined && entry.checkedAt > query.to) return false;
  const text = query.text?.trim().toLowerCase();
  if (!text) return true;
  const fields = [
    entry.fileName,
    entry.pageUrl,
    entry.letterNumber,
    entry.issuer,
    entry.issuerName?.['zh-CN'],
    entry.issuerName?.en,
    entry.organization,
    entry.organizationCode,
    ...entry.reasons,
  ];
  return fields.some((f) => typeof f === 'string' && f.toLowerCase().includes(text));
}

/** Entries matching the query, newest first. */
export async function searchHistory(db: YanzhenDatabase, query: HistoryQuery = {}): Promise<HistoryEntry[]> {
  const limit = query.limit ?? 500;
  const out: HistoryEntry[] = [];
  let cursor = await db.transaction('history').store.index('checkedAt').openCursor(null, 'prev');
  while (cursor && out.length < limit) {
    const row = readHistoryRow(cursor.value);
    if (row && matchesHistory(row, query)) out.push(row);
    cursor = await cursor.continue();
  }
  return out;
}

/** Deletes every entry. */
export async function clearHistory(db: YanzhenDatabase): Promise<void> {
  await db.clear('history');
}

/** Every entry with this letter number, newest first. */
export async function historyForLetter(db: YanzhenDatabase, letterNumber: string): Promise<HistoryEntry[]> {
  const rows = readHistoryRows(await db.getAllFromIndex('history', 'letterNumber', letterNumber));
  return rows.sort((a, b) => b.checkedAt - a.checkedAt);
}

/**
 * Letter numbers seen at least `minCount` times or on `minPages` different pages (pure).
 * Rechecking the same attachment on the same page counts once per check, so the count
 * threshold is higher than the page threshold.
 */
export function findRepeatedLetters(
  entries: readonly HistoryEntry[],
  thresholds: { minCount: number; minPages: number } = REPEAT_THRESHOLDS,
): RepeatedLetter[] {
  const groups = new Map<string, RepeatedLetter & { pageSet: Set<string> }>();
  for (const e of entries) {
    if (!e.letterNumber) continue;
    const key = `${e.issuer ?? ''}\u0000${e.letterNumber}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        letterNumber: e.letterNumber,
        issuer: e.issuer,
        count: 0,
        pages: [],
        pageSet: new Set(),
        firstSeen: e.checkedAt,
        lastSeen: e.checkedAt,
      };
      groups.set(key, g);
    }
    g.count++;
    if (e.pageUrl) g.pageSet.add(e.pageUrl);
    g.firstSeen = Math.min(g.firstSeen, e.checkedAt);
    g.lastSeen = Math.max(g.lastSeen, e.checkedAt);
  }
  const out: RepeatedLetter[] = [];
  for (const { pageSet, ...g } of groups.values()) {
    if (g.count >= thresholds.minCount || pageSet.size >= thresholds.minPages) out.push({ ...g, pages: [...pageSet] });
  }
  return out.sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen);
}

/** Repeated letter numbers over the whole history. */
export async function repeatedLetters(db: YanzhenDatabase): Promise<RepeatedLetter[]> {
  return findRepeatedLetters(readHistoryRows(await db.getAll('history')));
}

/**
 * Quotes one CSV field (RFC 4180) and defuses spreadsheet formulas: a page-controlled file
 * name like `=HYPERLINK(...)` must not run when a county officer opens the export in Excel.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The history as CSV text Excel opens as it is: UTF-8 with a BOM (without it Excel reads
 * GBK and shows mojibake), CRLF line ends, one row per check, times in China Standard
 * Time, columns headed in the user's language, reasons in words with their codes in a
 * column of their own, and every field formula-defused.
 */
export function historyToCsv(entries: readonly HistoryEntry[], locale: Locale): string {
  const header = [
    t(locale, 'extension.history.csv.time'),
    t(locale, 'extension.history.csv.page'),
    t(locale, 'extension.history.csv.file'),
    t(locale, 'extension.history.csv.verdict'),
    t(locale, 'extension.history.csv.reasonWords'),
    t(locale, 'extension.history.csv.reasons'),
    t(locale, 'extension.history.csv.letterNumber'),
    t(locale, 'extension.history.csv.issuer'),
    t(locale, 'extension.history.csv.organization'),
    t(locale, 'extension.history.csv.organizationCode'),
  ];
  const time = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'medium',
  });
  // Page-, letter- and file-given text goes through the one escaping rule first (a bidi
  // override or a line break in a file name must not reorder or split the row), then csvField.
  const u = (text: string | null | undefined) => escapeUntrusted(text ?? '');
  // A time past what a Date holds (a row no version of ours wrote) is shown as its number,
  // as the list does (formatDateTime): Intl would throw, and one row would end the export.
  const when = (ms: number) => (Number.isNaN(new Date(ms).getTime()) ? String(ms) : time.format(new Date(ms)));
  const rows = entries.map((e) => [
    when(e.checkedAt),
    u(e.pageUrl),
    u(e.fileName),
    t(locale, `extension.verdict.${e.verdict}`),
    reasonWords(e.reasons, locale),
    e.reasons.join(' '),
    u(e.letterNumber),
    u(e.issuerName?.[locale] ?? e.issuer),
    u(e.organization),
    u(e.organizationCode),
  ]);
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/**
 * A history row as IndexedDB gives it back, read as untrusted: the store is free-form, and a
 * row may have been written by an older version, by a version with a bug, or edited by hand
 * in DevTools. One row with a wrong type (reasons not a list, a name that is a number, a
 * time past what a Date holds) had thrown out of the whole history list and the CSV export;
 * each field is now taken only when it has its type, and what is left out is shown as
 * missing. A verdict that is none of ours becomes `error`: never green from a row we cannot read.
 */
import { DOCUMENT_VERDICTS, type DocumentVerdict } from '../check/document-check.ts';
import { DOCUMENT_SOURCES, type DocumentSource } from '../check/document-record.ts';
import { REASON_CODES, type ReasonCode } from '../verify/reason-codes.ts';
import type { LocalizedText } from '../verify/verdict.ts';
import type { HistoryEntry } from './idb-schema.ts';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function localizedText(v: unknown): LocalizedText | null {
  if (!isObject(v) || typeof v['zh-CN'] !== 'string' || typeof v.en !== 'string') return null;
  return { 'zh-CN': v['zh-CN'], en: v.en };
}

/**
 * The row with every field of its type, or null when it is not a row at all.
 *
 * @example readHistoryRow({ checkedAt: 1, verdict: 'maybe', reasons: 'x' })?.verdict // 'error'
 */
export function readHistoryRow(raw: unknown): HistoryEntry | null {
  if (!isObject(raw)) return null;
  const verdict = DOCUMENT_VERDICTS.includes(raw.verdict as DocumentVerdict)
    ? (raw.verdict as DocumentVerdict)
    : 'error';
  const source = DOCUMENT_SOURCES.includes(raw.source as DocumentSource) ? (raw.source as DocumentSource) : 'link';
  const reasons = Array.isArray(raw.reasons)
    ? raw.reasons.filter((r): r is ReasonCode => (REASON_CODES as readonly unknown[]).includes(r))
    : [];
  const entry: HistoryEntry = {
    // NaN when missing: the list and the CSV show it as unknown, never as some other day.
    checkedAt: typeof raw.checkedAt === 'number' ? raw.checkedAt : Number.NaN,
    pageUrl: text(raw.pageUrl) ?? '',
    fileName: text(raw.fileName) ?? '',
    source,
    verdict,
    reasons,
    issuer: text(raw.issuer),
    issuerName: localizedText(raw.issuerName),
    organization: text(raw.organization),
    organizationCode: text(raw.organizationCode),
  };
  if (typeof raw.id === 'number') entry.id = raw.id;
  const letterNumber = text(raw.letterNumber);
  if (letterNumber) entry.letterNumber = letterNumber;
  // The card drawn from the codes guards itself (a card that fails to draw says so).
  if (Array.isArray(raw.codes)) entry.codes = raw.codes as NonNullable<HistoryEntry['codes']>;
  if (isObject(raw.error)) entry.error = raw.error as unknown as NonNullable<HistoryEntry['error']>;
  const check = raw.check;
  if (isObject(check) && typeof check.documentId === 'string' && typeof check.startedAt === 'number') {
    entry.check = check as unknown as NonNullable<HistoryEntry['check']>;
  }
  return entry;
}

/** Every readable row of `raws`, in their order. */
export function readHistoryRows(raws: readonly unknown[]): HistoryEntry[] {
  return raws.flatMap((raw) => readHistoryRow(raw) ?? []);
}

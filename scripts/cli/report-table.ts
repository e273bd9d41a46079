/**
 * The readable report (the default output): one row per document and per code, the
 * verdict word first, every reason as a plain sentence, then a one-line summary. Written
 * for county officers reading a terminal, in their language.
 */
import type { DocumentCheck, DocumentVerdict } from '../../utils/check/document-check.ts';
import { explainReason } from '../../utils/explain/explain-verdict.ts';
import type { RegionTable } from '../../utils/explain/region-names.ts';
import { formatDateTime, type Locale, t } from '../../utils/i18n/i18n.ts';
import { isRegistryStale, type VerifiedRegistry } from '../../utils/verify/registry.ts';
import type { Verdict } from '../../utils/verify/verdict.ts';

export interface TableDocument {
  file: string;
  check: DocumentCheck;
  unit: 'line' | 'page';
}

/** Terminal columns of a string: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

const padEnd = (text: string, columns: number) => text + ' '.repeat(Math.max(1, columns - displayWidth(text)));

const VERDICTS = ['valid', 'warning', 'invalid', 'none', 'error'] as const satisfies readonly DocumentVerdict[];

const word = (verdict: DocumentVerdict, locale: Locale) => t(locale, `core.verdict.${verdict}`);

/** The verdict words form the first column: as wide as the widest of them in this language. */
const wordColumn = (locale: Locale) => Math.max(...VERDICTS.map((v) => displayWidth(word(v, locale)))) + 1;

/**
 * Renders the whole report as text ending in a newline.
 *
 * @example process.stdout.write(renderTable({ registry, currentDate, at: null, locale: 'zh-CN', documents, skipped: 0 }))
 */
export function renderTable(input: {
  registry: VerifiedRegistry | null;
  currentDate: Date;
  /** The `--at` moment when given (it is then printed, so nobody mistakes the result for today's). */
  at: Date | null;
  locale: Locale;
  documents: readonly TableDocument[];
  /** Names region codes in the explanations (陶营镇 rather than 411381121), when available. */
  regionTable?: RegionTable | null;
  skipped: number;
}): string {
  const { registry, locale } = input;
  const column = wordColumn(locale);
  const indent = ' '.repeat(column + 1);
  const lines: string[] = [];
  if (registry === null) lines.push(t(locale, 'cli.table.noRegistry'));
  else {
    const key = isRegistryStale(registry, input.currentDate) ? 'cli.table.registryStale' : 'cli.table.registry';
    lines.push(t(locale, key, { iss: registry.iss, version: registry.version }));
  }
  if (input.at) lines.push(t(locale, 'cli.table.checkedAt', { time: formatDateTime(locale, input.at.getTime()) }));
  lines.push('');

  const counts: Record<DocumentVerdict, number> = { valid: 0, warning: 0, invalid: 0, none: 0, error: 0 };
  let clockSuspect = false;
  for (const { file, check, unit } of input.documents) {
    counts[check.verdict] += 1;
    lines.push(`${padEnd(word(check.verdict, locale), column)} ${file}`);
    if (check.error) lines.push(`${indent}· ${t(locale, check.error.key, check.error.params)}`);
    else if (check.codes.length === 0) lines.push(`${indent}· ${t(locale, 'core.noCodeAdvice')}`);
    for (const { page, verdict } of check.codes) {
      clockSuspect ||= verdict.facts.clockSuspect;
      lines.push(`${indent}${codeRow(page, unit, verdict, locale)}`);
      for (const code of verdict.reasons)
        lines.push(`${indent}  · ${explainReason(code, verdict, locale, { regionTable: input.regionTable ?? null })}`);
    }
  }

  lines.push('');
  // With --at in the past the clock check would always fire; the user chose that moment.
  if (clockSuspect && input.at === null) lines.push(t(locale, 'core.clockSuspect'));
  lines.push(t(locale, 'cli.table.summary', { documents: input.documents.length, ...counts }));
  if (input.skipped > 0) lines.push(t(locale, 'cli.table.skipped', { count: input.skipped }));
  return `${lines.join('\n')}\n`;
}

/** `第 3 行  有效  编号 DZ-2026-0017  邓州市医疗保障局  某某诊所` */
function codeRow(page: number, unit: 'line' | 'page', verdict: Verdict, locale: Locale): string {
  const where = t(locale, unit === 'line' ? 'cli.table.line' : 'cli.table.page', { page });
  const parts = [where, word(verdict.verdict, locale)];
  const letter = verdict.letter;
  if (letter === null) parts.push(t(locale, 'cli.table.unreadable'));
  else {
    // The issuer's name comes from the signed registry; the letter's own `iss` is only an id.
    const issuer = verdict.facts.issuerName?.[locale] ?? letter.iss;
    parts.push(t(locale, 'cli.table.letterNumber', { jti: letter.jti }), issuer, letter.sub_name);
  }
  return parts.join('  ');
}

/**
 * The readable report (the default output): a header, then the rows of each document as
 * soon as it is judged (one row per document and per code, the verdict word first, every
 * reason as a plain sentence). Written for county officers reading a terminal, in their
 * language; the closing summary goes to stderr (batch-summary.ts).
 */
import type { DocumentCheck, DocumentVerdict } from '../../utils/check/document-check.ts';
import { explainReason } from '../../utils/explain/explain-verdict.ts';
import { hidePhoneNumbers, notAuthorizedLines } from '../../utils/explain/letter-display.ts';
import type { RegionTable } from '../../utils/explain/region-names.ts';
import { escapeUntrusted, lookalikeHint } from '../../utils/explain/untrusted-text.ts';
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

export const VERDICTS = ['valid', 'warning', 'invalid', 'none', 'error'] as const satisfies readonly DocumentVerdict[];

export const word = (verdict: DocumentVerdict, locale: Locale) => t(locale, `core.verdict.${verdict}`);

/** The verdict words form the first column: as wide as the widest of them in this language. */
const wordColumn = (locale: Locale) => Math.max(...VERDICTS.map((v) => displayWidth(word(v, locale)))) + 1;

/** What the table needs to know about the run, for its header and its rows. */
export interface TableContext {
  registry: VerifiedRegistry | null;
  currentDate: Date;
  /** The `--at` moment when given (it is then printed, so nobody mistakes the result for today's). */
  at: Date | null;
  locale: Locale;
  /** `--demo`: the header says the results come from the demo registry. */
  demo?: boolean;
  /** Names region codes in the explanations (陶营镇 rather than 411381121), when available. */
  regionTable?: RegionTable | null;
  /** `--region`: named in the reasons where a letter does not cover it ("不包括您所在的…卧龙区（411302）"). */
  localRegion?: string | null;
}

/**
 * Every line goes out through escapeUntrusted: file names, the letter's `sub_name` and
 * `jti`, the registry's labels and the reader's messages all end up inside these lines,
 * and none of them may move the cursor, erase a row or start a fake one (issue 9). The
 * project's own sentences hold no control characters, so escaping whole lines changes
 * only what came from outside.
 */
const safeLines = (lines: readonly string[]) => lines.map((line) => `${escapeUntrusted(line)}\n`).join('');

/**
 * The lines before the first document: which registry the verdicts rest on, and the `--at` moment.
 *
 * @example io.stdout(tableHeader({ registry, currentDate, at: null, locale: 'zh-CN' }))
 */
export function tableHeader(context: TableContext): string {
  const { registry, locale } = context;
  const lines: string[] = [];
  if (context.demo) lines.push(t(locale, 'cli.table.demo'));
  if (registry === null) lines.push(t(locale, 'cli.table.noRegistry'));
  else {
    const key = isRegistryStale(registry, context.currentDate) ? 'cli.table.registryStale' : 'cli.table.registry';
    lines.push(t(locale, key, { iss: registry.iss, version: registry.version }));
  }
  if (context.at) lines.push(t(locale, 'cli.table.checkedAt', { time: formatDateTime(locale, context.at.getTime()) }));
  lines.push('');
  return safeLines(lines);
}

/**
 * The rows of one document, written as soon as it is judged: the verdict word and the file,
 * then a row per code in the card's order: the number to call, what the letter does NOT
 * authorize, then every reason as a plain sentence.
 *
 * @example io.stdout(tableRows({ file: 'a.pdf', check, unit: 'page' }, context))
 */
export function tableRows(document: TableDocument, context: TableContext): string {
  const { locale } = context;
  const column = wordColumn(locale);
  const indent = ' '.repeat(column + 1);
  const { file, check, unit } = document;
  const lines = [`${padEnd(word(check.verdict, locale), column)} ${file}`];
  if (check.error) lines.push(`${indent}· ${t(locale, check.error.key, check.error.params)}`);
  else if (check.codes.length === 0) lines.push(`${indent}· ${t(locale, 'core.noCodeAdvice')}`);
  for (const { page, verdict } of check.codes) {
    lines.push(`${indent}${codeRow(page, unit, verdict, locale)}`);
    // A name that only looks like the organization's is read with the row it is on.
    if (verdict.letter && lookalikeHint(verdict.letter.sub_name))
      lines.push(`${indent}  · ${t(locale, 'cli.table.lookalike')}`);
    // What to do now comes before the details (issue 11): the number to call, taken from the
    // signed registry, never from the letter (a forged letter prints its own "hotline").
    const phone = verdict.facts.issuerContact?.phone;
    const issuer = verdict.facts.issuerName?.[locale];
    if (verdict.verdict !== 'valid' && phone && issuer)
      lines.push(`${indent}  · ${t(locale, 'cli.table.callIssuer', { issuer, phone })}`);
    // Then what the letter does NOT authorize, as the card has it next (the registry's
    // exclusions for its scopes, or the default line): the scams bind bank cards "on authority".
    if (verdict.letter) {
      const items = notAuthorizedLines(verdict.facts, locale).join(locale === 'zh-CN' ? '；' : '; ');
      lines.push(`${indent}  · ${t(locale, 'cli.table.notAuthorized', { items })}`);
    }
    for (const code of verdict.reasons)
      lines.push(
        `${indent}  · ${explainReason(code, verdict, locale, {
          regionTable: context.regionTable ?? null,
          localRegion: context.localRegion ?? null,
        })}`,
      );
  }
  return safeLines(lines);
}

/**
 * The lines after the last document: the clock warning when a verdict suspected the
 * machine's clock. The counts and the follow-up list go to stderr (cli.md).
 *
 * @example io.stdout(tableFooter(batch.summary(0), context)) // '' unless a clock warning is due
 */
export function tableFooter(documents: { clockSuspect: boolean }, context: TableContext): string {
  // With --at in the past the clock check would always fire; the user chose that moment.
  if (!documents.clockSuspect || context.at !== null) return '';
  return safeLines(['', t(context.locale, 'core.clockSuspect')]);
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
    // A phone number inside the organization's name is hidden, as on the card (letter-display.ts):
    // only the registry's number is ever shown, a forger prints an accomplice's. JSON keeps the name exact.
    parts.push(
      t(locale, 'cli.table.letterNumber', { jti: letter.jti }),
      issuer,
      hidePhoneNumbers(letter.sub_name, locale),
    );
    // Small print: which algorithm signed it (SM2 for the national algorithms, section 1.1).
    if (verdict.alg) parts.push(t(locale, 'cli.table.alg', { alg: verdict.alg }));
  }
  return parts.join('  ');
}

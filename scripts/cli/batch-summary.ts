/**
 * What a county officer needs after a batch (cli.md, issue 11): counts per verdict, the
 * files that need follow-up (`invalid`, `warning`, `none`, `error`), and letter numbers
 * (`jti`) seen more than once, since one genuine letter copied onto several applicants'
 * attachments is how a lent or stolen authorization shows up. Kept small while the batch
 * streams: a verdict and a name per follow-up file, places per letter number.
 */
import type { DocumentVerdict, LocalizedMessage } from '../../utils/check/document-check.ts';
import { type Locale, t } from '../../utils/i18n/i18n.ts';
import { isRegistryStale, type VerifiedRegistry } from '../../utils/verify/registry.ts';
import type { TableDocument } from './report-table.ts';
import { displayWidth, VERDICTS, word } from './report-table.ts';

/** One place a letter was seen: the file, and the page (or line) in it. */
export interface Sighting {
  file: string;
  page: number;
  unit: 'line' | 'page';
}

export interface RepeatedLetter {
  jti: string;
  /** The letter's `iss`: the same number from two issuers is two letters. */
  iss: string;
  seen: Sighting[];
}

export interface BatchSummary {
  documents: number;
  counts: Record<DocumentVerdict, number>;
  /** In input order; `error` says why an `error` document could not be read. */
  followUp: { file: string; verdict: Exclude<DocumentVerdict, 'valid'>; error: LocalizedMessage | null }[];
  /** In order of first sighting. */
  repeated: RepeatedLetter[];
  /** Files inside folders that were not images, PDFs or text files. */
  skipped: number;
  /** Some verdict suspected the machine's clock (core.clockSuspect). */
  clockSuspect: boolean;
}

/**
 * Collects the summary one document at a time.
 *
 * @example const batch = batchCollector(); batch.add(doc); renderSummary(batch.summary(0), 'zh-CN')
 */
export function batchCollector() {
  const counts: Record<DocumentVerdict, number> = { valid: 0, warning: 0, invalid: 0, none: 0, error: 0 };
  const followUp: BatchSummary['followUp'] = [];
  const letters = new Map<string, RepeatedLetter>();
  let documents = 0;
  let clockSuspect = false;
  return {
    add({ file, check, unit }: TableDocument): void {
      documents += 1;
      counts[check.verdict] += 1;
      if (check.verdict !== 'valid') followUp.push({ file, verdict: check.verdict, error: check.error });
      for (const { page, verdict } of check.codes) {
        clockSuspect ||= verdict.facts.clockSuspect;
        if (!verdict.letter) continue;
        const { iss, jti } = verdict.letter;
        const key = JSON.stringify([iss, jti]);
        const entry = letters.get(key) ?? { jti, iss, seen: [] };
        entry.seen.push({ file, page, unit });
        letters.set(key, entry);
      }
    },
    summary(skipped: number): BatchSummary {
      const repeated = [...letters.values()].filter((letter) => letter.seen.length > 1);
      return { documents, counts: { ...counts }, followUp: [...followUp], repeated, skipped, clockSuspect };
    },
  };
}

/**
 * The closing summary for stderr, as lines (the caller escapes them: file names and
 * letter numbers come from outside).
 *
 * @example renderSummary(summary, 'zh-CN') // ['共检查 3 个文件：有效 1，…', '需要跟进的文件（2 个）：', …]
 */
export function renderSummary(summary: BatchSummary, locale: Locale): string[] {
  const lines = [t(locale, 'cli.table.summary', { documents: summary.documents, ...summary.counts })];
  if (summary.followUp.length > 0) {
    lines.push(t(locale, 'cli.summary.followUp', { count: summary.followUp.length }));
    const column = Math.max(...VERDICTS.map((v) => displayWidth(word(v, locale)))) + 2;
    for (const { file, verdict, error } of summary.followUp) {
      const label = word(verdict, locale);
      // An unreadable file says why right there: empty, damaged, too large (issue 11).
      const why = error ? `${t(locale, 'cli.summary.because')}${t(locale, error.key, error.params)}` : '';
      lines.push(`  ${label}${' '.repeat(Math.max(1, column - displayWidth(label)))}${file}${why}`);
    }
  }
  if (summary.repeated.length > 0) {
    lines.push(t(locale, 'cli.summary.repeated', { count: summary.repeated.length }));
    for (const { jti, iss, seen } of summary.repeated) {
      const places = seen
        .map(
          ({ file, page, unit }) =>
            `${file} ${t(locale, unit === 'line' ? 'cli.table.line' : 'cli.table.page', { page })}`,
        )
        .join(t(locale, 'cli.summary.placeSeparator'));
      lines.push(`  ${t(locale, 'cli.summary.repeatedLetter', { jti, iss, count: seen.length, places })}`);
    }
  }
  if (summary.skipped > 0) lines.push(t(locale, 'cli.table.skipped', { count: summary.skipped }));
  return lines;
}

export interface JsonSummary {
  registry: { iss: string; version: number; stale: boolean } | null;
  documents: number;
  verdicts: Record<DocumentVerdict, number>;
  follow_up: { file: string; verdict: string; error: string | null }[];
  repeated_jti: { jti: string; iss: string; seen: { file: string; page: number }[] }[];
  skipped: number;
}

/**
 * The last `--jsonl` line's content: `{"summary": …}`, with the same facts as the stderr summary.
 *
 * @example io.stdout(`${jsonText({ summary: jsonSummary(summary, registry, now, 'zh-CN') })}\n`)
 */
export function jsonSummary(
  summary: BatchSummary,
  registry: VerifiedRegistry | null,
  currentDate: Date,
  locale: Locale,
): JsonSummary {
  return {
    registry: registry && {
      iss: registry.iss,
      version: registry.version,
      stale: isRegistryStale(registry, currentDate),
    },
    documents: summary.documents,
    verdicts: summary.counts,
    follow_up: summary.followUp.map(({ file, verdict, error }) => ({
      file,
      verdict,
      error: error && t(locale, error.key, error.params),
    })),
    repeated_jti: summary.repeated.map(({ jti, iss, seen }) => ({
      jti,
      iss,
      seen: seen.map(({ file, page }) => ({ file, page })),
    })),
    skipped: summary.skipped,
  };
}

/**
 * The `--json` report, exactly in the shape of cli.md ("JSON report"), so scripts can
 * rely on every field being there: `letter` and `error` are null rather than absent.
 */
import type { DocumentCheck, DocumentVerdict } from '../../utils/check/document-check.ts';
import { type Locale, t } from '../../utils/i18n/i18n.ts';
import type { ReasonCode } from '../../utils/verify/reason-codes.ts';
import { isRegistryStale, type VerifiedRegistry } from '../../utils/verify/registry.ts';
import type { Verdict } from '../../utils/verify/verdict.ts';

export interface JsonLetter {
  iss: string;
  /** The issuer's zh-CN name from the signed registry (never from the letter); null when not listed. */
  issuer_name: string | null;
  sub: string;
  sub_name: string;
  scope: string[];
  region: string[];
  nbf: number;
  exp: number;
  jti: string;
}

export interface JsonCode {
  page: number;
  verdict: Verdict['verdict'];
  reasons: ReasonCode[];
  letter: JsonLetter | null;
}

export interface JsonDocument {
  file: string;
  verdict: DocumentVerdict;
  /** Why the document could not be read, in one sentence of the user's language; null otherwise. */
  error: string | null;
  codes: JsonCode[];
}

export interface JsonReport {
  registry: { iss: string; version: number; stale: boolean } | null;
  documents: JsonDocument[];
}

/**
 * Builds the report. `registry` is the one the run used (null when none was available).
 *
 * @example JSON.stringify(buildJsonReport({ registry, currentDate, locale: 'zh-CN', documents }), null, 2)
 */
export function buildJsonReport(input: {
  registry: VerifiedRegistry | null;
  currentDate: Date;
  locale: Locale;
  documents: readonly { file: string; check: DocumentCheck }[];
}): JsonReport {
  const { registry, currentDate, locale } = input;
  return {
    registry: registry && {
      iss: registry.iss,
      version: registry.version,
      stale: isRegistryStale(registry, currentDate),
    },
    documents: input.documents.map((document) => jsonDocument(document, locale)),
  };
}

/**
 * One document as the report (and each `--jsonl` line) gives it.
 *
 * @example io.stdout(`${jsonText(jsonDocument({ file: 'a.pdf', check }, 'zh-CN'))}\n`)
 */
export function jsonDocument({ file, check }: { file: string; check: DocumentCheck }, locale: Locale): JsonDocument {
  return {
    file,
    verdict: check.verdict,
    error: check.error && t(locale, check.error.key, check.error.params),
    codes: check.codes.map(({ page, verdict }) => ({
      page,
      verdict: verdict.verdict,
      reasons: [...verdict.reasons],
      letter: jsonLetter(verdict),
    })),
  };
}

/**
 * Characters JSON.stringify leaves as they are but a terminal or a viewer may act on: DEL
 * and C1 controls (U+009B is CSI), format characters (bidi overrides, zero-width ones),
 * line and paragraph separators, unassigned code points. JSON.stringify already escapes
 * C0 controls and lone surrogates.
 */
const RAW_IN_JSON = /[\u007F-\u009F\p{Cf}\p{Zl}\p{Zp}\p{Cn}]/gu;

/**
 * JSON text that is safe to print to a terminal and still exact: the characters above are
 * written as `\uXXXX` escapes, which every JSON parser reads back as the same string, so a
 * script comparing a letter's `sub_name` sees exactly what was signed.
 *
 * @example jsonText({ sub_name: 'a\u202Eb' }) // '{"sub_name":"a\\u202eb"}'
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(RAW_IN_JSON, (char) => {
    let out = '';
    for (let i = 0; i < char.length; i += 1) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

function jsonLetter(verdict: Verdict): JsonLetter | null {
  const letter = verdict.letter;
  if (!letter) return null;
  return {
    iss: letter.iss,
    issuer_name: verdict.facts.issuerName?.['zh-CN'] ?? null,
    sub: letter.sub,
    sub_name: letter.sub_name,
    scope: [...letter.scope],
    region: [...letter.region],
    nbf: letter.nbf,
    exp: letter.exp,
    jti: letter.jti,
  };
}

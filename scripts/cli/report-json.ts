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
    documents: input.documents.map(({ file, check }) => ({
      file,
      verdict: check.verdict,
      error: check.error && t(locale, check.error.key, check.error.params),
      codes: check.codes.map(({ page, verdict }) => ({
        page,
        verdict: verdict.verdict,
        reasons: [...verdict.reasons],
        letter: jsonLetter(verdict),
      })),
    })),
  };
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

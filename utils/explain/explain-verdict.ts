/**
 * Plain explanations of a verdict for clinic staff, in zh-CN or en, with the letter's
 * dates, the issuer's registry name and the regions filled in. Names come from the signed
 * registry, never from the letter (a letter can call itself anything).
 */
import { formatDate, type Locale, type MessageKey, type MessageParams, t } from '../i18n/i18n.ts';
import { REASON_SEVERITY, type ReasonCode } from '../verify/reason-codes.ts';
import { regionContains } from '../verify/region.ts';
import type { RegistryProblem } from '../verify/registry.ts';
import { isValidUscc } from '../verify/uscc.ts';
import type { Verdict } from '../verify/verdict.ts';
import { lookupRegion, type RegionTable } from './region-names.ts';
import { escapeUntrusted } from './untrusted-text.ts';

/**
 * The issuer as people read it: its registry name; an issuer the registry does not know
 * is "未登记的机关（代码 …）", so a made-up id never reads like an office's name.
 */
function issuerLabel(verdict: Verdict, locale: Locale): string {
  const name = verdict.facts.issuerName?.[locale] ?? verdict.facts.issuerName?.['zh-CN'];
  if (name) return name;
  const iss = verdict.letter?.iss;
  return iss ? t(locale, 'core.unregisteredIssuer', { code: escapeUntrusted(iss) }) : t(locale, 'core.unknownIssuer');
}

function listSeparator(locale: Locale): string {
  return locale === 'zh-CN' ? '、' : ', ';
}

/** Options for explanations; all optional, so callers without a region table still get codes. */
export interface ExplainOptions {
  /** When given, region codes are shown with their names ("河南省南阳市邓州市陶营镇（411381121）"). */
  regionTable?: RegionTable | null;
  /** The local region from settings, named where a letter does not cover it. */
  localRegion?: string | null;
}

function regionLabel(code: string, locale: Locale, options: ExplainOptions): string {
  const name = options.regionTable ? lookupRegion(options.regionTable, code) : null;
  if (!name) return escapeUntrusted(code);
  return locale === 'zh-CN' ? `${name.label}（${code}）` : `${name.label} (${code})`;
}

function paramsFor(code: ReasonCode, verdict: Verdict, locale: Locale, options: ExplainOptions): MessageParams {
  const letter = verdict.letter;
  const sep = listSeparator(locale);
  const regions = (codes: readonly string[]) => codes.map((c) => regionLabel(c, locale, options)).join(sep) || '—';
  switch (code) {
    case 'REGISTRY_STALE': {
      const exp = verdict.facts.registry?.exp;
      return { date: exp === undefined ? '—' : formatDate(locale, exp) };
    }
    case 'ISSUER_UNKNOWN':
      return { issuer: issuerLabel(verdict, locale) };
    case 'SCOPE_NOT_PERMITTED': {
      // Scope ids appear only beside a label; one the registry lacks is called unregistered.
      const labels = (letter?.scope ?? verdict.facts.scopes.map((s) => s.id)).map((id) => {
        const label = verdict.facts.scopes.find((s) => s.id === id)?.label;
        return label
          ? (label[locale] ?? label['zh-CN'])
          : t(locale, 'core.unregisteredScope', { code: escapeUntrusted(id) });
      });
      return { issuer: issuerLabel(verdict, locale), scopes: labels.join(sep) || '—' };
    }
    case 'REGION_NOT_PERMITTED': {
      const outside = (letter?.region ?? []).filter(
        (code) => !verdict.facts.issuerJurisdiction.some((outer) => regionContains(outer, code)),
      );
      return { issuer: issuerLabel(verdict, locale), regions: regions(outside) };
    }
    case 'MALFORMED':
      return {
        sub: escapeUntrusted(letter?.sub ?? ''),
        nbf: letter ? formatDate(locale, letter.nbf) : '—',
        exp: letter ? formatDate(locale, letter.exp) : '—',
      };
    case 'REGION_MISMATCH':
      return {
        regions: regions(letter?.region ?? []),
        local: options.localRegion ? regionLabel(options.localRegion, locale, options) : t(locale, 'core.localRegion'),
      };
    case 'VALIDITY_TOO_LONG':
      return { days: letter ? Math.ceil((letter.exp - letter.nbf) / 86_400) : '—' };
    case 'NOT_YET_VALID':
      return { date: letter ? formatDate(locale, letter.nbf) : '—' };
    case 'EXPIRED':
      return { date: letter ? formatDate(locale, letter.exp) : '—' };
    case 'KEYS_UNAVAILABLE':
      return { issuer: issuerLabel(verdict, locale), alg: verdict.facts.signatureUnavailable?.alg ?? '' };
    default:
      return { issuer: issuerLabel(verdict, locale) };
  }
}

function reasonKey(prefix: 'reason' | 'reasonShort', code: ReasonCode, verdict: Verdict): MessageKey {
  if (code === 'REVOKED' && verdict.facts.status.state === 'suspended') return `core.${prefix}.REVOKED.suspended`;
  // No implementation of the algorithm here (a browser without it, and no library): say so, so
  // a genuine letter is never taken for forged, nor the network blamed.
  if (code === 'KEYS_UNAVAILABLE' && verdict.facts.signatureUnavailable)
    return `core.${prefix}.KEYS_UNAVAILABLE.noAlgorithm`;
  // The one malformation people can check on the paper themselves: name it.
  if (prefix === 'reason' && code === 'MALFORMED' && verdict.letter && !isValidUscc(verdict.letter.sub)) {
    return 'core.reason.MALFORMED.uscc';
  }
  // The other one: dates printed on the paper too, the end before the start.
  if (prefix === 'reason' && code === 'MALFORMED' && verdict.letter && verdict.letter.exp < verdict.letter.nbf) {
    return 'core.reason.MALFORMED.window';
  }
  return `core.${prefix}.${code}`;
}

/**
 * One plain sentence explaining a reason code, with dates and names filled in.
 *
 * @example explainReason('EXPIRED', verdict, 'zh-CN') // '此授权书已过期（有效期至 2026年3月1日）。'
 * @example explainReason('REGION_MISMATCH', verdict, 'zh-CN', { regionTable }) // '此授权书只适用于 河南省南阳市邓州市陶营镇（411381121），不包括本地。'
 */
export function explainReason(
  code: ReasonCode,
  verdict: Verdict,
  locale: Locale,
  options: ExplainOptions = {},
): string {
  return t(locale, reasonKey('reason', code, verdict), paramsFor(code, verdict, locale, options));
}

/**
 * The one-line summary shown above the details, naming the first (most basic) problem.
 *
 * @example verdictHeadline(verdict, 'zh-CN') // '此授权书无效：已过期'
 */
export function verdictHeadline(verdict: Verdict, locale: Locale): string {
  if (verdict.verdict === 'valid') return t(locale, 'core.headline.valid');
  // The first reason of the verdict's own severity: an invalid letter is headed by why it is invalid.
  const first =
    verdict.reasons.find((code) => verdict.verdict === 'warning' || REASON_SEVERITY[code] === 'invalid') ??
    verdict.reasons[0];
  const reason = first ? t(locale, reasonKey('reasonShort', first, verdict)) : '—';
  return t(locale, verdict.verdict === 'invalid' ? 'core.headline.invalid' : 'core.headline.warning', { reason });
}

/**
 * A plain sentence for a registry problem (from `loadRegistry` or `obtainRegistry`).
 *
 * @example explainRegistryProblem('REGISTRY_ROLLBACK', 'zh-CN')
 */
export function explainRegistryProblem(problem: RegistryProblem | 'REGISTRY_UNREACHABLE', locale: Locale): string {
  return t(locale, `core.registryProblem.${problem}`);
}

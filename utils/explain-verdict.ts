/**
 * Plain explanations of a verdict for clinic staff, in zh-CN or en, with the letter's
 * dates, the issuer's registry name and the regions filled in. Names come from the signed
 * registry, never from the letter (a letter can call itself anything).
 */
import { formatDate, type Locale, type MessageKey, type MessageParams, t } from './i18n.ts';
import { REASON_SEVERITY, type ReasonCode } from './reason-codes.ts';
import { regionContains } from './region.ts';
import type { RegistryProblem } from './registry.ts';
import { isValidUscc } from './uscc.ts';
import type { Verdict } from './verdict.ts';

function issuerLabel(verdict: Verdict, locale: Locale): string {
  return verdict.facts.issuerName?.[locale] ?? verdict.letter?.iss ?? t(locale, 'core.unknownIssuer');
}

function listSeparator(locale: Locale): string {
  return locale === 'zh-CN' ? '、' : ', ';
}

function paramsFor(code: ReasonCode, verdict: Verdict, locale: Locale): MessageParams {
  const letter = verdict.letter;
  const sep = listSeparator(locale);
  switch (code) {
    case 'REGISTRY_STALE': {
      const exp = verdict.facts.registry?.exp;
      return { date: exp === undefined ? '—' : formatDate(locale, exp) };
    }
    case 'ISSUER_UNKNOWN':
      return { issuer: letter?.iss ?? t(locale, 'core.unknownIssuer') };
    case 'SCOPE_NOT_PERMITTED': {
      const labels = verdict.facts.scopes.map((s) => s.label?.[locale] ?? s.id);
      return { issuer: issuerLabel(verdict, locale), scopes: labels.join(sep) || '—' };
    }
    case 'REGION_NOT_PERMITTED': {
      const outside = (letter?.region ?? []).filter(
        (code) => !verdict.facts.issuerJurisdiction.some((outer) => regionContains(outer, code)),
      );
      return { issuer: issuerLabel(verdict, locale), regions: outside.join(sep) || '—' };
    }
    case 'MALFORMED':
      return { sub: letter?.sub ?? '' };
    case 'REGION_MISMATCH':
      return { regions: (letter?.region ?? []).join(sep) || '—' };
    case 'VALIDITY_TOO_LONG':
      return { days: letter ? Math.ceil((letter.exp - letter.nbf) / 86_400) : '—' };
    case 'NOT_YET_VALID':
      return { date: letter ? formatDate(locale, letter.nbf) : '—' };
    case 'EXPIRED':
      return { date: letter ? formatDate(locale, letter.exp) : '—' };
    default:
      return { issuer: issuerLabel(verdict, locale) };
  }
}

function reasonKey(prefix: 'reason' | 'reasonShort', code: ReasonCode, verdict: Verdict): MessageKey {
  if (code === 'REVOKED' && verdict.facts.status.state === 'suspended') return `core.${prefix}.REVOKED.suspended`;
  // The one malformation people can check on the paper themselves: name it.
  if (prefix === 'reason' && code === 'MALFORMED' && verdict.letter && !isValidUscc(verdict.letter.sub)) {
    return 'core.reason.MALFORMED.uscc';
  }
  return `core.${prefix}.${code}`;
}

/**
 * One plain sentence explaining a reason code, with dates and names filled in.
 *
 * @example explainReason('EXPIRED', verdict, 'zh-CN') // '此授权书已过期（有效期至 2026年3月1日）。'
 */
export function explainReason(code: ReasonCode, verdict: Verdict, locale: Locale): string {
  return t(locale, reasonKey('reason', code, verdict), paramsFor(code, verdict, locale));
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

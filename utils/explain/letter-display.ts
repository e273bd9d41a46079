/**
 * What the side panel card and the report text say about a letter, as plain lists of
 * words: pure, so the card's wording and the copied report agree and both are tested
 * without a DOM.
 */
import type { DocumentVerdict } from '../check/document-check.ts';
import type { DocumentRecord } from '../check/document-record.ts';
import { type Locale, t } from '../i18n/i18n.ts';
import type { LetterClaims, LocalizedText, Verdict, VerdictFacts } from '../verify/verdict.ts';
import { lookupRegion, type RegionTable } from './region-names.ts';
import { escapeUntrusted } from './untrusted-text.ts';

/**
 * A registry text in the user's language, falling back to Chinese (the registry's first
 * language), shown as untrusted text like the letter's own (untrusted-text.ts): the registry
 * is signed, but what its labels hold was typed by people, and a bidi override or a line
 * break in an issuer's name would reorder or split the card, the history and the CSV as
 * much as one in a letter.
 *
 * @example localized({ 'zh-CN': '邓州市\u202E医保局' }, 'en') // '邓州市⟨U+202E⟩医保局'
 */
export function localized(text: LocalizedText, locale: Locale): string {
  return escapeUntrusted(text[locale] || text['zh-CN']);
}

/**
 * The scope labels of a letter (for plain text such as the report): the registry's label,
 * or "签发机关名单中没有的事项（代码 …）" (a scope the registry does not list is never given
 * a friendly name, and its id is shown only as a code).
 *
 * @example scopeLabels(letter, facts, 'zh-CN') // ['指导群众激活医保电子凭证']
 */
export function scopeLabels(letter: LetterClaims, facts: VerdictFacts, locale: Locale): string[] {
  return letter.scope.map((id) => {
    const label = facts.scopes.find((s) => s.id === id)?.label;
    return label ? localized(label, locale) : t(locale, 'core.unregisteredScope', { code: escapeUntrusted(id) });
  });
}

/**
 * Topics of the default "does not authorize" line. It is added unless the registry's own
 * exclusions already name all of them: the Dengzhou scam opened payment accounts, took
 * face scans and collected ID and bank cards under a letter for e-voucher activation.
 */
const DEFAULT_EXCLUDED_TOPICS = ['支付', '人脸', '身份证', '银行卡'] as const;

/**
 * What the letter does NOT authorize: the registry's `excludes` for its scopes, without
 * repeats, then the default line when those do not already cover it.
 *
 * @example notAuthorizedLines({ ...facts, scopes: [] }, 'zh-CN') // ['本授权不包括开通支付账户、采集人脸信息、收取身份证或银行卡']
 */
export function notAuthorizedLines(facts: VerdictFacts, locale: Locale): string[] {
  const lines: string[] = [];
  const chinese: string[] = [];
  for (const scope of facts.scopes) {
    for (const exclude of scope.excludes) {
      const line = localized(exclude, locale);
      if (lines.includes(line)) continue;
      lines.push(line);
      chinese.push(exclude['zh-CN']);
    }
  }
  const all = chinese.join(' ');
  if (!DEFAULT_EXCLUDED_TOPICS.every((topic) => all.includes(topic))) {
    lines.push(t(locale, 'ui.card.notAuthorized.default'));
  }
  return lines;
}

/** A region as people read it: its name (null while the table loads or when unknown), and its code for small print. */
export interface RegionPart {
  code: string;
  name: string | null;
  /** True when the table is loaded and does not have the code. */
  unknown: boolean;
}

/**
 * Region codes as name and code, so the card can print the name and the code small.
 *
 * @example regionParts(['411381121'], regions) // [{ code: '411381121', name: '河南省南阳市邓州市陶营镇', unknown: false }]
 */
export function regionParts(codes: readonly string[], regions: RegionTable | null): RegionPart[] {
  return codes.map((code) => {
    const name = regions ? (lookupRegion(regions, code)?.label ?? null) : null;
    return { code, name, unknown: regions !== null && name === null };
  });
}

/** A scope as people read it: the registry's label, or null when the registry does not list it. */
export interface ScopePart {
  id: string;
  label: string | null;
}

/** The letter's scopes with their registry labels; ids go only in small print beside them. */
export function scopeParts(letter: LetterClaims, facts: VerdictFacts, locale: Locale): ScopePart[] {
  return letter.scope.map((id) => {
    const label = facts.scopes.find((s) => s.id === id)?.label;
    return { id, label: label ? localized(label, locale) : null };
  });
}

/**
 * The one sentence of what to do now, first on the card after the verdict: the clinic
 * worker decides from this line and the phone below it, before any detail.
 *
 * @example nextStep(validVerdict, 'zh-CN') // '可以办理。请先核对来人的身份证：张三，身份证号后四位 1234。'
 */
export function nextStep(verdict: Verdict, locale: Locale): string {
  if (verdict.verdict === 'invalid') return t(locale, 'ui.card.next.invalid');
  if (verdict.verdict === 'warning') {
    return t(locale, verdict.facts.issuerContact?.phone ? 'ui.card.next.warning' : 'ui.card.next.warningNoPhone');
  }
  const agents = verdict.letter?.agents ?? [];
  if (agents.length === 0) return t(locale, 'ui.card.next.validNoAgents');
  const list = agents
    .map((agent) =>
      t(locale, 'ui.card.agent', {
        name: escapeUntrusted(hidePhoneNumbers(agent.name, locale)),
        last4: escapeUntrusted(agent.id_last4),
      }),
    )
    .join(t(locale, 'ui.list.separator'));
  return t(locale, 'ui.card.next.valid', { agents: list });
}

/**
 * Region codes by name ("河南省南阳市邓州市陶营镇（411381121）"); a code not in the table is
 * said to be unknown; without a table (still loading) the bare code is shown.
 */
export function regionLines(codes: readonly string[], regions: RegionTable | null, locale: Locale): string[] {
  return codes.map((raw) => {
    const code = escapeUntrusted(raw);
    if (!regions) return t(locale, 'ui.card.region.loading', { code });
    const name = lookupRegion(regions, code);
    return name
      ? t(locale, 'ui.card.region.named', { name: name.label, code })
      : t(locale, 'ui.card.region.unknown', { code });
  });
}

/** The issuer's registry name, or the id the letter claims, marked as not in the registry. */
export function issuerLine(verdict: Verdict, locale: Locale): string {
  const name = verdict.facts.issuerName;
  if (name) return localized(name, locale);
  return t(locale, 'ui.card.issuer.unknown', { iss: escapeUntrusted(verdict.letter?.iss ?? '?') });
}

/**
 * Whether the registry lets this office grant what the letter says, in words; null when
 * the registry does not know the issuer (then the issuer line already says so).
 */
export function issuerAuthorityLine(verdict: Verdict, locale: Locale): string | null {
  if (!verdict.facts.issuerName) return null;
  const { reasons } = verdict;
  if (reasons.includes('ISSUER_SUSPENDED')) return t(locale, 'ui.card.issuer.suspended');
  if (reasons.includes('SCOPE_NOT_PERMITTED')) return t(locale, 'ui.card.issuer.scopeNotPermitted');
  if (reasons.includes('REGION_NOT_PERMITTED')) return t(locale, 'ui.card.issuer.regionNotPermitted');
  return t(locale, 'ui.card.issuer.mayGrant');
}

/** The state a card shows: a document's verdict, or `checking` while it is being read. */
export type CardState = DocumentVerdict | 'checking';

export function cardState(record: DocumentRecord): CardState {
  return record.state === 'checking' ? 'checking' : record.verdict;
}

/** Problems first: the order cards are listed in (then newest first). */
const CARD_ORDER: Record<CardState, number> = { invalid: 0, warning: 1, none: 2, error: 3, checking: 4, valid: 5 };

/**
 * Cards in the order the side panel lists them: invalid, warning, no code, unreadable,
 * still checking, valid; newest first within each. "Newest" is the order the documents
 * were found in (the tab keeps them in that order), not when their checks finished: two
 * checks run at once and finish in either order, and cards must not swap between runs.
 */
export function sortDocuments(documents: readonly DocumentRecord[]): DocumentRecord[] {
  return documents
    .map((record, found) => ({ record, found }))
    .sort((a, b) => CARD_ORDER[cardState(a.record)] - CARD_ORDER[cardState(b.record)] || b.found - a.found)
    .map(({ record }) => record);
}

/** How many documents are in each state (for the summary line and the popup). */
export function countStates(documents: readonly DocumentRecord[]): Record<CardState, number> {
  const counts: Record<CardState, number> = { valid: 0, warning: 0, invalid: 0, none: 0, error: 0, checking: 0 };
  for (const doc of documents) counts[cardState(doc)]++;
  return counts;
}

/** Seven or more digits, with optional spaces, dashes or a +86 prefix: a phone number. */
const PHONE_LIKE = /(?:\+?86[\s-]?)?(?:\d[\s-]?){6,}\d/g;

/**
 * Hides phone numbers in free text taken from a letter (its `purpose`, the organization's
 * name). Only the registry's phone is ever shown: a forger prints their own accomplice's
 * number, and people call whatever number they are shown (letter-format.md section 2).
 *
 * @example hidePhoneNumbers('联系电话 13800000000', 'zh-CN') // '联系电话 （号码已隐去）'
 */
export function hidePhoneNumbers(text: string, locale: Locale): string {
  return text.replace(PHONE_LIKE, t(locale, 'ui.card.phoneHidden'));
}

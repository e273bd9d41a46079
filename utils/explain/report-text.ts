/**
 * The text behind "复制举报信息" (copy report details) on an invalid letter's card: what
 * the letter claimed, why it failed, where and when it was seen, and whom to call. Clinic
 * staff paste it into a message to the county office, so it is plain text, one fact a line.
 *
 * The contact comes only from the signed registry (letter-format.md section 2: phone
 * numbers printed on a letter are never shown as the issuer's). No document bytes and no
 * ID digits beyond the last four the letter already prints.
 */

import type { DocumentRecord } from '../check/document-record.ts';
import { formatDate, formatDateTime, type Locale, t } from '../i18n/i18n.ts';
import type { Verdict } from '../verify/verdict.ts';
import { explainReason } from './explain-verdict.ts';
import { hidePhoneNumbers, issuerLine, regionLines, scopeLabels } from './letter-display.ts';
import type { RegionTable } from './region-names.ts';
import { escapeUntrusted } from './untrusted-text.ts';

/** Where and when the letter was seen. */
export type ReportSighting = Pick<DocumentRecord, 'name' | 'url' | 'pageUrl' | 'checkedAt'>;

/**
 * Builds the report for one checked letter.
 *
 * @example buildReportText(verdict, record, 'zh-CN', regions).split('\n')[0] // '可疑授权书举报信息'
 */
export function buildReportText(
  verdict: Verdict,
  seen: ReportSighting,
  locale: Locale,
  regions: RegionTable | null,
  localRegion: string | null = null,
): string {
  const lines: string[] = [t(locale, 'ui.report.title')];
  lines.push(t(locale, 'ui.report.verdict', { verdict: t(locale, `ui.state.${verdict.verdict}`) }));
  for (const code of verdict.reasons) {
    lines.push(
      t(locale, 'ui.report.reason', {
        text: explainReason(code, verdict, locale, { regionTable: regions, localRegion }),
      }),
    );
  }
  const letter = verdict.letter;
  if (letter) {
    lines.push(t(locale, 'ui.report.number', { value: escapeUntrusted(letter.jti) }));
    lines.push(t(locale, 'ui.report.issuer', { value: issuerLine(verdict, locale) }));
    lines.push(
      t(locale, 'ui.report.organization', {
        name: escapeUntrusted(hidePhoneNumbers(letter.sub_name, locale)),
        code: escapeUntrusted(letter.sub),
      }),
    );
    for (const agent of letter.agents ?? []) {
      lines.push(
        t(locale, 'ui.report.agent', {
          name: escapeUntrusted(hidePhoneNumbers(agent.name, locale)),
          last4: escapeUntrusted(agent.id_last4),
        }),
      );
    }
    lines.push(t(locale, 'ui.report.scopes', { value: scopeLabels(letter, verdict.facts, locale).join('、') }));
    lines.push(t(locale, 'ui.report.regions', { value: regionLines(letter.region, regions, locale).join('、') }));
    lines.push(
      t(locale, 'ui.report.validity', { from: formatDate(locale, letter.nbf), until: formatDate(locale, letter.exp) }),
    );
  }
  lines.push(t(locale, 'ui.report.seenAt', { time: formatDateTime(locale, seen.checkedAt) }));
  const where = seen.pageUrl || seen.url;
  if (where) lines.push(t(locale, 'ui.report.seenOn', { where: escapeUntrusted(where) }));
  lines.push(t(locale, 'ui.report.file', { name: escapeUntrusted(seen.name) }));
  const contact = verdict.facts.issuerContact;
  if (contact?.phone) lines.push(t(locale, 'ui.report.contact', { phone: contact.phone }));
  if (contact?.url) lines.push(t(locale, 'ui.report.contactUrl', { url: contact.url }));
  if (!contact?.phone && !contact?.url) lines.push(t(locale, 'ui.report.noContact'));
  lines.push(t(locale, 'ui.report.footer'));
  return lines.join('\n');
}

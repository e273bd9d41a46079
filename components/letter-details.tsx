import { explainReason, verdictHeadline } from '../utils/explain/explain-verdict.ts';
import {
  hidePhoneNumbers,
  issuerAuthorityLine,
  issuerLine,
  notAuthorizedLines,
  regionLines,
  scopeLabels,
} from '../utils/explain/letter-display.ts';
import type { RegionTable } from '../utils/explain/region-names.ts';
import { formatDate, formatDateTime, type Locale, t } from '../utils/i18n/i18n.ts';
import type { Verdict } from '../utils/verify/verdict.ts';

export interface LetterDetailsProps {
  verdict: Verdict;
  locale: Locale;
  regions: RegionTable | null;
}

function Row({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="yz-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The registry's phone, never broken across lines at its dash. */
function PhoneLine({ locale, phone }: { locale: Locale; phone: string }) {
  const [before = '', after = ''] = t(locale, 'ui.card.contact.phone', { phone: '\u0000' }).split('\u0000');
  return (
    <p class="yz-phone">
      {before}
      <span class="yz-nowrap">{phone}</span>
      {after}
    </p>
  );
}

/**
 * Everything a card says about one letter. What the letter claims comes from the letter
 * (and is marked untrusted unless the verdict is valid or warning); who to call comes only
 * from the signed registry, never from the letter (letter-format.md section 2).
 */
export function LetterDetails({ verdict, locale, regions }: LetterDetailsProps) {
  const { letter, facts } = verdict;
  const authority = issuerAuthorityLine(verdict, locale);
  return (
    <div class="yz-letter">
      <p class="yz-letter__headline">{verdictHeadline(verdict, locale)}</p>
      {verdict.reasons.length > 0 && (
        <section class="yz-reasons" aria-label={t(locale, 'ui.card.reasons')}>
          <h4>{t(locale, 'ui.card.reasons')}</h4>
          <ul>
            {verdict.reasons.map((code) => (
              <li key={code} data-reason={code}>
                {explainReason(code, verdict, locale)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {facts.clockSuspect && <p class="yz-note yz-note--warning">{t(locale, 'ui.card.clockSuspect')}</p>}
      {letter && (
        <>
          {verdict.verdict === 'invalid' && <p class="yz-note yz-note--invalid">{t(locale, 'ui.card.unverified')}</p>}
          {verdict.verdict === 'warning' && <p class="yz-note yz-note--warning">{t(locale, 'ui.card.toVerify')}</p>}
          <section class="yz-not-authorized" aria-labelledby={`na-${letter.jti}`}>
            <h4 id={`na-${letter.jti}`}>
              <span class="yz-stop" aria-hidden="true">
                ⊘
              </span>
              {t(locale, 'ui.card.notAuthorized')}
            </h4>
            <ul>
              {notAuthorizedLines(facts, locale).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <p>{t(locale, 'ui.card.notAuthorized.warning')}</p>
          </section>
          <dl class="yz-facts">
            <Row label={t(locale, 'ui.card.issuer')}>
              <span class="yz-issuer">{issuerLine(verdict, locale)}</span>
              {authority && <span class="yz-sub">{authority}</span>}
            </Row>
            <Row label={t(locale, 'ui.card.organization')}>
              <span>{hidePhoneNumbers(letter.sub_name, locale)}</span>
              <span class="yz-sub">{t(locale, 'ui.card.uscc', { code: letter.sub })}</span>
            </Row>
            <Row label={t(locale, 'ui.card.agents')}>
              {letter.agents && letter.agents.length > 0 ? (
                <>
                  <ul class="yz-plain">
                    {letter.agents.map((agent) => (
                      <li key={`${agent.name}-${agent.id_last4}`}>
                        {t(locale, 'ui.card.agent', {
                          name: hidePhoneNumbers(agent.name, locale),
                          last4: agent.id_last4,
                        })}
                      </li>
                    ))}
                  </ul>
                  <span class="yz-sub yz-emph">{t(locale, 'ui.card.agents.compare')}</span>
                </>
              ) : (
                <span>{t(locale, 'ui.card.agents.none')}</span>
              )}
            </Row>
            <Row label={t(locale, 'ui.card.scopes')}>
              <ul class="yz-plain">
                {scopeLabels(letter, facts, locale).map((label) => (
                  <li key={label}>{label}</li>
                ))}
              </ul>
            </Row>
            <Row label={t(locale, 'ui.card.regions')}>
              <ul class="yz-plain">
                {regionLines(letter.region, regions, locale).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </Row>
            <Row label={t(locale, 'ui.card.validity')}>
              {t(locale, 'ui.card.validity.range', {
                from: formatDate(locale, letter.nbf),
                until: formatDate(locale, letter.exp),
              })}
            </Row>
            <Row label={t(locale, 'ui.card.number')}>
              <span class="yz-mono">{letter.jti}</span>
            </Row>
            <Row label={t(locale, 'ui.card.status')}>
              {t(locale, `ui.card.status.${facts.status.state}`)}
              {facts.status.checkedAt !== null && (
                <span class="yz-sub">
                  {t(locale, 'ui.card.status.checkedAt', { time: formatDateTime(locale, facts.status.checkedAt) })}
                </span>
              )}
            </Row>
            {letter.purpose && (
              <Row label={t(locale, 'ui.card.purpose')}>{hidePhoneNumbers(letter.purpose, locale)}</Row>
            )}
          </dl>
        </>
      )}
      <section class="yz-contact">
        <h4>
          <span aria-hidden="true">☎ </span>
          {t(locale, 'ui.card.contact')}
        </h4>
        {facts.issuerContact?.phone || facts.issuerContact?.url ? (
          <>
            {facts.issuerContact.phone && <PhoneLine locale={locale} phone={facts.issuerContact.phone} />}
            {facts.issuerContact.url && (
              <p class="yz-sub">{t(locale, 'ui.card.contact.url', { url: facts.issuerContact.url })}</p>
            )}
            <p class="yz-emph">{t(locale, 'ui.card.contact.onlyThis')}</p>
          </>
        ) : (
          <p class="yz-emph">{t(locale, 'ui.card.contact.none')}</p>
        )}
      </section>
    </div>
  );
}

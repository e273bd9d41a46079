import { useId } from 'preact/hooks';
import { explainReason, verdictHeadline } from '../utils/explain/explain-verdict.ts';
import {
  hidePhoneNumbers,
  issuerAuthorityLine,
  issuerLine,
  nextStep,
  notAuthorizedLines,
  regionParts,
  scopeParts,
} from '../utils/explain/letter-display.ts';
import type { RegionTable } from '../utils/explain/region-names.ts';
import { escapeUntrusted } from '../utils/explain/untrusted-text.ts';
import { formatDate, formatDateTime, type Locale, t } from '../utils/i18n/i18n.ts';
import type { Verdict } from '../utils/verify/verdict.ts';
import { IssuerPhone } from './issuer-phone.tsx';
import { Untrusted } from './untrusted.tsx';

export interface LetterPartProps {
  verdict: Verdict;
  locale: Locale;
  regions: RegionTable | null;
  /** The local region from settings, named in the REGION_MISMATCH explanation. */
  localRegion?: string | null;
}

function Row({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="yz-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A code people do not need to read, kept beside its name for whoever must quote it. */
function SmallCode({ locale, code }: { locale: Locale; code: string }) {
  return <small class="yz-code-small">{t(locale, 'ui.card.codeSmall', { code })}</small>;
}

/**
 * What decides the case, first on the card: the verdict in one line, what to do now, the
 * one number to call (from the signed registry only), and, when the letter was read,
 * what it does NOT authorize. Everything else waits behind "查看详情".
 */
export function LetterDecision({
  verdict,
  locale,
  copyText,
}: Pick<LetterPartProps, 'verdict' | 'locale'> & { copyText: (text: string) => Promise<void> }) {
  return (
    <div class="yz-decision">
      <p class="yz-letter__headline">{verdictHeadline(verdict, locale)}</p>
      <p class="yz-next">{nextStep(verdict, locale)}</p>
      {verdict.facts.clockSuspect && <p class="yz-note yz-note--warning">{t(locale, 'ui.card.clockSuspect')}</p>}
      <IssuerPhone locale={locale} contact={verdict.facts.issuerContact} copyText={copyText} />
      {verdict.letter && <NotAuthorized verdict={verdict} locale={locale} />}
    </div>
  );
}

function NotAuthorized({ verdict, locale }: Pick<LetterPartProps, 'verdict' | 'locale'>) {
  // Not the letter's jti: a forged number with a space ("x DZ-1") made aria-labelledby name
  // two ids, and two letters with one number on a page gave two headings one id.
  const id = useId();
  return (
    <section class="yz-not-authorized" aria-labelledby={id}>
      <h4 id={id}>
        <span class="yz-stop" aria-hidden="true">
          ⊘
        </span>
        {t(locale, 'ui.card.notAuthorized')}
      </h4>
      <ul>
        {notAuthorizedLines(verdict.facts, locale).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p>{t(locale, 'ui.card.notAuthorized.warning')}</p>
    </section>
  );
}

/**
 * Everything else a card says about one letter, folded: why (every reason, in spec
 * order), then what the letter claims. The claims come from the letter and are marked
 * untrusted unless the verdict is valid or warning.
 */
export function LetterDetails({ verdict, locale, regions, localRegion = null }: LetterPartProps) {
  const { letter, facts } = verdict;
  const authority = issuerAuthorityLine(verdict, locale);
  return (
    <div class="yz-letter">
      {verdict.verdict === 'warning' && <p class="yz-note yz-note--warning">{t(locale, 'ui.card.toVerify')}</p>}
      {verdict.reasons.length > 0 && (
        <section class="yz-reasons" aria-label={t(locale, 'ui.card.reasons')}>
          <h4>{t(locale, 'ui.card.reasons')}</h4>
          <ul>
            {verdict.reasons.map((code) => (
              <li key={code} data-reason={code}>
                {explainReason(code, verdict, locale, { regionTable: regions, localRegion })}
              </li>
            ))}
          </ul>
        </section>
      )}
      {letter && (
        <>
          {verdict.verdict === 'invalid' && <p class="yz-note yz-note--invalid">{t(locale, 'ui.card.unverified')}</p>}
          <dl class="yz-facts">
            <Row label={t(locale, 'ui.card.issuer')}>
              <span class="yz-issuer">{issuerLine(verdict, locale)}</span>
              {authority && <span class="yz-sub">{authority}</span>}
            </Row>
            <Row label={t(locale, 'ui.card.organization')}>
              <Untrusted text={hidePhoneNumbers(letter.sub_name, locale)} locale={locale} hint />
              <span class="yz-sub">{t(locale, 'ui.card.uscc', { code: escapeUntrusted(letter.sub) })}</span>
            </Row>
            <Row label={t(locale, 'ui.card.agents')}>
              {letter.agents && letter.agents.length > 0 ? (
                <>
                  <ul class="yz-plain">
                    {letter.agents.map((agent) => (
                      <li key={`${agent.name}-${agent.id_last4}`}>
                        {t(locale, 'ui.card.agent', {
                          name: escapeUntrusted(hidePhoneNumbers(agent.name, locale)),
                          last4: escapeUntrusted(agent.id_last4),
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
                {scopeParts(letter, facts, locale).map((scope) => (
                  <li key={scope.id} data-scope={scope.id}>
                    {scope.label ?? t(locale, 'ui.card.scope.unknown')}{' '}
                    <SmallCode locale={locale} code={escapeUntrusted(scope.id)} />
                  </li>
                ))}
              </ul>
            </Row>
            <Row label={t(locale, 'ui.card.regions')}>
              <ul class="yz-plain">
                {regionParts(letter.region, regions).map((region) => (
                  <li key={region.code} data-region={region.code}>
                    {region.name ??
                      (region.unknown ? t(locale, 'ui.card.region.unknownName') : escapeUntrusted(region.code))}
                    {(region.name || region.unknown) && (
                      <>
                        {' '}
                        <SmallCode locale={locale} code={escapeUntrusted(region.code)} />
                      </>
                    )}
                  </li>
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
              <span class="yz-mono">{escapeUntrusted(letter.jti)}</span>
              {verdict.alg && <span class="yz-sub">{t(locale, 'ui.card.alg', { alg: verdict.alg })}</span>}
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
              <Row label={t(locale, 'ui.card.purpose')}>
                <Untrusted text={hidePhoneNumbers(letter.purpose, locale)} locale={locale} />
              </Row>
            )}
          </dl>
        </>
      )}
      {facts.issuerContact?.url && (
        <p class="yz-sub">{t(locale, 'ui.card.contact.url', { url: facts.issuerContact.url })}</p>
      )}
    </div>
  );
}

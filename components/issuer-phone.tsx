import { useState } from 'preact/hooks';
import { type Locale, t } from '../utils/i18n/i18n.ts';
import type { VerdictFacts } from '../utils/verify/verdict.ts';

export interface IssuerPhoneProps {
  locale: Locale;
  /** From the signed registry only, never from the letter (letter-format.md section 2). */
  contact: VerdictFacts['issuerContact'];
  copyText: (text: string) => Promise<void>;
}

/**
 * `tel:` wants digits and a leading +; registry phones are written for people
 * ("0377-62150000", "0377 6215 0000"), so the link drops everything else.
 *
 * @example telHref('0377-62150000') // 'tel:037762150000'
 */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/(?!^\+)[^\d]/g, '')}`;
}

/**
 * The one number to call: the issuer's official phone from the registry, as a link a
 * softphone or a phone paired with the PC can dial, and a button to copy it. Without a
 * registry phone it says whom to ask instead, and never offers a number from the letter.
 */
export function IssuerPhone({ locale, contact, copyText }: IssuerPhoneProps) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const phone = contact?.phone;
  if (!phone) {
    return (
      <section class="yz-contact" aria-label={t(locale, 'ui.card.contact')}>
        <p class="yz-emph">{t(locale, 'ui.card.contact.none')}</p>
      </section>
    );
  }
  return (
    <section class="yz-contact" aria-label={t(locale, 'ui.card.contact')}>
      <p class="yz-contact__label">
        <span aria-hidden="true">☎ </span>
        {t(locale, 'ui.card.contact.official')}
      </p>
      <div class="yz-contact__line">
        <a class="yz-phone" href={telHref(phone)} aria-label={t(locale, 'ui.card.contact.call', { phone })}>
          <span class="yz-nowrap">{phone}</span>
        </a>
        <button
          type="button"
          class="yz-button yz-button--small"
          onClick={() =>
            copyText(phone).then(
              () => setCopied('copied'),
              () => setCopied('failed'),
            )
          }
        >
          {t(locale, 'ui.card.contact.copy')}
        </button>
      </div>
      <p class="yz-sub" role="status">
        {copied === 'copied' && t(locale, 'ui.card.contact.copied')}
        {copied === 'failed' && t(locale, 'ui.card.contact.copyFailed')}
      </p>
      <p class="yz-emph">{t(locale, 'ui.card.contact.onlyThis')}</p>
    </section>
  );
}

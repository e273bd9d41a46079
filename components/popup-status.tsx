import type { CardState } from '../utils/explain/letter-display.ts';
import { type Locale, t } from '../utils/i18n/i18n.ts';
import { StateBadge } from './state-badge.tsx';

export interface PopupStatusProps {
  locale: Locale;
  counts: Record<CardState, number>;
  /** `null`: this page cannot be enabled (not http/https). */
  site: { origin: string; enabled: boolean } | null;
  onEnable: () => void;
  onScan: () => void;
  onDetails: () => void;
  onSettings: () => void;
  status: string | null;
}

const ORDER: CardState[] = ['invalid', 'warning', 'none', 'error', 'checking', 'valid'];

/** The toolbar popup: this tab's documents by state, and the three things one can do here. */
export function PopupStatus({
  locale,
  counts,
  site,
  onEnable,
  onScan,
  onDetails,
  onSettings,
  status,
}: PopupStatusProps) {
  const total = ORDER.reduce((sum, state) => sum + counts[state], 0);
  return (
    <main class="yz-popup">
      <h1 class="yz-strong">{t(locale, 'ui.popup.title')}</h1>
      {total === 0 ? (
        <p>{t(locale, 'ui.popup.none')}</p>
      ) : (
        <>
          <p class="yz-strong">{t(locale, 'ui.popup.counts', { total })}</p>
          <ul class="yz-counts">
            {ORDER.filter((state) => counts[state] > 0).map((state) => (
              <li key={state} data-state={state}>
                <StateBadge state={state} locale={locale} /> × {counts[state]}
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" class="yz-button yz-button--primary" onClick={onDetails}>
        {t(locale, 'ui.popup.details')}
      </button>
      <button type="button" class="yz-button" onClick={onScan}>
        {t(locale, 'ui.popup.scan')}
      </button>
      {site === null ? (
        <p class="yz-sub">{t(locale, 'ui.popup.enableUnsupported')}</p>
      ) : site.enabled ? (
        <p class="yz-sub">
          <span aria-hidden="true">✓ </span>
          {t(locale, 'ui.popup.enabled')}
          <br />
          <span class="yz-break">{site.origin}</span>
        </p>
      ) : (
        <button type="button" class="yz-button" onClick={onEnable}>
          {t(locale, 'ui.popup.enable')}
        </button>
      )}
      <p role="status" aria-live="polite">
        {status}
      </p>
      <button type="button" class="yz-button" onClick={onSettings}>
        {t(locale, 'ui.popup.settings')}
      </button>
    </main>
  );
}

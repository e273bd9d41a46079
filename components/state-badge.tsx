import type { CardState } from '../utils/explain/letter-display.ts';
import type { Locale } from '../utils/i18n/i18n.ts';
import { t } from '../utils/i18n/i18n.ts';

/**
 * Icon, word and colour together for each state: never colour alone (colour-blind users,
 * grey-scale printouts). Only `valid` may ever look green.
 */
const ICONS: Record<CardState, string> = {
  valid: '✓',
  warning: '!',
  invalid: '✗',
  none: '?',
  error: '⚠',
  checking: '…',
};

export function StateBadge({ state, locale }: { state: CardState; locale: Locale }) {
  return (
    <span class={`yz-badge yz-badge--${state}`} data-state={state}>
      <span class="yz-badge__icon" aria-hidden="true">
        {ICONS[state]}
      </span>
      <span class="yz-badge__word">{t(locale, `ui.state.${state}`)}</span>
    </span>
  );
}

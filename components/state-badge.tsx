import type { CardState } from '../utils/explain/letter-display.ts';
import type { Locale } from '../utils/i18n/i18n.ts';
import { t } from '../utils/i18n/i18n.ts';

/**
 * Icon, word and colour together for each state: never colour alone (colour-blind users,
 * grey-scale printouts). Only `valid` may ever look green.
 */
export const STATE_ICONS: Record<CardState, string> = {
  valid: '✓',
  warning: '!',
  invalid: '✗',
  none: '?',
  error: '⚠',
  checking: '…',
};

export function StateBadge({
  state,
  locale,
  size = 'normal',
  id,
}: {
  state: CardState;
  locale: Locale;
  /** `big`: the verdict at the top of a card, the first thing read. */
  size?: 'normal' | 'big';
  /** Lets a card name itself by its verdict word (aria-labelledby). */
  id?: string;
}) {
  return (
    <span class={`yz-badge yz-badge--${state}${size === 'big' ? ' yz-badge--big' : ''}`} data-state={state}>
      <span class="yz-badge__icon" aria-hidden="true">
        {STATE_ICONS[state]}
      </span>
      <span class="yz-badge__word" {...(id ? { id } : {})}>
        {t(locale, `ui.state.${state}`)}
      </span>
    </span>
  );
}

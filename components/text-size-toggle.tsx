import { type Locale, t } from '../utils/i18n/i18n.ts';

/** "大字": a toggle button (aria-pressed) for larger text, in reach on every page. */
export function TextSizeToggle({
  locale,
  large,
  onChange,
}: {
  locale: Locale;
  large: boolean;
  onChange: (large: boolean) => void;
}) {
  return (
    <button
      type="button"
      class="yz-button yz-button--small yz-text-size"
      aria-pressed={large}
      onClick={() => onChange(!large)}
    >
      <span aria-hidden="true">A+ </span>
      {t(locale, 'ui.display.largeText')}
    </button>
  );
}

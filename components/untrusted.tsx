import { showUntrusted } from '../utils/explain/untrusted-text.ts';
import { type Locale, t } from '../utils/i18n/i18n.ts';

/**
 * Text that came from a letter or a file name, shown through the one escaping rule
 * (utils/explain/untrusted-text.ts): controls, bidi overrides and invisibles appear as
 * ⟨U+XXXX⟩. With `hint`, a name that mixes scripts or compatibility forms (Cyrillic "а"
 * among 汉字, Kangxi "⽀" for 支) gets a note beside it: it may not be the name it looks like.
 */
export function Untrusted({ text, locale, hint = false }: { text: string; locale: Locale; hint?: boolean }) {
  const shown = showUntrusted(text);
  return (
    <>
      <span class={shown.escaped ? 'yz-untrusted yz-untrusted--escaped' : 'yz-untrusted'}>{shown.text}</span>
      {hint && shown.hint && (
        <span class="yz-lookalike yz-block" role="note" data-lookalike={shown.hint.reasons.join(' ')}>
          <span aria-hidden="true">⚠ </span>
          {t(
            locale,
            shown.hint.reasons.includes('MIXED_SCRIPTS') ? 'ui.untrusted.mixedScripts' : 'ui.untrusted.compatibility',
            { scripts: shown.hint.scripts.join(' + ') },
          )}
        </span>
      )}
    </>
  );
}

import { useState } from 'preact/hooks';
import {
  isSecurityMarkPicture,
  SECURITY_MARK_PICTURES,
  SECURITY_MARK_WORD_MAX,
  type SecurityMarkPicture,
} from '../utils/extension/security-mark-pictures.ts';
import type { SecurityMark } from '../utils/extension/settings.ts';
import { type Locale, t } from '../utils/i18n/i18n.ts';

export interface SecurityMarkChooserProps {
  locale: Locale;
  value: SecurityMark | null;
  /** The URL of a bundled picture (`browser.runtime.getURL` in the extension). */
  pictureUrl: (id: SecurityMarkPicture) => string;
  onSave: (mark: SecurityMark) => void | Promise<void>;
  /** First-run prompt only: put off choosing. */
  onLater?: () => void;
  /** Heading level: the side panel shows it as a prompt, the options page as a section. */
  heading?: 'h2' | 'h3';
}

/** Checks a mark before saving; returns the message key of the problem, or null. */
export function securityMarkProblem(
  picture: string | null,
  word: string,
): 'ui.mark.pictureRequired' | 'ui.mark.wordRequired' | 'ui.mark.wordTooLong' | null {
  if (!picture || !isSecurityMarkPicture(picture)) return 'ui.mark.pictureRequired';
  if (word.trim() === '') return 'ui.mark.wordRequired';
  if ([...word.trim()].length > SECURITY_MARK_WORD_MAX) return 'ui.mark.wordTooLong';
  return null;
}

/**
 * Picks the personal security mark: a picture (radio buttons, so arrows and Tab work)
 * and a word. Every marker shows them; a fake marker drawn by a page cannot.
 */
export function SecurityMarkChooser({
  locale,
  value,
  pictureUrl,
  onSave,
  onLater,
  heading: Heading = 'h2',
}: SecurityMarkChooserProps) {
  const [picture, setPicture] = useState<string | null>(value?.picture ?? null);
  const [word, setWord] = useState(value?.word ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const found = securityMarkProblem(picture, word);
    setProblem(found ? t(locale, found) : null);
    setSaved(false);
    if (found || !picture) return;
    await onSave({ picture, word: word.trim() });
    setSaved(true);
  };
  return (
    <form class="yz-mark" onSubmit={submit} aria-labelledby="mark-title">
      <Heading id="mark-title">{t(locale, 'ui.mark.title')}</Heading>
      <p>{t(locale, 'ui.mark.explain')}</p>
      <fieldset class="yz-mark__pictures">
        <legend>{t(locale, 'ui.mark.picture')}</legend>
        {SECURITY_MARK_PICTURES.map((id) => (
          <label key={id} class={`yz-mark__picture${picture === id ? ' yz-mark__picture--chosen' : ''}`}>
            <input
              type="radio"
              name="security-mark-picture"
              value={id}
              checked={picture === id}
              onChange={() => setPicture(id)}
            />
            <img src={pictureUrl(id)} alt="" width={48} height={48} />
            <span>{t(locale, `ui.mark.pic.${id}`)}</span>
          </label>
        ))}
      </fieldset>
      <label class="yz-field">
        <span>{t(locale, 'ui.mark.word')}</span>
        <input
          name="security-mark-word"
          value={word}
          maxLength={SECURITY_MARK_WORD_MAX}
          autoComplete="off"
          onInput={(event) => setWord(event.currentTarget.value)}
        />
      </label>
      <p role="status" class={problem ? 'yz-field__error' : 'yz-sub'}>
        {problem ?? (saved ? t(locale, 'ui.mark.saved') : '')}
      </p>
      <div class="yz-actions">
        <button type="submit" class="yz-button yz-button--primary">
          {t(locale, 'ui.mark.save')}
        </button>
        {onLater && (
          <button type="button" class="yz-button" onClick={onLater}>
            {t(locale, 'ui.mark.later')}
          </button>
        )}
      </div>
    </form>
  );
}

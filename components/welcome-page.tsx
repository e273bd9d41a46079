import type { SecurityMarkPicture } from '../utils/extension/security-mark-pictures.ts';
import type { SecurityMark } from '../utils/extension/settings.ts';
import { type Locale, t } from '../utils/i18n/i18n.ts';
import { SecurityMarkChooser } from './security-mark-chooser.tsx';

export interface WelcomePageProps {
  locale: Locale;
  mark: SecurityMark | null;
  pictureUrl: (id: SecurityMarkPicture) => string;
  onSave: (mark: SecurityMark) => void | Promise<void>;
  onClose: () => void;
}

/**
 * The first-run page, opened once at install: what the markers mean, and the personal
 * security mark, chosen here with room to read why, instead of in the side panel (where it
 * arrived seconds late and pushed the verdicts down) or squeezed into every marker.
 */
export function WelcomePage({ locale, mark, pictureUrl, onSave, onClose }: WelcomePageProps) {
  return (
    <main class="yz-options yz-welcome">
      <h1>{t(locale, 'ui.welcome.title')}</h1>
      <p>{t(locale, 'ui.welcome.what')}</p>
      <ul class="yz-welcome__states">
        {(['valid', 'warning', 'invalid', 'none'] as const).map((state) => (
          <li key={state} data-state={state}>
            <span class={`yz-badge yz-badge--${state}`}>{t(locale, `extension.marker.${state}`)}</span>{' '}
            {t(locale, `ui.welcome.means.${state}`)}
          </li>
        ))}
      </ul>
      <section>
        <SecurityMarkChooser locale={locale} value={mark} pictureUrl={pictureUrl} onSave={onSave} />
        <p class="yz-sub">{t(locale, 'ui.welcome.markWhy')}</p>
      </section>
      <div class="yz-actions">
        <button type="button" class="yz-button" onClick={onClose}>
          {t(locale, mark ? 'ui.welcome.done' : 'ui.welcome.later')}
        </button>
      </div>
    </main>
  );
}

import { type Locale, t } from '../utils/i18n/i18n.ts';

/** The sites where the content script runs, each with a button to stop it there. */
export function SitesList({
  locale,
  sites,
  onRemove,
}: {
  locale: Locale;
  sites: readonly string[];
  onRemove: (origin: string) => void;
}) {
  return (
    <section aria-labelledby="sites-title">
      <h2 id="sites-title">{t(locale, 'ui.options.sites')}</h2>
      <p class="yz-sub">{t(locale, 'ui.options.sites.help')}</p>
      {sites.length === 0 ? (
        <p>{t(locale, 'ui.options.sites.none')}</p>
      ) : (
        <ul class="yz-sites">
          {sites.map((site) => (
            <li key={site}>
              <span>{site}</span>
              <button type="button" class="yz-button yz-button--danger" onClick={() => onRemove(site)}>
                {t(locale, 'ui.options.sites.remove', { site })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { type Locale, t } from '../utils/i18n/i18n.ts';
import { patternSite } from './hooks/use-running-sites.ts';

/**
 * Where attachments are checked: the sites the user enabled, each with a button to stop
 * it, and the sites this build checks by itself (listed, not removable), so the page never
 * says "none" while a portal is being checked.
 */
export function SitesList({
  locale,
  sites,
  running = [],
  onRemove,
}: {
  locale: Locale;
  sites: readonly string[];
  /** Match patterns the content script is registered for (`https://portal.gov.cn/*`). */
  running?: readonly string[];
  onRemove: (origin: string) => void;
}) {
  const enabledHosts = new Set(sites.map((site) => patternSite(site.replace(/:\d+$/, ''))));
  const builtIn = running.map(patternSite).filter((site) => !enabledHosts.has(site));
  return (
    <section aria-labelledby="sites-title">
      <h2 id="sites-title">{t(locale, 'ui.options.sites')}</h2>
      <p class="yz-sub">{t(locale, 'ui.options.sites.help')}</p>
      {sites.length === 0 && builtIn.length === 0 ? (
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
          {builtIn.map((site) => (
            <li key={site} data-built-in>
              <span>{t(locale, 'ui.options.sites.builtIn', { site })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

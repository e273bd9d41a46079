import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { CacheState } from '../../components/cache-state.tsx';
import { useDisplayPrefs } from '../../components/hooks/use-display-prefs.ts';
import { useRegionTable } from '../../components/hooks/use-region-table.ts';
import { useRunningSites } from '../../components/hooks/use-running-sites.ts';
import { useSettings } from '../../components/hooks/use-settings.ts';
import { OptionsForm } from '../../components/options-form.tsx';
import { SecurityMarkChooser } from '../../components/security-mark-chooser.tsx';
import { SitesList } from '../../components/sites-list.tsx';
import { TextSizeToggle } from '../../components/text-size-toggle.tsx';
import { CHROMIUM_FLOOR, FIREFOX_FLOOR } from '../../utils/extension/browser-floor.ts';
import { saveDisplayPrefs } from '../../utils/extension/display-prefs.ts';
import { type RegistryState, sendMessage } from '../../utils/extension/messages.ts';
import { securityMarkPath } from '../../utils/extension/security-mark-pictures.ts';
import { saveSettings } from '../../utils/extension/settings-storage.ts';
import { DEFAULT_LOCALE, t } from '../../utils/i18n/i18n.ts';
import '../../components/ui.css';

export function OptionsPage() {
  const loaded = useSettings();
  const regions = useRegionTable();
  const locale = loaded?.settings.locale ?? DEFAULT_LOCALE;
  const [cache, setCache] = useState<RegistryState | 'unavailable' | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const display = useDisplayPrefs();
  const running = useRunningSites(loaded?.settings.enabledSites.join(' '));

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t(locale, 'ui.options.title');
  }, [locale]);
  useEffect(() => {
    sendMessage('registry.state', {}).then(
      (state) => setCache(state ?? 'unavailable'),
      () => setCache('unavailable'),
    );
  }, []);

  if (!loaded) return null;
  const refresh = async () => {
    setRefreshing(true);
    try {
      setCache((await sendMessage('registry.refresh', {})) ?? 'unavailable');
    } catch {
      setCache('unavailable');
    } finally {
      setRefreshing(false);
    }
  };
  return (
    <main class="yz-options">
      <h1>{t(locale, 'ui.options.title')}</h1>
      <p class="yz-sub" data-browser-floor>
        {t(locale, 'ui.options.browsers', { needed: CHROMIUM_FLOOR, firefox: FIREFOX_FLOOR })}
      </p>
      <section aria-labelledby="display-title">
        <h2 id="display-title">{t(locale, 'ui.display.title')}</h2>
        <p class="yz-sub">{t(locale, 'ui.display.help')}</p>
        <TextSizeToggle
          locale={locale}
          large={display.largeText}
          onChange={(largeText) => void saveDisplayPrefs({ largeText })}
        />
      </section>
      <OptionsForm
        // Re-mount when policy changes what is locked, so the fields show the managed values.
        key={JSON.stringify(loaded.locked)}
        locale={locale}
        settings={loaded.settings}
        locked={loaded.locked}
        regions={regions}
        onSave={async (patch) => {
          const before = loaded.settings;
          await saveSettings(patch);
          if (patch.registryUrl !== before.registryUrl || patch.rootKeys !== before.rootKeys) void refresh();
        }}
      />
      <CacheState locale={locale} state={cache} refreshing={refreshing} onRefresh={() => void refresh()} />
      <SitesList
        locale={locale}
        sites={loaded.settings.enabledSites}
        running={running}
        onRemove={(origin) => void sendMessage('site.disabled', { origin })}
      />
      <section>
        <SecurityMarkChooser
          locale={locale}
          heading="h3"
          value={loaded.settings.securityMark}
          pictureUrl={(id) => browser.runtime.getURL(securityMarkPath(id))}
          onSave={async (mark) => {
            await saveSettings({ securityMark: mark });
          }}
        />
      </section>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<OptionsPage />, root);

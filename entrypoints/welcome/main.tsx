import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { useDisplayPrefs } from '../../components/hooks/use-display-prefs.ts';
import { useSettings } from '../../components/hooks/use-settings.ts';
import { WelcomePage } from '../../components/welcome-page.tsx';
import { securityMarkPath } from '../../utils/extension/security-mark-pictures.ts';
import { saveSettings } from '../../utils/extension/settings-storage.ts';
import { DEFAULT_LOCALE, t } from '../../utils/i18n/i18n.ts';
import '../../components/ui.css';

function Welcome() {
  const loaded = useSettings();
  useDisplayPrefs();
  const locale = loaded?.settings.locale ?? DEFAULT_LOCALE;
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t(locale, 'ui.welcome.title');
  }, [locale]);
  if (!loaded) return null;
  return (
    <WelcomePage
      locale={locale}
      mark={loaded.settings.securityMark}
      pictureUrl={(id) => browser.runtime.getURL(securityMarkPath(id))}
      onSave={async (mark) => {
        await saveSettings({ securityMark: mark });
      }}
      onClose={() => window.close()}
    />
  );
}

const root = document.getElementById('app');
if (root) render(<Welcome />, root);

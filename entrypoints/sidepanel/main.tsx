import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DocumentList } from '../../components/document-list.tsx';
import { useActiveTab } from '../../components/hooks/use-active-tab.ts';
import { useRegionTable } from '../../components/hooks/use-region-table.ts';
import { useSettings } from '../../components/hooks/use-settings.ts';
import { useTabDocuments } from '../../components/hooks/use-tab-documents.ts';
import { ManualChecks } from '../../components/manual-checks.tsx';
import { decodeQrFrame } from '../../components/qr-frame-decoder.ts';
import { SecurityMarkChooser } from '../../components/security-mark-chooser.tsx';
import { ViewTabs } from '../../components/view-tabs.tsx';
import { securityMarkPath } from '../../utils/extension/security-mark-pictures.ts';
import { saveSettings } from '../../utils/extension/settings-storage.ts';
import { DEFAULT_LOCALE, t } from '../../utils/i18n/i18n.ts';
import { HistoryPanel } from './history-panel.tsx';
import { checkTabPdf, checkUserFile } from './manual-actions.ts';
import '../../components/ui.css';

type View = 'results' | 'history';

export function SidePanel() {
  const loaded = useSettings();
  const locale = loaded?.settings.locale ?? DEFAULT_LOCALE;
  const tab = useActiveTab();
  const tabDocs = useTabDocuments(tab?.id ?? null);
  const regions = useRegionTable();
  const [view, setView] = useState<View>('results');
  const [markLater, setMarkLater] = useState(false);
  const [manualStatus, setManualStatus] = useState<string | null>(null);
  const tabId = tab?.id ?? null;

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t(locale, 'ui.app.title');
  }, [locale]);

  const report = (pending: Promise<string>) => void pending.then(setManualStatus);
  const showMarkPrompt = loaded !== null && loaded.settings.securityMark === null && !markLater;

  return (
    <main class="yz-panel">
      {showMarkPrompt && (
        <SecurityMarkChooser
          locale={locale}
          value={null}
          pictureUrl={(id) => browser.runtime.getURL(securityMarkPath(id))}
          onSave={async (mark) => {
            await saveSettings({ securityMark: mark });
          }}
          onLater={() => setMarkLater(true)}
        />
      )}
      <ViewTabs
        locale={locale}
        current={view}
        onChange={setView}
        views={[
          { id: 'results', label: t(locale, 'ui.tabs.results') },
          { id: 'history', label: t(locale, 'ui.tabs.history') },
        ]}
      />
      <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
        {view === 'results' ? (
          <>
            {tab === null ? (
              <p class="yz-summary">{t(locale, 'ui.list.noTab')}</p>
            ) : (
              <DocumentList documents={tabDocs?.documents ?? []} locale={locale} regions={regions} />
            )}
            <ManualChecks
              locale={locale}
              status={manualStatus}
              decodeFrame={decodeQrFrame}
              onFile={(file, source) => report(checkUserFile(file, source, tabId, locale))}
              onCameraCode={(frame) => report(checkUserFile(frame, 'camera', tabId, locale))}
              cameraAutoStart={new URLSearchParams(location.search).has('camera')}
              onCameraInTab={() => {
                const getUrl = browser.runtime.getURL as (path: string) => string;
                const query = tabId === null ? 'camera=1' : `camera=1&tabId=${tabId}`;
                void browser.tabs.create({ url: getUrl(`/sidepanel.html?${query}`) });
              }}
              {...(tabId === null ? {} : { onTabPdf: () => report(checkTabPdf(tabId, locale)) })}
            />
          </>
        ) : (
          <HistoryPanel locale={locale} />
        )}
      </div>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<SidePanel />, root);

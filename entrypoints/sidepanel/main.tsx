import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DocumentList } from '../../components/document-list.tsx';
import { useActiveTab } from '../../components/hooks/use-active-tab.ts';
import { useDisplayPrefs } from '../../components/hooks/use-display-prefs.ts';
import { useRegionTable } from '../../components/hooks/use-region-table.ts';
import { useSettings } from '../../components/hooks/use-settings.ts';
import { useTabDocuments } from '../../components/hooks/use-tab-documents.ts';
import { useVerdictFocus } from '../../components/hooks/use-verdict-focus.ts';
import { ManualChecks } from '../../components/manual-checks.tsx';
import { decodeQrFrame } from '../../components/qr-frame-decoder.ts';
import { RecentChecks } from '../../components/recent-checks.tsx';
import { TextSizeToggle } from '../../components/text-size-toggle.tsx';
import { ViewTabs } from '../../components/view-tabs.tsx';
import type { DocumentRecord } from '../../utils/check/document-record.ts';
import { saveDisplayPrefs } from '../../utils/extension/display-prefs.ts';
import { checkUserFile, type ManualOutcome } from '../../utils/extension/manual-file.ts';
import { NO_TAB_ID } from '../../utils/extension/verdict-focus.ts';
import { DEFAULT_LOCALE, t } from '../../utils/i18n/i18n.ts';
import { HistoryPanel } from './history-panel.tsx';
import { checkTabPdf } from './manual-actions.ts';
import '../../components/ui.css';

type View = 'results' | 'history';

/** A manual check this panel started: where the background keeps it and its id. */
interface Recent {
  tabKey: number;
  docId: string;
}

/**
 * The verdict view. One component tree for every host: the side panel, and the same page
 * opened as a popup window or tab (`?tabId=…&host=window|tab`) where `chrome.sidePanel` is
 * missing, or for the camera (`?camera=1`, with or without a tab).
 */
export function SidePanel() {
  const params = new URLSearchParams(location.search);
  const loaded = useSettings();
  const locale = loaded?.settings.locale ?? DEFAULT_LOCALE;
  const active = useActiveTab();
  // The camera page opened on its own is not looking at any web page's tab.
  const tab = params.has('camera') && !params.has('tabId') ? null : active;
  const tabId = tab?.id ?? null;
  const tabDocs = useTabDocuments(tabId);
  const noTabDocs = useTabDocuments(NO_TAB_ID);
  const regions = useRegionTable();
  const focus = useVerdictFocus(tabId);
  const [view, setView] = useState<View>('results');
  const [manualStatus, setManualStatus] = useState<string | null>(null);
  const [recent, setRecent] = useState<Recent[]>([]);
  const handledFocus = useRef(0);
  const shownRecent = useRef(0);
  const localRegion = loaded?.settings.region ?? null;
  const display = useDisplayPrefs();

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t(locale, 'ui.app.title');
  }, [locale]);

  const all = tabDocs?.documents ?? [];
  const recentDocs = recent
    .map(({ tabKey, docId }) => (tabKey === NO_TAB_ID ? noTabDocs?.documents : all)?.find((d) => d.id === docId))
    .filter((d): d is DocumentRecord => d !== undefined);
  const recentIds = new Set(recent.map((r) => r.docId));
  const pageDocs = all.filter((d) => !recentIds.has(d.id));

  // A marker click: show the results, scroll to that card, and give it focus.
  useEffect(() => {
    if (!focus) return;
    if (view !== 'results') {
      setView('results');
      return;
    }
    if (handledFocus.current >= focus.at || !focus.docId) return;
    const card = document.querySelector<HTMLElement>(`article[data-doc-id="${CSS.escape(focus.docId)}"]`);
    if (!card) return; // not listed yet: tried again when the documents change
    handledFocus.current = focus.at;
    card.scrollIntoView({ block: 'start' });
    card.focus({ preventScroll: true });
  }, [focus?.at, focus?.docId, view, all.length]);

  // A manual check's first card: bring "刚才检查的文件" into view.
  useEffect(() => {
    if (recentDocs.length <= shownRecent.current) return;
    shownRecent.current = recentDocs.length;
    const heading = document.getElementById('recent-title');
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus({ preventScroll: true });
  }, [recentDocs.length]);

  const report = (sent: number | null, pending: Promise<ManualOutcome>) =>
    void pending.then(({ status, docId }) => {
      setManualStatus(status);
      if (!docId) return;
      const tabKey = sent ?? NO_TAB_ID;
      setRecent((list) => [{ tabKey, docId }, ...list.filter((r) => r.docId !== docId)]);
    });

  return (
    <main class="yz-panel">
      <div class="yz-topbar">
        <ViewTabs
          locale={locale}
          current={view}
          onChange={setView}
          views={[
            { id: 'results', label: t(locale, 'ui.tabs.results') },
            { id: 'history', label: t(locale, 'ui.tabs.history') },
          ]}
        />
        <TextSizeToggle
          locale={locale}
          large={display.largeText}
          onChange={(largeText) => void saveDisplayPrefs({ largeText })}
        />
      </div>
      <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
        {view === 'results' ? (
          <>
            <RecentChecks documents={recentDocs} locale={locale} regions={regions} localRegion={localRegion} />
            {tab === null ? (
              recentDocs.length === 0 && <p class="yz-summary">{t(locale, 'ui.list.noTab')}</p>
            ) : (
              <DocumentList
                documents={pageDocs}
                locale={locale}
                regions={regions}
                localRegion={localRegion}
                focusedId={focus?.docId ?? null}
              />
            )}
            <ManualChecks
              locale={locale}
              status={manualStatus}
              decodeFrame={decodeQrFrame}
              onFile={(file, source) => report(tabId, checkUserFile(file, source, tabId, locale))}
              onCameraCode={(frame) => report(tabId, checkUserFile(frame, 'camera', tabId, locale))}
              cameraAutoStart={params.has('camera')}
              onCameraInTab={() => {
                const getUrl = browser.runtime.getURL as (path: string) => string;
                const query = tabId === null ? 'camera=1' : `camera=1&tabId=${tabId}`;
                void browser.tabs.create({ url: getUrl(`/sidepanel.html?${query}`) });
              }}
              {...(tabId === null ? {} : { onTabPdf: () => report(tabId, checkTabPdf(tabId, locale)) })}
            />
          </>
        ) : (
          <HistoryPanel locale={locale} regions={regions} />
        )}
      </div>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<SidePanel />, root);

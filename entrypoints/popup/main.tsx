import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { FrameOriginsOffer } from '../../components/frame-origins-offer.tsx';
import { useActiveTab } from '../../components/hooks/use-active-tab.ts';
import { useDisplayPrefs } from '../../components/hooks/use-display-prefs.ts';
import { useRunningSites } from '../../components/hooks/use-running-sites.ts';
import { useSettings } from '../../components/hooks/use-settings.ts';
import { useTabDocuments } from '../../components/hooks/use-tab-documents.ts';
import { messageText } from '../../components/message-text.ts';
import { PopupStatus } from '../../components/popup-status.tsx';
import { countStates } from '../../utils/explain/letter-display.ts';
import { checkBrowserFloor } from '../../utils/extension/browser-floor.ts';
import { sendMessage } from '../../utils/extension/messages.ts';
import { DEFAULT_LOCALE, t } from '../../utils/i18n/i18n.ts';
import '../../components/ui.css';

/** `https://portal.gov.cn:8443/a` → the origin and the permission pattern (ports are not part of match patterns). */
function siteOf(url: string): { origin: string; pattern: string } | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return { origin: parsed.origin, pattern: `${parsed.protocol}//${parsed.hostname}/*` };
  } catch {
    return null;
  }
}

interface SidePanelApi {
  open(options: { tabId?: number; windowId?: number }): Promise<void>;
}
interface SidebarActionApi {
  open(): Promise<void>;
}

/**
 * Opens the verdict view: the side panel (Chrome 114+), the sidebar (Firefox), or, where
 * neither exists (Chromium < 114, some 360/QQ builds), the same page as a window that the
 * background opens and reuses. `sidePanel.open` is called first, inside the click's user
 * gesture.
 */
async function openDetails(tabId: number) {
  const api = globalThis as unknown as {
    chrome?: { sidePanel?: SidePanelApi };
    browser?: { sidebarAction?: SidebarActionApi };
  };
  try {
    if (typeof api.chrome?.sidePanel?.open === 'function') return await api.chrome.sidePanel.open({ tabId });
    if (typeof api.browser?.sidebarAction?.open === 'function') return await api.browser.sidebarAction.open();
  } catch {
    // fall through to the window
  }
  await sendMessage('verdict.show', { tabId, docId: null, openHost: true });
}

function Popup() {
  const loaded = useSettings();
  useDisplayPrefs();
  const locale = loaded?.settings.locale ?? DEFAULT_LOCALE;
  const tab = useActiveTab();
  const docs = useTabDocuments(tab?.id ?? null);
  const [granted, setGranted] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const site = tab ? siteOf(tab.url) : null;
  const running = useRunningSites(`${loaded?.settings.enabledSites.join(' ')} ${granted}`);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    if (!site) return;
    void browser.permissions.contains({ origins: [site.pattern] }).then(setGranted, () => setGranted(false));
  }, [site?.pattern]);

  // Checked here if the user enabled it, or if this build checks it by itself (the demo portal).
  const enabled =
    site !== null &&
    ((granted && (loaded?.settings.enabledSites.includes(site.origin) ?? false)) || running.includes(site.pattern));
  const frameOrigins = docs?.page?.blockedOrigins ?? [];
  const enableFrames = () => {
    if (!tab) return;
    const patterns = frameOrigins.map((o) => siteOf(o)?.pattern).filter((p): p is string => !!p);
    // One request for every origin, inside the click's user gesture.
    browser.permissions.request({ origins: patterns }).then(
      async (ok) => {
        if (!ok) return setStatus(t(locale, 'ui.popup.enableDenied'));
        for (const origin of frameOrigins)
          await sendMessage('site.enabled', { origin, tabId: tab.id }).catch(() => null);
        setStatus(t(locale, 'ui.popup.frames.enabled'));
      },
      () => setStatus(t(locale, 'ui.popup.enableDenied')),
    );
  };
  const floor = checkBrowserFloor();
  return (
    <>
      {floor.kind === 'too-old' ? (
        <p class="yz-field__error" role="alert" data-too-old>
          {t(locale, 'ui.popup.tooOld', { found: floor.chromium, needed: floor.needed })}
        </p>
      ) : null}
      <PopupStatus
        locale={locale}
        counts={countStates(docs?.documents ?? [])}
        site={site ? { origin: site.origin, enabled } : null}
        status={status}
        onEnable={() => {
          if (!site || !tab) return;
          // permissions.request must run inside the click's user gesture: no await before it.
          browser.permissions.request({ origins: [site.pattern] }).then(
            async (ok) => {
              if (!ok) return setStatus(t(locale, 'ui.popup.enableDenied'));
              setGranted(true);
              const answer = await sendMessage('site.enabled', { origin: site.origin, tabId: tab.id }).catch(
                () => null,
              );
              setStatus(t(locale, answer?.ok ? 'ui.popup.enabledNow' : 'ui.manual.sendFailed'));
            },
            () => setStatus(t(locale, 'ui.popup.enableDenied')),
          );
        }}
        onScan={() => {
          if (!tab) return;
          sendMessage('tab.scan', { tabId: tab.id }).then(
            (answer) =>
              setStatus(
                answer.ok
                  ? t(locale, 'ui.popup.scanStarted')
                  : t(locale, 'ui.popup.scanFailed', { reason: messageText(locale, answer.error ?? '') }),
              ),
            (error: unknown) => setStatus(t(locale, 'ui.popup.scanFailed', { reason: String(error) })),
          );
        }}
        onDetails={() => {
          if (!tab) return;
          void openDetails(tab.id).then(() => window.close());
        }}
        onSettings={() => void browser.runtime.openOptionsPage()}
      />
      <FrameOriginsOffer locale={locale} origins={frameOrigins} onEnable={enableFrames} />
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<Popup />, root);

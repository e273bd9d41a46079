/**
 * The background's wiring. Every message is checked for its sender kind and type by
 * `onMessages` (utils/extension/messages.ts); there is no `onMessageExternal` listener and no
 * `externally_connectable`, so web pages cannot reach any of this.
 */
import { browser } from 'wxt/browser';
import { createMarkerFeed, MARKER_PORT } from '../../utils/extension/marker-feed.ts';
import { markerRecord } from '../../utils/extension/marker-record.ts';
import { claimMarkerToken, dropTabTokens } from '../../utils/extension/marker-tokens.ts';
import { BYTES_PORT, base64ToBytes, onMessages, type VerifierConfig } from '../../utils/extension/messages.ts';
import { loadSettings, SETTINGS_KEY, saveSettings } from '../../utils/extension/settings-storage.ts';
import {
  noteBlockedOrigins,
  notePageChange,
  notePageScan,
  onTabStored,
  readTab,
  removeTab,
  unblockOrigins,
} from '../../utils/extension/tab-store.ts';
import { handleBytesPort } from './bytes-port.ts';
import { CHECK_WATCHDOG_ALARM, endInterruptedChecks, recordUnreadable, submitDocument } from './documents.ts';
import { watchDownloads } from './downloads.ts';
import { fetchDocument } from './fetch-document.ts';
import {
  injectInto,
  injectIntoFrame,
  injectIntoOpenTabs,
  notEnabledOrigins,
  originPattern,
  syncContentScripts,
} from './sites.ts';
import { forgetToolbar, redrawToolbar } from './toolbar.ts';
import { ensureOffscreen, hostRefresh, hostRegistryState } from './verifier-host.ts';

const REFRESH_ALARM = 'registry-refresh';

/** Markers hear of their own document over a port (see marker-feed.ts), pushed after each tab write. */
const markerFeed = createMarkerFeed(readTab);
onTabStored(markerFeed.tabStored);
/** The registry, keys and status lists are refreshed this often while the browser runs. */
const REFRESH_MINUTES = 30;

async function verifierConfig(): Promise<VerifierConfig> {
  const { settings } = await loadSettings();
  return { registryUrl: settings.registryUrl, rootKeys: settings.rootKeys, region: settings.region };
}

function lastPathPart(url: string): string {
  try {
    const parts = new URL(url).pathname.split('/');
    return decodeURIComponent(parts[parts.length - 1] || url);
  } catch {
    return url;
  }
}

export function startBackground(): void {
  onMessages({
    'check.url': async ({ url, name, source, visible }, sender) => {
      const tabId = sender.tab?.id ?? null;
      // The page URL comes from the browser, never from the message; a frame's finds belong to its tab's page.
      const pageUrl = (sender.tab as { url?: string } | undefined)?.url ?? sender.url ?? '';
      const base = { tabId, pageUrl, name: (name || lastPathPart(url)).slice(0, 300), url, source, wantsMarker: true };
      const fetched = await fetchDocument(url);
      if (!fetched.ok)
        return recordUnreadable(base, { key: 'extension.error.fetchFailed', params: { detail: fetched.detail } });
      return submitDocument({ ...base, bytes: fetched.bytes, visible: visible === true });
    },
    'page.scanned': async ({ pending, frameOrigins }, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return { ok: true };
      // Recorded before any await, so reports and page changes apply in the order they came.
      const noted = notePageScan(tabId, {
        frameId: sender.frameId ?? 0,
        frameUrl: sender.url ?? '',
        pending: Math.max(0, Number(pending) | 0),
      });
      const blocked = await notEnabledOrigins(Array.isArray(frameOrigins) ? frameOrigins.slice(0, 20) : []);
      await (blocked.length > 0 ? noteBlockedOrigins(tabId, blocked) : noted);
      void redrawToolbar(tabId);
      return { ok: true };
    },
    'page.wake': async (_data, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return { ok: false };
      // The page has something worth reading: the offscreen document and its readers start
      // now, while the content script finds and fetches the files, not after the first arrives.
      void ensureOffscreen().catch(() => undefined);
      return { ok: await injectIntoFrame(tabId, sender.frameId ?? 0) };
    },
    'marker.claim': ({ token }, sender) => claimMarkerToken(String(token), sender.tab?.id),
    // Firefox's marker frames have no storage.session: they ask here, for their own tab only.
    'marker.record': (request, sender) => markerRecord(request, sender.tab?.id),
    'check.bytes': async ({ tabId, name, source, base64 }) => {
      const bytes = base64ToBytes(base64);
      const tab = tabId === null ? null : await browser.tabs.get(tabId).catch(() => null);
      return submitDocument({
        tabId,
        pageUrl: source === 'tab-pdf' ? (tab?.url ?? '') : '',
        name: String(name).slice(0, 300),
        url: null,
        source,
        bytes,
        wantsMarker: false,
      });
    },
    'tab.scan': ({ tabId }) => injectInto(tabId),
    'tab.checkPdf': async ({ tabId }) => {
      const tab = await browser.tabs.get(tabId).catch(() => null);
      if (!tab?.url) return { docId: null, error: 'extension.error.notPdfTab' };
      const fetched = await fetchDocument(tab.url);
      if (!fetched.ok) return { docId: null, error: 'extension.error.notPdfTab' };
      // %PDF- magic: the tab may show an HTML page whose URL ends in .pdf.
      const magic = new TextDecoder().decode(fetched.bytes.subarray(0, 5));
      if (magic !== '%PDF-') return { docId: null, error: 'extension.error.notPdfTab' };
      return submitDocument({
        tabId,
        pageUrl: tab.url,
        name: lastPathPart(tab.url),
        url: tab.url,
        source: 'tab-pdf',
        bytes: fetched.bytes,
        wantsMarker: false,
      });
    },
    'site.enabled': async ({ origin, tabId }) => {
      const pattern = originPattern(origin);
      if (!pattern || !(await browser.permissions.contains({ origins: [pattern] }))) return { ok: false };
      const { settings } = await loadSettings();
      const clean = new URL(origin).origin;
      if (!settings.enabledSites.includes(clean))
        await saveSettings({ enabledSites: [...settings.enabledSites, clean] });
      await syncContentScripts();
      if (tabId !== null) {
        await unblockOrigins(tabId, [clean]);
        await injectInto(tabId);
      }
      return { ok: true };
    },
    'site.disabled': async ({ origin }) => {
      const pattern = originPattern(origin);
      const { settings } = await loadSettings();
      let clean = origin;
      try {
        clean = new URL(origin).origin;
      } catch {
        // keep as given: it is only compared
      }
      await saveSettings({ enabledSites: settings.enabledSites.filter((s) => s !== clean) });
      if (pattern) await browser.permissions.remove({ origins: [pattern] }).catch(() => false);
      await syncContentScripts();
      return { ok: true };
    },
    'registry.state': async () => hostRegistryState(await verifierConfig()),
    'registry.refresh': async () => hostRefresh(await verifierConfig()),
  });

  browser.runtime.onConnect.addListener((port) => {
    if (port.name === BYTES_PORT) handleBytesPort(port);
    else if (port.name === MARKER_PORT) markerFeed.serve(port);
    else port.disconnect();
  });

  watchDownloads();

  // A tab closes when the browser does too: its storage writes then fail with "The browser is
  // shutting down", which is no fault of anyone's (issue 11 saw it uncaught in background.js).
  const ignore = () => undefined;
  browser.tabs.onRemoved.addListener((tabId) => {
    forgetToolbar(tabId);
    void removeTab(tabId).catch(ignore);
    void dropTabTokens(tabId).catch(ignore);
  });
  browser.tabs.onUpdated.addListener((tabId, change) => {
    // Chrome clears a tab's toolbar values when it commits another document, which may come
    // after the `loading` redraw below: once it has (a new URL, or the load complete), every
    // part is drawn again from the tab's state.
    if (change.url !== undefined || change.status === 'complete') {
      forgetToolbar(tabId);
      if (change.status !== 'loading') void redrawToolbar(tabId);
    }
    if (change.status !== 'loading') return;
    // A new document in the tab (navigation or reload): its old results no longer apply. Put in
    // the tab's line at once (no await first), so it keeps its place before later reports.
    void notePageChange(tabId, change)
      .then((fresh) => (fresh ? redrawToolbar(tabId) : undefined))
      .catch(ignore);
  });

  // Cards a stopped worker left `checking` are checked again or ended, at start and on the watchdog.
  void endInterruptedChecks().catch(() => undefined);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CHECK_WATCHDOG_ALARM) void endInterruptedChecks().catch(() => undefined);
    if (alarm.name === REFRESH_ALARM)
      void verifierConfig()
        .then(hostRefresh)
        .catch(() => undefined);
  });
  const setUp = () => {
    void Promise.resolve(
      browser.alarms.create(REFRESH_ALARM, { periodInMinutes: REFRESH_MINUTES, delayInMinutes: 1 }),
    ).catch(ignore);
    void syncContentScripts().catch(() => undefined);
  };
  // Also at every service-worker start: onInstalled comes a second or two late, after the
  // first pages have loaded, and a no-op sync costs one storage read.
  void syncContentScripts().catch(() => undefined);
  browser.runtime.onInstalled.addListener((details) => {
    setUp();
    // An update: the pages open on enabled sites are checked again by this version.
    if (details.reason === 'update')
      void syncContentScripts()
        .then(injectIntoOpenTabs)
        .catch(() => undefined);
  });
  browser.runtime.onStartup.addListener(setUp);
  // storage.local only: the global event would hand this worker each tab write back as well.
  browser.storage.local.onChanged.addListener((changes) => {
    if (SETTINGS_KEY in changes) void syncContentScripts().catch(() => undefined);
  });
  // Permissions granted or removed from the browser's own UI change where the script may run.
  browser.permissions.onAdded?.addListener(() => void syncContentScripts().catch(() => undefined));
  browser.permissions.onRemoved?.addListener(() => void syncContentScripts().catch(() => undefined));
}

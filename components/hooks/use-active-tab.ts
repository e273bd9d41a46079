import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';

export interface ActiveTab {
  id: number;
  url: string;
}

/**
 * The tab whose documents the page shows: `?tabId=` when the side panel was opened as a
 * tab (older Chromium without the sidePanel API), else the active tab of this window,
 * followed as the user switches tabs or the tab navigates.
 */
export function useActiveTab(search: string = globalThis.location?.search ?? ''): ActiveTab | null {
  const pinned = Number(new URLSearchParams(search).get('tabId'));
  const [tab, setTab] = useState<ActiveTab | null>(null);
  useEffect(() => {
    let windowId: number | undefined;
    const refresh = async () => {
      const [found] =
        Number.isInteger(pinned) && pinned > 0
          ? [await browser.tabs.get(pinned).catch(() => undefined)]
          : await browser.tabs.query({ active: true, currentWindow: true });
      windowId = found?.windowId;
      setTab(found?.id === undefined ? null : { id: found.id, url: found.url ?? '' });
    };
    const onActivated = (info: { windowId: number }) => {
      if (windowId === undefined || info.windowId === windowId) void refresh();
    };
    const onUpdated = (tabId: number, change: { url?: string; status?: string }) => {
      if (change.url !== undefined || change.status === 'complete') {
        setTab((current) => (current?.id === tabId ? { id: tabId, url: change.url ?? current.url } : current));
      }
    };
    void refresh();
    if (!(pinned > 0)) browser.tabs.onActivated.addListener(onActivated);
    browser.tabs.onUpdated.addListener(onUpdated);
    return () => {
      browser.tabs.onActivated.removeListener(onActivated);
      browser.tabs.onUpdated.removeListener(onUpdated);
    };
  }, [pinned]);
  return tab;
}

/** Draws the per-tab toolbar icon, badge and title (the decision is in utils/extension/tab-toolbar.ts). */
import { browser } from 'wxt/browser';
import type { TabDocuments } from '../../utils/check/document-record.ts';
import { loadSettings } from '../../utils/extension/settings-storage.ts';
import { iconPaths } from '../../utils/extension/tab-badge.ts';
import { readTab } from '../../utils/extension/tab-store.ts';
import { createToolbar } from '../../utils/extension/tab-toolbar.ts';
import type { Locale } from '../../utils/i18n/i18n.ts';

/** MV3 `action`, MV2 `browserAction` (Firefox build). */
function action() {
  return browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
}

/** `chrome.action` with its callback form, where the browser has one (every Chromium; Firefox too). */
interface CallbackAction {
  setIcon(details: { tabId: number; path: Record<string, string> }, callback: () => void): void;
}

/**
 * Chromium's `action.setIcon` logs "Unchecked runtime.lastError: No tab with id" for a tab
 * closed meanwhile even when its promise is awaited and caught (the icon is loaded by a
 * binding of its own whose callback never reads lastError; seen in Chromium 156, issue 11).
 * Called with a callback that reads lastError, the same failure is a plain rejection.
 */
function setIcon(tabId: number, path: Record<string, string>): Promise<void> {
  const chrome = (
    globalThis as {
      chrome?: { runtime?: { lastError?: { message?: string } }; action?: unknown; browserAction?: unknown };
    }
  ).chrome;
  const native = (chrome?.action ?? chrome?.browserAction) as CallbackAction | undefined;
  if (typeof native?.setIcon !== 'function') return action().setIcon({ tabId, path });
  return new Promise((resolve, reject) => {
    native.setIcon({ tabId, path }, () => {
      const error = chrome?.runtime?.lastError;
      if (error) reject(new Error(error.message ?? 'setIcon failed'));
      else resolve();
    });
  });
}

const toolbar = createToolbar({
  read: readTab,
  locale: async () => (await loadSettings()).settings.locale,
  // Only the parts that differ from what the tab shows (all of them when that is unknown).
  draw: async (tabId, view, shown) => {
    const a = action();
    await Promise.all([
      view.icon !== shown?.icon && setIcon(tabId, iconPaths(view.icon)),
      view.text !== shown?.text && a.setBadgeText({ tabId, text: view.text }),
      view.color !== shown?.color && a.setBadgeBackgroundColor({ tabId, color: view.color }),
      view.title !== shown?.title && a.setTitle({ tabId, title: view.title }),
    ]);
  },
});

/**
 * The tab loaded another document (Chrome then clears its own toolbar values) or closed: its
 * next draw sets every part again.
 */
export function forgetToolbar(tabId: number): void {
  toolbar.forget(tabId);
}

/** Redraws a tab's toolbar from its stored state at the time the redraw runs. */
export function redrawToolbar(tabId: number): Promise<void> {
  return toolbar.redraw(tabId);
}

/**
 * The older call shape: the snapshot and locale given are ignored, because a snapshot drawn
 * late is exactly how an older state used to win. Kept so callers need not change at once.
 */
export function drawToolbar(tabId: number, _tab?: TabDocuments | null, _locale?: Locale): Promise<void> {
  return toolbar.redraw(tabId);
}

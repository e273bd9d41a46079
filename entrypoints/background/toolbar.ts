/** Draws the per-tab toolbar icon, badge and title from the tab's documents. */
import { browser } from 'wxt/browser';
import type { TabDocuments } from '../../utils/check/document-record.ts';
import { iconPaths, tabBadge } from '../../utils/extension/tab-badge.ts';
import type { Locale } from '../../utils/i18n/i18n.ts';

/** MV3 `action`, MV2 `browserAction` (Firefox build). */
function action() {
  return browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
}

const drawing = new Map<number, Promise<void>>();

/**
 * Draws a tab's toolbar state. Draws of one tab run in call order (each is given the tab's
 * documents as they were when it was called), so a caller need not wait for `setIcon`,
 * which decodes four PNGs, before answering a content script.
 */
export function drawToolbar(tabId: number, tab: TabDocuments | null, locale: Locale): Promise<void> {
  const previous = drawing.get(tabId) ?? Promise.resolve();
  const next = previous.then(() => drawNow(tabId, tab, locale));
  drawing.set(tabId, next);
  void next.then(() => {
    if (drawing.get(tabId) === next) drawing.delete(tabId);
  });
  return next;
}

async function drawNow(tabId: number, tab: TabDocuments | null, locale: Locale): Promise<void> {
  const view = tabBadge(tab, locale);
  const a = action();
  try {
    await Promise.all([
      a.setIcon({ tabId, path: iconPaths(view.icon) }),
      a.setBadgeText({ tabId, text: view.text }),
      a.setBadgeBackgroundColor({ tabId, color: view.color }),
      a.setTitle({ tabId, title: view.title }),
    ]);
  } catch {
    // The tab closed while the check ran: nothing to draw on.
  }
}

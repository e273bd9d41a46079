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

const toolbar = createToolbar({
  read: readTab,
  locale: async () => (await loadSettings()).settings.locale,
  draw: async (tabId, view) => {
    const a = action();
    await Promise.all([
      a.setIcon({ tabId, path: iconPaths(view.icon) }),
      a.setBadgeText({ tabId, text: view.text }),
      a.setBadgeBackgroundColor({ tabId, color: view.color }),
      a.setTitle({ tabId, title: view.title }),
    ]);
  },
});

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

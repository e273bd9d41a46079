/**
 * The background's side of "show me this document" (a marker click, the popup's button):
 * records which document the verdict view should scroll to, and where `chrome.sidePanel`
 * is missing (Chromium < 114, some 360/QQ builds at any version) opens the same side panel
 * page as a popup window, or a tab if windows cannot be created, one per page tab, reused
 * on the next click. Also opens the first-run page at install.
 */
import { browser } from 'wxt/browser';
import { type MessageReturn, onMessages } from './messages.ts';
import { readTab } from './tab-store.ts';
import {
  type VerdictFocus,
  type VerdictHost,
  verdictFocusKey,
  verdictHostKey,
  verdictViewPath,
} from './verdict-focus.ts';

/** A side-panel-sized window: the same 400-odd px the panel has, tall enough for a card. */
const HOST_WINDOW = { width: 440, height: 860 } as const;

const getUrl = (path: string) => (browser.runtime.getURL as (p: string) => string)(path);

async function existingHost(tabId: number): Promise<VerdictHost | null> {
  const key = verdictHostKey(tabId);
  const host = (await browser.storage.session.get(key))[key] as VerdictHost | undefined;
  if (!host) return null;
  const alive = await browser.tabs.get(host.hostTabId).catch(() => null);
  return alive ? host : null;
}

/**
 * Opens in progress, by page tab. A second request for the same tab while the first is still
 * creating its window (a double click, or a marker re-sending `verdict.show` whose answer
 * was slow) waits for that window and focuses it: before this it saw no view yet and opened
 * a second one.
 */
const opening = new Map<number, Promise<'window' | 'tab'>>();

/** Focuses the view already open for this tab, or opens one: a popup window first, a tab if that fails. */
export async function openVerdictHost(tabId: number | null, docId: string | null): Promise<'window' | 'tab'> {
  if (tabId === null) return openOrFocus(null, docId);
  const inFlight = opening.get(tabId);
  if (inFlight) {
    await inFlight.catch(() => undefined);
    return openOrFocus(tabId, docId);
  }
  const open = openOrFocus(tabId, docId);
  opening.set(tabId, open);
  try {
    return await open;
  } finally {
    if (opening.get(tabId) === open) opening.delete(tabId);
  }
}

async function openOrFocus(tabId: number | null, docId: string | null): Promise<'window' | 'tab'> {
  const found = tabId === null ? null : await existingHost(tabId);
  if (found) {
    await browser.tabs.update(found.hostTabId, { active: true }).catch(() => undefined);
    if (found.windowId !== null)
      await browser.windows?.update(found.windowId, { focused: true }).catch(() => undefined);
    return found.windowId === null ? 'tab' : 'window';
  }
  let host: VerdictHost | null = null;
  let kind: 'window' | 'tab' = 'window';
  try {
    const win = await browser.windows.create({
      url: getUrl(verdictViewPath(tabId, docId, 'window')),
      type: 'popup',
      ...HOST_WINDOW,
    });
    const hostTabId = win?.tabs?.[0]?.id;
    if (win?.id !== undefined && hostTabId !== undefined) host = { hostTabId, windowId: win.id };
  } catch {
    // Some forks refuse popup windows from extensions: a tab shows the same page.
  }
  if (!host) {
    kind = 'tab';
    const tab = await browser.tabs.create({ url: getUrl(verdictViewPath(tabId, docId, 'tab')) });
    if (tab.id !== undefined) host = { hostTabId: tab.id, windowId: null };
  }
  if (host && tabId !== null) await browser.storage.session.set({ [verdictHostKey(tabId)]: host });
  return kind;
}

/**
 * Handles `verdict.show`. A marker speaks only for its own tab (the browser says which tab
 * it is in), and only for a document that tab has; anything else just opens the view.
 */
export async function showVerdict(
  req: { tabId: number | null; docId: string | null; openHost: boolean },
  sender: { kind: string; tab?: { id?: number } },
): Promise<MessageReturn<'verdict.show'>> {
  const tabId = sender.kind === 'marker' ? (sender.tab?.id ?? null) : req.tabId;
  if (sender.kind === 'marker' && (tabId === null || req.tabId !== tabId)) return { ok: false, host: null };
  let docId = typeof req.docId === 'string' ? req.docId : null;
  if (tabId !== null && docId !== null) {
    const tab = await readTab(tabId);
    if (!tab?.documents.some((d) => d.id === docId)) docId = null;
  }
  if (tabId !== null) {
    const focus: VerdictFocus = { docId, at: Date.now() };
    await browser.storage.session.set({ [verdictFocusKey(tabId)]: focus });
  }
  if (!req.openHost) return { ok: true, host: 'panel' };
  return { ok: true, host: await openVerdictHost(tabId, docId) };
}

export function startVerdictView(): void {
  onMessages({ 'verdict.show': (req, sender) => showVerdict(req, sender) });
  browser.tabs.onRemoved.addListener((tabId) => {
    void browser.storage.session.remove([verdictFocusKey(tabId), verdictHostKey(tabId)]).catch(() => undefined);
  });
  // The security mark is chosen on a page of its own at install, not squeezed into the
  // side panel or the markers (issue 11).
  browser.runtime.onInstalled.addListener((details) => {
    // Caught: a browser closed right after install refuses the tab ("The browser is shutting down").
    if (details.reason === 'install') void browser.tabs.create({ url: getUrl('/welcome.html') }).catch(() => undefined);
  });
}

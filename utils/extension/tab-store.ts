/**
 * Per-tab documents in `storage.session`: the service worker is killed when idle, so nothing
 * the side panel or markers need may live only in its memory. Updates of one tab are
 * serialized (read-modify-write) in call order, so concurrent checks do not lose each other's
 * results and events are applied in the order they arrived: a handler that calls
 * {@link updateTab} before its first `await` keeps its event's place in the line.
 */
import { browser } from 'wxt/browser';
import { type DocumentRecord, type TabDocuments, type TabPage, tabDocumentsKey } from '../check/document-record.ts';
import { isNewPage } from './page-change.ts';

const queues = new Map<number, Promise<unknown>>();

/** Who hears of each tab written (the background's marker feed), after the write. */
const storedListeners: ((tab: TabDocuments) => void)[] = [];
export function onTabStored(listener: (tab: TabDocuments) => void): void {
  storedListeners.push(listener);
}

export async function readTab(tabId: number): Promise<TabDocuments | null> {
  const key = tabDocumentsKey(tabId);
  const got = await browser.storage.session.get(key);
  return (got[key] as TabDocuments | undefined) ?? null;
}

/** Applies `change` to the tab's documents (created empty when absent) and stores the result. */
export function updateTab(
  tabId: number,
  pageUrl: string | null,
  change: (tab: TabDocuments) => void,
): Promise<TabDocuments> {
  const run = async () => {
    const tab = (await readTab(tabId)) ?? { tabId, pageUrl: pageUrl ?? '', documents: [] };
    if (pageUrl && !tab.pageUrl) tab.pageUrl = pageUrl;
    change(tab);
    await browser.storage.session.set({ [tabDocumentsKey(tabId)]: tab });
    for (const listener of storedListeners) listener(tab);
    return tab;
  };
  const previous = queues.get(tabId) ?? Promise.resolve();
  const next = previous.then(run, run);
  queues.set(
    tabId,
    next.catch(() => undefined),
  );
  return next;
}

/** The tab's page state (a record written before pages were tracked counts as generation 0, not yet scanned). */
export function pageOf(tab: TabDocuments): TabPage {
  tab.page ??= { generation: 0, scanned: false, pending: {}, dropped: [], blockedOrigins: [] };
  return tab.page;
}

/**
 * Replaces or adds one document record. The verdict of a check that began on an older page
 * of the tab (its `checking` record was dropped at the new page) is not added to the new
 * page's documents: the generation moved on while it ran.
 */
export function putDocument(tabId: number, pageUrl: string, record: DocumentRecord): Promise<TabDocuments> {
  return updateTab(tabId, pageUrl, (tab) => {
    const page = pageOf(tab);
    const i = tab.documents.findIndex((d) => d.id === record.id);
    if (i >= 0) tab.documents[i] = record;
    else if (record.state === 'done' && page.dropped.includes(record.id)) {
      page.dropped = page.dropped.filter((id) => id !== record.id);
    } else {
      if (page.dropped.includes(record.id)) page.dropped = page.dropped.filter((id) => id !== record.id);
      tab.documents.push(record);
    }
  });
}

/** Starts a new page generation: no documents, not scanned, and older checks still running are marked dropped. */
function resetPage(tab: TabDocuments, pageUrl: string): void {
  const page = pageOf(tab);
  const running = tab.documents.filter((d) => d.state === 'checking').map((d) => d.id);
  tab.page = {
    generation: page.generation + 1,
    scanned: false,
    pending: {},
    dropped: [...new Set([...page.dropped, ...running])].slice(-200),
    blockedOrigins: [],
  };
  tab.documents = [];
  tab.pageUrl = pageUrl;
}

/** Forgets a tab's documents (navigated to a new page). */
export async function clearTab(tabId: number, pageUrl?: string): Promise<void> {
  await updateTab(tabId, null, (tab) => resetPage(tab, pageUrl ?? ''));
}

/**
 * Applies a `tabs.onUpdated` change in its arrival order: a new page starts a new generation
 * (see {@link isNewPage}); a same-document change keeps everything. Resolves with whether it was new.
 */
export async function notePageChange(tabId: number, change: { status?: string; url?: string }): Promise<boolean> {
  let fresh = false;
  await updateTab(tabId, null, (tab) => {
    fresh = isNewPage(tab.pageUrl || null, change);
    if (fresh) resetPage(tab, change.url ?? tab.pageUrl);
  });
  return fresh;
}

/**
 * A content script's report on one frame: how many documents it found and has not yet handed
 * over. The top frame's first report marks the page scanned. (A late report of a document
 * leaving the tab can only land in the instant of a navigation; the new page's own report
 * follows it and says what the new page holds.)
 */
export function notePageScan(
  tabId: number,
  report: { frameId: number; frameUrl: string; pending: number },
): Promise<TabDocuments> {
  return updateTab(tabId, null, (tab) => {
    const page = pageOf(tab);
    if (report.frameId === 0) {
      if (!tab.pageUrl) tab.pageUrl = report.frameUrl;
      page.scanned = true;
    }
    const key = String(report.frameId);
    if (report.pending > 0) page.pending[key] = Math.min(report.pending, 10_000);
    else delete page.pending[key];
  });
}

/** Adds origins of frames on the page that are not enabled (named in the popup). */
export function noteBlockedOrigins(tabId: number, origins: readonly string[]): Promise<TabDocuments> {
  return updateTab(tabId, null, (tab) => {
    const page = pageOf(tab);
    for (const origin of origins)
      if (!page.blockedOrigins.includes(origin) && page.blockedOrigins.length < 20) page.blockedOrigins.push(origin);
  });
}

/** Removes origins from the tab's "not enabled" list (the user enabled them). */
export function unblockOrigins(tabId: number, origins: readonly string[]): Promise<TabDocuments> {
  return updateTab(tabId, null, (tab) => {
    const page = pageOf(tab);
    page.blockedOrigins = page.blockedOrigins.filter((o) => !origins.includes(o));
  });
}

export async function removeTab(tabId: number): Promise<void> {
  const previous = queues.get(tabId) ?? Promise.resolve();
  await previous;
  queues.delete(tabId);
  await browser.storage.session.remove(tabDocumentsKey(tabId));
}

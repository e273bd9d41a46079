/**
 * Per-tab documents in `storage.session`: the service worker is killed when idle, so nothing
 * the side panel or markers need may live only in its memory. Updates of one tab are
 * serialized (read-modify-write) so concurrent checks do not lose each other's results.
 */
import { browser } from 'wxt/browser';
import { type DocumentRecord, type TabDocuments, tabDocumentsKey } from '../check/document-record.ts';

const queues = new Map<number, Promise<unknown>>();

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

/** Replaces or adds one document record. */
export function putDocument(tabId: number, pageUrl: string, record: DocumentRecord): Promise<TabDocuments> {
  return updateTab(tabId, pageUrl, (tab) => {
    const i = tab.documents.findIndex((d) => d.id === record.id);
    if (i >= 0) tab.documents[i] = record;
    else tab.documents.push(record);
  });
}

/** Forgets a tab (closed, or navigated to a new page). */
export async function clearTab(tabId: number, pageUrl?: string): Promise<void> {
  await updateTab(tabId, null, (tab) => {
    tab.documents = [];
    tab.pageUrl = pageUrl ?? '';
  });
}

export async function removeTab(tabId: number): Promise<void> {
  const previous = queues.get(tabId) ?? Promise.resolve();
  await previous;
  queues.delete(tabId);
  await browser.storage.session.remove(tabDocumentsKey(tabId));
}

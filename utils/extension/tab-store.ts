/**
 * Per-tab documents. The service worker's memory holds each tab it has touched and is the
 * source of truth while the worker lives; `storage.session` is a write-behind copy, because
 * Chrome kills an idle worker and nothing the side panel, markers or a restarted worker need
 * may live only in its memory. A tab not yet in memory (a restarted worker) is read from
 * storage.session once, then kept.
 *
 * Why not read and write storage.session on every change, as before: each of a document's
 * writes (checking, done) read and wrote the tab's whole list, so 40 attachments cost 80
 * round trips of a growing list, one at a time in the tab's line, and every document's answer
 * waited for the line. Now a change applies in memory at once and the copy is written at most
 * every {@link WRITE_BEHIND_MS}: a worker that dies in that window loses the newest state of
 * that instant only, which the interrupted-checks recovery (a `checking` card no one finishes
 * is checked again from its URL) and the content script's resubmission already cover.
 *
 * Updates of one tab are serialized in call order, so concurrent checks do not lose each
 * other's results and events are applied in the order they arrived: a handler that calls
 * {@link updateTab} before its first `await` keeps its event's place in the line.
 */
import { browser } from 'wxt/browser';
import { type DocumentRecord, type TabDocuments, type TabPage, tabDocumentsKey } from '../check/document-record.ts';
import { isNewPage } from './page-change.ts';

/** How long changes of a tab gather before their one write to storage.session. */
export const WRITE_BEHIND_MS = 100;

const queues = new Map<number, Promise<unknown>>();
/** The tabs this worker knows: the newest state (callers must not mutate what readTab returns). */
const memory = new Map<number, TabDocuments>();
/** A tab's pending write-behind: its timer, and the write running now. */
const writes = new Map<number, { timer: ReturnType<typeof setTimeout> | null; running: Promise<void> | null }>();

/** Who hears of each tab changed (the background's marker feed), right after the change. */
const storedListeners: ((tab: TabDocuments) => void)[] = [];
export function onTabStored(listener: (tab: TabDocuments) => void): void {
  storedListeners.push(listener);
}

async function readStored(tabId: number): Promise<TabDocuments | null> {
  const key = tabDocumentsKey(tabId);
  const got = await browser.storage.session.get(key);
  return (got[key] as TabDocuments | undefined) ?? null;
}

/** The tab's documents now (from memory; a tab this worker has not seen is read from storage.session). */
export async function readTab(tabId: number): Promise<TabDocuments | null> {
  const known = memory.get(tabId);
  if (known) return known;
  // Loaded in the tab's line, so a read racing the first update cannot put an older copy in memory.
  await (queues.get(tabId) ?? Promise.resolve());
  const again = memory.get(tabId);
  if (again) return again;
  const stored = await readStored(tabId);
  if (!stored) return null;
  // Kept from now on, unless an update of the tab got there first (then its state is newer).
  if (!memory.has(tabId)) memory.set(tabId, stored);
  return memory.get(tabId) ?? stored;
}

/** Writes the tab's copy soon, once for all the changes made meanwhile. */
function scheduleWrite(tabId: number): void {
  const pending = writes.get(tabId) ?? { timer: null, running: null };
  writes.set(tabId, pending);
  if (pending.timer !== null) return;
  pending.timer = setTimeout(() => {
    pending.timer = null;
    void writeNow(tabId, pending);
  }, WRITE_BEHIND_MS);
}

async function writeNow(tabId: number, pending: { timer: unknown; running: Promise<void> | null }): Promise<void> {
  // One write at a time per tab: a later one always carries the newer state.
  await pending.running;
  const tab = memory.get(tabId);
  if (!tab) return;
  const running = browser.storage.session
    // A copy: the one in memory keeps changing while the write is under way.
    .set({ [tabDocumentsKey(tabId)]: structuredClone(tab) })
    .catch(() => undefined);
  pending.running = running;
  await running;
  if (pending.running === running) pending.running = null;
  if (pending.timer === null && !pending.running && writes.get(tabId) === pending) writes.delete(tabId);
}

/** Writes every tab's pending changes now and resolves once they are stored (tests; before a planned stop). */
export async function flushTabs(): Promise<void> {
  await Promise.all([...queues.values()]);
  await Promise.all(
    [...writes].map(([tabId, pending]) => {
      if (pending.timer === null) return pending.running;
      clearTimeout(pending.timer);
      pending.timer = null;
      return writeNow(tabId, pending);
    }),
  );
}

/** Forgets what this worker holds in memory, as a worker restart does (tests). Pending writes are dropped. */
export function forgetTabsInMemory(): void {
  for (const pending of writes.values()) if (pending.timer !== null) clearTimeout(pending.timer);
  writes.clear();
  memory.clear();
  queues.clear();
}

/** Applies `change` to the tab's documents (created empty when absent); stored write-behind. */
export function updateTab(
  tabId: number,
  pageUrl: string | null,
  change: (tab: TabDocuments) => void,
): Promise<TabDocuments> {
  const run = async () => {
    let tab = memory.get(tabId);
    if (!tab) {
      tab = (await readStored(tabId)) ?? { tabId, pageUrl: pageUrl ?? '', documents: [] };
      memory.set(tabId, tab);
    }
    if (pageUrl && !tab.pageUrl) tab.pageUrl = pageUrl;
    change(tab);
    scheduleWrite(tabId);
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
  memory.delete(tabId);
  const pending = writes.get(tabId);
  if (pending?.timer != null) clearTimeout(pending.timer);
  writes.delete(tabId);
  await pending?.running;
  await browser.storage.session.remove(tabDocumentsKey(tabId));
}

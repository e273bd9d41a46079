/**
 * One document's way through the background: recorded as `checking` on its tab, checked by
 * the verifier host, recorded as `done`, drawn on the toolbar, added to the history. Verdicts
 * are only ever computed here (through the host), never taken from a content script.
 *
 * The host, the toolbar and the refetch come in as {@link DocumentFlowPorts} (the background
 * wires the real ones, tests fake them), so this file knows nothing of the offscreen document.
 */

import { browser } from 'wxt/browser';
import type { DocumentRecord, DocumentSource, TabDocuments } from '../check/document-record.ts';
import { addHistory, historyEntryFromRecord, rowOfCheck } from './history-store.ts';
import type { YanzhenDatabase } from './idb-schema.ts';
import { openYanzhenDb } from './idb-store.ts';
import { endInterrupted, isInterrupted, isOrphaned, mayRecheck, needsCheck } from './interrupted-checks.ts';
import { issueMarkerToken } from './marker-tokens.ts';
import type { CheckAccepted, OffscreenCheckEvent, OffscreenCheckResult, VerifierConfig } from './messages.ts';
import { PRIORITY, type Priority } from './reader-pool.ts';
import type { Settings } from './settings.ts';
import { loadSettings } from './settings-storage.ts';
import { putDocument, readTab, updateTab } from './tab-store.ts';

export interface SubmittedDocument {
  /** null for manual checks not tied to a tab. */
  tabId: number | null;
  pageUrl: string;
  name: string;
  url: string | null;
  source: DocumentSource;
  /** Moved to the offscreen document for the check: unusable here once submitted. */
  bytes: Uint8Array;
  /** Content-script documents get a marker token; extension-page checks do not. */
  wantsMarker: boolean;
  /** The content script saw it in the viewport (optional: older content scripts do not say). */
  visible?: boolean;
  /** Checked again after an earlier service worker lost its check (at most once: mayRecheck). */
  retry?: boolean;
}

/** What the offscreen document echoes with a check's events: enough to finish the card after a service-worker restart. */
export interface CheckJob {
  tabId: number;
  pageUrl: string;
  record: DocumentRecord;
  locale: string;
  /**
   * The settings the check was sent with. A result that outlived its worker is recorded only
   * while they are still the settings in force (recordOrphanResult); optional for jobs sent
   * by an older worker.
   */
  config?: VerifierConfig;
}

/** What the flow needs from the background: the verifier host, the toolbar, a refetch. */
export interface DocumentFlowPorts {
  /** Checks one document (entrypoints/background/verifier-host.ts hostCheck). */
  check(
    bytes: Uint8Array,
    fileName: string,
    config: VerifierConfig,
    options: {
      priority: Priority;
      job: CheckJob;
      onProgress?: (progress: { page: number; pages: number }) => void;
    },
  ): Promise<OffscreenCheckResult>;
  /** Registers who finishes checks whose service worker died while they ran. */
  onOrphanCheckEvent(handler: (job: unknown, event: OffscreenCheckEvent) => void): void;
  /** Redraws a tab's toolbar. */
  drawToolbar(tabId: number): Promise<void>;
  /** Fetches an attachment again by its URL (for a check lost with a stopped worker). */
  fetchDocument(url: string): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; detail: string }>;
}

export interface DocumentFlow {
  submitDocument(doc: SubmittedDocument): Promise<CheckAccepted>;
  /** Records a document that could not even be fetched (an `error` card with the reason), and returns its marker token. */
  recordUnreadable(
    doc: Omit<SubmittedDocument, 'bytes'>,
    error: { key: 'extension.error.fetchFailed'; params: { detail: string } },
  ): Promise<CheckAccepted>;
  /**
   * Checks again (from its URL) or ends with an "interrupted" error every card an earlier
   * service worker left `checking` and no one finishes; the content script's next submission
   * of the same bytes also checks it again. Runs at worker start and on the watchdog alarm,
   * which it re-arms while this worker has checks running or young orphans remain.
   */
  endInterruptedChecks(): Promise<void>;
}

/** The manual check first, then what the user can see (uploads and drops are what they just did), then the rest. */
export function priorityOf(doc: Pick<SubmittedDocument, 'source' | 'visible'>): Priority {
  if (doc.source === 'manual-file' || doc.source === 'paste' || doc.source === 'camera' || doc.source === 'tab-pdf')
    return PRIORITY.manual;
  if (doc.source === 'upload' || doc.source === 'drop' || doc.visible) return PRIORITY.visible;
  return PRIORITY.background;
}

function isJob(value: unknown): value is CheckJob {
  const job = value as Partial<CheckJob> | null;
  return typeof job?.tabId === 'number' && typeof job.pageUrl === 'string' && typeof job.record?.id === 'string';
}

/** What the offscreen document needs of the settings. */
function configOf(settings: Settings): VerifierConfig {
  return { registryUrl: settings.registryUrl, rootKeys: settings.rootKeys, region: settings.region };
}

function sameConfig(a: VerifierConfig, b: VerifierConfig): boolean {
  return a.registryUrl === b.registryUrl && a.rootKeys === b.rootKeys && a.region === b.region;
}

/** The document id: a hash of the bytes, so the same file under two URLs is one document. */
export async function documentId(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Manual checks with no tab are kept under this pseudo tab id (-1 is never a real tab). */
export const NO_TAB = -1;

/** Wakes a stopped worker to end checks it lost (alarms outlive the worker; 30 s is Chrome's shortest). */
export const CHECK_WATCHDOG_ALARM = 'check-watchdog';

/**
 * Documents handed to the offscreen document at once: its pool reads them on one worker per
 * core, in priority order; the rest wait here, most urgent first, holding only their bytes.
 */
const MAX_PARALLEL = 8;

const REFETCHABLE = new Set<DocumentSource>(['img', 'link', 'embed']);

/**
 * A `checking` card this young may still be finished by the offscreen document, which echoes
 * the job of a check that outlived its worker (onOrphanCheckEvent): left to it for now.
 */
const ORPHAN_GRACE_MS = 20_000;

/** A document's card before any code is known: where it came from, and its first state. */
function newRecord(
  id: string,
  doc: Pick<SubmittedDocument, 'name' | 'url' | 'source' | 'pageUrl'>,
  first: Pick<DocumentRecord, 'state' | 'verdict' | 'error'>,
): DocumentRecord {
  return {
    id,
    name: doc.name,
    url: doc.url,
    source: doc.source,
    pageUrl: doc.pageUrl,
    checkedAt: Date.now(),
    progress: null,
    codes: [],
    ...first,
  };
}

/** The background's document flow over the given ports (one per service worker). */
export function createDocumentFlow(ports: DocumentFlowPorts): DocumentFlow {
  let running = 0;
  const waiting: { priority: Priority; seq: number; start: () => void }[] = [];
  let waitSeq = 0;
  async function slot<T>(priority: Priority, run: () => Promise<T>): Promise<T> {
    if (running >= MAX_PARALLEL) {
      await new Promise<void>((start) => {
        waiting.push({ priority, seq: waitSeq++, start });
        waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      });
    }
    running++;
    try {
      return await run();
    } finally {
      running--;
      waiting.shift()?.start();
    }
  }

  /** Shows pages done on the card while it is still `checking` (a late progress event never undoes `done`). */
  async function recordProgress(job: CheckJob, progress: { page: number; pages: number }): Promise<void> {
    await updateTab(job.tabId, job.pageUrl, (t) => {
      const i = t.documents.findIndex((d) => d.id === job.record.id);
      const current = t.documents[i];
      if (current && current.state === 'checking') t.documents[i] = { ...current, progress };
    });
    if (job.tabId !== NO_TAB) void ports.drawToolbar(job.tabId);
  }

  let dbPromise: Promise<YanzhenDatabase> | null = null;
  function db(): Promise<YanzhenDatabase> {
    // A failed open (disk full) is tried again next time rather than remembered.
    dbPromise ??= openYanzhenDb().catch((error: unknown) => {
      dbPromise = null;
      throw error;
    });
    return dbPromise;
  }

  /**
   * Records a check's end: one history row, then the card `done`, then the toolbar. The row
   * comes first: Chrome may stop this worker between any two writes, and a card already done
   * is never checked again, so a row written after it was lost for good when the worker
   * stopped in between (seen with the worker stopped twice during one page). A worker stopped
   * after the row leaves the card `checking`, which a later worker checks again: a second
   * check, and its own row.
   */
  async function recordDone(job: CheckJob, done: DocumentRecord): Promise<void> {
    let saved = true;
    try {
      const check = { documentId: job.record.id, startedAt: job.record.checkedAt };
      await addHistory(await db(), historyEntryFromRecord(done, check));
    } catch {
      // A full disk (QuotaExceededError) must not hide the verdict, nor pass in silence:
      // the card says this check is missing from the history. Earlier rows are untouched.
      saved = false;
    }
    await putDocument(job.tabId, job.pageUrl, saved ? done : { ...done, historyProblem: 'HISTORY_NOT_SAVED' });
    if (job.tabId !== NO_TAB) await ports.drawToolbar(job.tabId);
  }

  /**
   * Ends an orphaned card from the history row its check wrote before the worker that ran it
   * stopped (recordDone writes the row first; the card's `done` can still be lost with the
   * worker, in the tab store's write-behind): true when there was one. Then it is not checked
   * again, which would add a second row for one check.
   */
  async function endFromHistory(tabId: number, record: DocumentRecord): Promise<boolean> {
    const row = await rowOfCheck(await db(), record.id, record.checkedAt).catch(() => null);
    if (!row) return false;
    await updateTab(tabId, null, (tab) => {
      const i = tab.documents.findIndex((d) => d.id === record.id);
      const current = tab.documents[i];
      if (current?.state !== 'checking' || current.checkedAt !== record.checkedAt) return;
      tab.documents[i] = {
        ...current,
        state: 'done',
        verdict: row.verdict,
        codes: row.codes ?? [],
        error: row.error ?? null,
        progress: null,
        checkedAt: row.checkedAt,
        ...(row.check?.registrySource ? { registrySource: row.check.registrySource } : {}),
      };
    });
    if (tabId !== NO_TAB) await ports.drawToolbar(tabId);
    return true;
  }

  /**
   * The result of a check that outlived the worker that started it, recorded from the job it
   * carries, unless this card is being checked again here (that check records its own end)
   * or already has a real end: one check, one card end, one history row.
   */
  async function recordOrphanResult(job: CheckJob, result: OffscreenCheckResult): Promise<void> {
    if (isRunning(job.tabId, job.record.id)) return;
    // Judged under settings no longer in force (a policy that came in after the check went
    // out, or a changed region): not this document's verdict. Its card is left to the orphan
    // rules below, which check it again or end it.
    if (job.config && !sameConfig(job.config, configOf((await loadSettings()).settings))) return;
    const current = (await readTab(job.tabId))?.documents.find((d) => d.id === job.record.id);
    if (current?.state === 'done' && !isInterrupted(current)) return;
    await recordDone(job, { ...job.record, ...result, state: 'done', progress: null, checkedAt: Date.now() });
  }

  // A check that outlived the service worker that started it is finished from the job it carries.
  ports.onOrphanCheckEvent((job, event) => {
    if (!isJob(job)) return;
    if (event.kind === 'progress') {
      if (event.pages > 1) void recordProgress(job, { page: event.page, pages: event.pages });
    } else if (event.kind === 'result') void recordOrphanResult(job, event.result);
  });

  /**
   * The checks this service worker runs (`tabId:docId`), from submission until their card is
   * done. A `checking` card not in here was left by a worker Chrome stopped.
   */
  const runningChecks = new Set<string>();
  const runningKey = (tabId: number, docId: string) => `${tabId}:${docId}`;
  const isRunning = (tabId: number, docId: string) => runningChecks.has(runningKey(tabId, docId));

  function armWatchdog(): void {
    void Promise.resolve(browser.alarms?.create(CHECK_WATCHDOG_ALARM, { delayInMinutes: 0.5 })).catch(() => undefined);
  }

  /**
   * Checks an orphaned card again when its bytes can be had again (an attachment's URL, fetched
   * as `check.url` does); an upload or a manual check has nothing to fetch. False when not
   * checked again (the card is then ended).
   */
  async function recheckFromUrl(tabId: number, record: DocumentRecord): Promise<boolean> {
    if (!record.url || !REFETCHABLE.has(record.source) || !mayRecheck(record)) return false;
    const fetched = await ports.fetchDocument(record.url);
    // Other bytes at that URL now are another document: this card still ends.
    if (!fetched.ok || (await documentId(fetched.bytes)) !== record.id) return false;
    await submitDocument({
      tabId: tabId === NO_TAB ? null : tabId,
      pageUrl: record.pageUrl,
      name: record.name,
      url: record.url,
      source: record.source,
      bytes: fetched.bytes,
      // Its marker is already drawn and watches this card.
      wantsMarker: false,
      retry: true,
    }).catch(() => undefined);
    return isRunning(tabId, record.id);
  }

  async function endInterruptedChecks(): Promise<void> {
    const all = await browser.storage.session.get(null);
    let waitingOrphans = false;
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith('tab:')) continue;
      // The copy in storage.session may be a moment behind this worker's memory (written
      // behind): a card just done must not look orphaned, so the tab is read through the store.
      const copy = value as TabDocuments | undefined;
      const stored = typeof copy?.tabId === 'number' ? await readTab(copy.tabId) : null;
      if (!stored?.documents?.some((d) => d.state === 'checking')) continue;
      const now = Date.now();
      const young = new Set(
        stored.documents.filter((d) => d.state === 'checking' && now - d.checkedAt < ORPHAN_GRACE_MS).map((d) => d.id),
      );
      if (young.size > 0) waitingOrphans = true;
      const owned = (tabId: number, docId: string) => isRunning(tabId, docId) || young.has(docId);
      const orphans = stored.documents.filter((d) => isOrphaned(stored.tabId, d, owned));
      await Promise.all(
        orphans.map(
          async (record) => (await endFromHistory(stored.tabId, record)) || recheckFromUrl(stored.tabId, record),
        ),
      );
      let ended: string[] = [];
      await updateTab(stored.tabId, null, (tab) => {
        ended = endInterrupted(tab, owned, Date.now());
      });
      if (ended.length > 0 && stored.tabId !== NO_TAB) await ports.drawToolbar(stored.tabId);
    }
    if (runningChecks.size > 0 || waitingOrphans) armWatchdog();
  }

  async function submitDocument(doc: SubmittedDocument): Promise<CheckAccepted> {
    const tabId = doc.tabId ?? NO_TAB;
    const id = await documentId(doc.bytes);
    const markerToken = doc.wantsMarker ? await issueMarkerToken(tabId, id) : null;
    const existing = (await readTab(tabId))?.documents.find((d) => d.id === id);
    // Same bytes already checked (or being checked) on this tab: one card, one history row.
    // Unless the check was lost with a stopped service worker: these bytes check it again.
    const manual = doc.source === 'manual-file' || doc.source === 'paste' || doc.source === 'camera';
    if (!manual && !needsCheck(tabId, existing, isRunning)) return { docId: id, markerToken };
    // An orphaned card whose check got as far as its history row: ended from it, not checked twice.
    if (!manual && existing?.state === 'checking' && (await endFromHistory(tabId, existing)))
      return { docId: id, markerToken };
    runningChecks.add(runningKey(tabId, id));
    armWatchdog();
    startCheck(tabId, id, doc);
    return { docId: id, markerToken };
  }

  /**
   * Records the document as `checking` and queues its check; the card is done (and the check
   * no longer running) at the end. Returns at once: the content script waits for the answer
   * before it sends more, and the tab's writes are one line shared with every check's verdict,
   * so waiting here for the `checking` write made each page's documents go in one by one.
   * The write is put in the tab's line now, before any later report of the page.
   */
  function startCheck(tabId: number, id: string, doc: SubmittedDocument): void {
    const record: DocumentRecord = {
      ...newRecord(id, doc, { state: 'checking', verdict: 'none', error: null }),
      ...(doc.retry ? { retried: true as const } : {}),
    };
    const written = putDocument(tabId, doc.pageUrl, record);
    const priority = priorityOf(doc);
    void slot(priority, async () => {
      let done: DocumentRecord;
      let job: CheckJob = { tabId, pageUrl: doc.pageUrl, record, locale: 'zh-CN' };
      try {
        // Reading does not wait for the policy service (about 3 s after each browser start):
        // the check goes out with the policy as last seen, and its verdict is kept only if the
        // live policy, when it comes, is the same; else the document is checked again with it.
        const [{ settings: first }] = await Promise.all([loadSettings({ policyWaitMs: 0 }), written]);
        const live = loadSettings();
        if (tabId !== NO_TAB) void ports.drawToolbar(tabId);
        const send = async (settings: Settings): Promise<OffscreenCheckResult> => {
          const config = configOf(settings);
          job = { ...job, locale: settings.locale, config };
          // The host ends a check whose offscreen document died (one retry, then a clear error).
          const sentJob = job;
          return ports.check(doc.bytes, doc.name, config, {
            priority,
            job: sentJob,
            // Pages done are shown for multi-page documents only (card, marker): a one-page
            // document's "0/1" and "1/1" would be two more writes of the whole tab for nothing.
            onProgress: (progress) => {
              if (progress.pages > 1) void recordProgress(sentJob, progress);
            },
          });
        };
        let result = await send(first);
        const { settings } = await live;
        if (!sameConfig(configOf(settings), configOf(first))) result = await send(settings);
        else job = { ...job, locale: settings.locale };
        done = { ...record, ...result, state: 'done', progress: null, checkedAt: Date.now() };
      } catch (error) {
        done = {
          ...record,
          state: 'done',
          checkedAt: Date.now(),
          codes: [],
          verdict: 'error',
          error: { key: 'extension.error.internal', params: { detail: String(error) } },
        };
      }
      try {
        await recordDone(job, done);
      } finally {
        runningChecks.delete(runningKey(tabId, id));
      }
    });
  }

  async function recordUnreadable(
    doc: Omit<SubmittedDocument, 'bytes'>,
    error: { key: 'extension.error.fetchFailed'; params: { detail: string } },
  ): Promise<CheckAccepted> {
    const tabId = doc.tabId ?? NO_TAB;
    const id = await documentId(new TextEncoder().encode(`url:${doc.url ?? doc.name}`));
    const markerToken = doc.wantsMarker ? await issueMarkerToken(tabId, id) : null;
    const record = newRecord(id, doc, { state: 'done', verdict: 'error', error });
    await putDocument(tabId, doc.pageUrl, record);
    if (tabId !== NO_TAB) await ports.drawToolbar(tabId);
    return { docId: id, markerToken };
  }

  return { submitDocument, recordUnreadable, endInterruptedChecks };
}

/**
 * One document's way through the background: recorded as `checking` on its tab, checked by
 * the verifier host, recorded as `done`, drawn on the toolbar, added to the history. Verdicts
 * are only ever computed here (through the host), never taken from a content script.
 */

import type { DocumentRecord, DocumentSource } from '../../utils/check/document-record.ts';
import { addHistory, historyEntryFromRecord } from '../../utils/extension/history-store.ts';
import type { YanzhenDatabase } from '../../utils/extension/idb-schema.ts';
import { openYanzhenDb } from '../../utils/extension/idb-store.ts';
import { issueMarkerToken } from '../../utils/extension/marker-tokens.ts';
import type { CheckAccepted, VerifierConfig } from '../../utils/extension/messages.ts';
import { loadSettings } from '../../utils/extension/settings-storage.ts';
import { putDocument, readTab } from '../../utils/extension/tab-store.ts';
import { drawToolbar } from './toolbar.ts';
import { hostCheck } from './verifier-host.ts';

export interface SubmittedDocument {
  /** null for manual checks not tied to a tab. */
  tabId: number | null;
  pageUrl: string;
  name: string;
  url: string | null;
  source: DocumentSource;
  bytes: Uint8Array;
  base64: string;
  /** Content-script documents get a marker token; extension-page checks do not. */
  wantsMarker: boolean;
}

/** Checks run one or two at a time: the offscreen document is one thread, the machine has two cores. */
const MAX_PARALLEL = 2;
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(run: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await run();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

let dbPromise: Promise<YanzhenDatabase> | null = null;
function db(): Promise<YanzhenDatabase> {
  dbPromise ??= openYanzhenDb();
  return dbPromise;
}

/** The document id: a hash of the bytes, so the same file under two URLs is one document. */
export async function documentId(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Manual checks with no tab are kept under this pseudo tab id (-1 is never a real tab). */
export const NO_TAB = -1;

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

export async function submitDocument(doc: SubmittedDocument): Promise<CheckAccepted> {
  const tabId = doc.tabId ?? NO_TAB;
  const id = await documentId(doc.bytes);
  const markerToken = doc.wantsMarker ? await issueMarkerToken(tabId, id) : null;
  const existing = (await readTab(tabId))?.documents.find((d) => d.id === id);
  // Same bytes already checked (or being checked) on this tab: one card, one history row.
  if (existing && doc.source !== 'manual-file' && doc.source !== 'paste' && doc.source !== 'camera')
    return { docId: id, markerToken };
  const { settings } = await loadSettings();
  const record = newRecord(id, doc, { state: 'checking', verdict: 'none', error: null });
  const tab = await putDocument(tabId, doc.pageUrl, record);
  // Not awaited: the content script waits for this answer before its next document.
  if (tabId !== NO_TAB) void drawToolbar(tabId, tab, settings.locale);
  const config: VerifierConfig = {
    registryUrl: settings.registryUrl,
    rootKeys: settings.rootKeys,
    region: settings.region,
  };
  void slot(async () => {
    let done: DocumentRecord;
    try {
      const result = await hostCheck(doc.base64, doc.name, config);
      done = { ...record, ...result, state: 'done', checkedAt: Date.now() };
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
    const after = await putDocument(tabId, doc.pageUrl, done);
    if (tabId !== NO_TAB) await drawToolbar(tabId, after, settings.locale);
    try {
      await addHistory(await db(), historyEntryFromRecord(done));
    } catch {
      // History is a convenience; a full disk must not hide the verdict.
    }
  });
  return { docId: id, markerToken };
}

/** Records a document that could not even be fetched (an `error` card with the reason), and returns its marker token. */
export async function recordUnreadable(
  doc: Omit<SubmittedDocument, 'bytes' | 'base64'>,
  error: { key: 'extension.error.fetchFailed'; params: { detail: string } },
): Promise<CheckAccepted> {
  const tabId = doc.tabId ?? NO_TAB;
  const id = await documentId(new TextEncoder().encode(`url:${doc.url ?? doc.name}`));
  const markerToken = doc.wantsMarker ? await issueMarkerToken(tabId, id) : null;
  const record = newRecord(id, doc, { state: 'done', verdict: 'error', error });
  const tab = await putDocument(tabId, doc.pageUrl, record);
  const { settings } = await loadSettings();
  if (tabId !== NO_TAB) await drawToolbar(tabId, tab, settings.locale);
  return { docId: id, markerToken };
}

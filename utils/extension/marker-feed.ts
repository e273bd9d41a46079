/**
 * Each marker frame hears of its own document only, over a port to the background, instead
 * of listening to `storage.session`: every listener there is handed the tab's whole
 * document list (old and new) on every write, so forty markers on one page turned each
 * check's few writes into forty copies of the list each, all on the extension's one main
 * thread, shared with the offscreen document (the 40-attachment page took 30 s, not 3).
 *
 * The background pushes a record when it differs from what that marker was last sent. The
 * port goes when the service worker stops; a marker whose document is still being checked
 * (or was interrupted, and may be checked again) connects again, which wakes the worker.
 */
import type { Browser } from 'wxt/browser';
import { browser } from 'wxt/browser';
import type { DocumentRecord, TabDocuments } from '../check/document-record.ts';
import { isInterrupted } from './interrupted-checks.ts';
import { classifySender } from './messages.ts';

export const MARKER_PORT = 'yanzhen-marker';

/** Marker → background: the document to follow (on the marker's own tab). */
export interface MarkerFollow {
  docId: string;
}
/** Background → marker: the document's record now (null: not on the tab). */
export interface MarkerUpdate {
  docId: string;
  record: DocumentRecord | null;
}

interface Watcher {
  port: Browser.runtime.Port;
  docId: string;
  /** What this marker was last sent (JSON), so unchanged records are not sent again. */
  last: string | null;
}

export interface MarkerFeed {
  /** Serves one marker's port (a `yanzhen-marker` connection). */
  serve(port: Browser.runtime.Port): void;
  /** Tells the markers of a tab what changed (call after every write of the tab). */
  tabStored(tab: TabDocuments): void;
}

/** The background's side; `readTab` gives a marker its document's record when it connects. */
export function createMarkerFeed(readTab: (tabId: number) => Promise<TabDocuments | null>): MarkerFeed {
  const byTab = new Map<number, Set<Watcher>>();

  const push = (watcher: Watcher, record: DocumentRecord | null) => {
    const json = JSON.stringify(record);
    if (json === watcher.last) return;
    watcher.last = json;
    try {
      watcher.port.postMessage({ docId: watcher.docId, record } satisfies MarkerUpdate);
    } catch {
      // The frame went away; its disconnect removes it.
    }
  };

  return {
    serve(port) {
      const sender = port.sender ?? {};
      // Not `new URL(...).origin`: outside a browser a chrome-extension: URL's origin is "null".
      const ownOrigin = browser.runtime.getURL('/').replace(/\/$/, '');
      const tabId = sender.tab?.id;
      // Only our marker frames, and only for documents of the tab they are shown in.
      if (classifySender(sender, browser.runtime.id, ownOrigin) !== 'marker' || tabId === undefined) {
        port.disconnect();
        return;
      }
      let watcher: Watcher | null = null;
      port.onMessage.addListener((raw: unknown) => {
        const docId = (raw as Partial<MarkerFollow> | null)?.docId;
        if (watcher || typeof docId !== 'string' || docId.length > 100) return;
        const added: Watcher = { port, docId, last: null };
        watcher = added;
        const set = byTab.get(tabId) ?? new Set();
        set.add(added);
        byTab.set(tabId, set);
        // A write pushed meanwhile is newer than this read: the read is sent only when nothing was.
        void readTab(tabId).then((tab) => {
          if (added.last === null) push(added, tab?.documents.find((d) => d.id === docId) ?? null);
        });
      });
      port.onDisconnect.addListener(() => {
        const set = byTab.get(tabId);
        if (watcher) set?.delete(watcher);
        if (set?.size === 0) byTab.delete(tabId);
      });
    },
    tabStored(tab) {
      const set = byTab.get(tab.tabId);
      if (!set) return;
      for (const watcher of set) {
        const record = tab.documents.find((d) => d.id === watcher.docId);
        // A new page dropped the document: its marker keeps what it showed.
        if (record) push(watcher, record);
      }
    },
  };
}

/** Whether a marker still needs to hear of its document when its port goes. */
function stillFollowing(record: DocumentRecord | null): boolean {
  return record === null || record.state !== 'done' || isInterrupted(record);
}

const RECONNECT_MS = 500;
const FOLLOW_FOR_MS = 10 * 60_000;

/**
 * The marker's side: calls `onRecord` with each record the background sends for `docId`;
 * connects again when the port goes while the document is not yet done (for ten minutes).
 */
export function followMarkerRecord(
  docId: string,
  current: () => DocumentRecord | null,
  onRecord: (record: DocumentRecord) => void,
): void {
  const giveUpAt = Date.now() + FOLLOW_FOR_MS;
  const connect = () => {
    let port: Browser.runtime.Port;
    try {
      port = browser.runtime.connect({ name: MARKER_PORT });
    } catch {
      return; // The extension was reloaded: this frame is about to go.
    }
    port.onMessage.addListener((raw: unknown) => {
      const update = raw as Partial<MarkerUpdate> | null;
      if (update?.docId === docId && update.record) onRecord(update.record);
    });
    port.onDisconnect.addListener(() => {
      if (stillFollowing(current()) && Date.now() < giveUpAt) setTimeout(connect, RECONNECT_MS);
    });
    port.postMessage({ docId } satisfies MarkerFollow);
  };
  connect();
}

/**
 * Scans once, then watches: a MutationObserver for single-page portals (debounced, so a
 * busy page costs one rescan per burst), image `load` events (a preview's size is known
 * only once loaded), file inputs and drops. Every listener is tied to the context's
 * AbortSignal and stops when the extension is updated or disabled.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { DocumentSource } from '../../utils/check/document-record.ts';
import { type DiscoveredDocument, isDocumentFile, isSameOrigin } from '../../utils/extension/document-discovery.ts';
import { type CheckAccepted, MAX_DOCUMENT_BYTES, sendMessage } from '../../utils/extension/messages.ts';
import { BytesSender } from './bytes-sender.ts';
import { mountMarker } from './marker-mount.ts';
import { yieldToPage } from './yield.ts';

const RESCAN_DEBOUNCE_MS = 400;
const PARALLEL_DOCUMENTS = 2;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function startDiscovery(ctx: ContentScriptContext, discover: () => DiscoveredDocument[]): void {
  const signal = ctx.signal;
  const sender = new BytesSender(signal);
  const seenUrls = new Set<string>();
  const seenHashes = new Set<string>();
  const markers = new Map<Element, () => void>();
  const queue: (() => Promise<void>)[] = [];
  let draining = 0;

  // Two documents in flight: one is read and sent while the background answers for the
  // other. Each step is small and yields, so two do not make a long task.
  const drain = async () => {
    if (draining >= PARALLEL_DOCUMENTS) return;
    draining++;
    try {
      while (queue.length > 0 && !signal.aborted) {
        try {
          await queue.shift()?.();
        } catch {
          // One unreadable file (a File that vanished, a refused port) must not stop the rest.
        }
        await yieldToPage();
      }
    } finally {
      draining--;
    }
  };
  const enqueue = (job: () => Promise<void>) => {
    queue.push(job);
    void drain();
  };

  const place = (anchor: Element, accepted: CheckAccepted | null) => {
    if (!accepted?.markerToken || signal.aborted || !anchor.isConnected) return;
    markers.get(anchor)?.();
    markers.set(anchor, mountMarker(ctx, anchor, accepted.markerToken));
  };

  const sendBytes = async (
    anchor: Element,
    bytes: Uint8Array,
    meta: { name: string; url: string | null; source: DocumentSource },
  ) => {
    if (bytes.length === 0 || bytes.length > MAX_DOCUMENT_BYTES) return;
    const sha256 = await sha256Hex(bytes);
    if (seenHashes.has(sha256)) return;
    seenHashes.add(sha256);
    const accepted = await sender.send({ ...meta, pageUrl: location.href, sha256, size: bytes.length }, bytes);
    place(anchor, accepted);
  };

  const checkFound = async (found: DiscoveredDocument) => {
    if (isSameOrigin(found.url, location.origin)) {
      // Same origin: the page's own cookies come along, as when the officer opens the file.
      let bytes: Uint8Array;
      try {
        const response = await fetch(found.url, { credentials: 'include', signal });
        if (!response.ok) return;
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch {
        return;
      }
      await sendBytes(found.element, bytes, { name: found.name, url: found.url, source: found.source });
    } else {
      try {
        const accepted = await sendMessage('check.url', {
          url: found.url,
          name: found.name,
          source: found.source,
          pageUrl: location.href,
        });
        place(found.element, accepted);
      } catch {
        // The extension was reloaded; the context is about to be invalidated.
      }
    }
  };

  const pagePath = () => location.href.split('#')[0];
  let firstScan = true;
  let scannedPath = pagePath();
  const scan = () => {
    if (signal.aborted) return;
    if (pagePath() !== scannedPath) {
      // A single-page portal moved to another path (pushState): the background dropped this
      // tab's results (tabs.onUpdated), so what is still on the page is checked again.
      scannedPath = pagePath();
      firstScan = true;
      seenUrls.clear();
      seenHashes.clear();
      for (const remove of markers.values()) remove();
      markers.clear();
    }
    const found = discover();
    if (firstScan) {
      firstScan = false;
      void sendMessage('page.scanned', { pageUrl: location.href, candidates: found.length }).catch(() => undefined);
    }
    for (const doc of found) {
      if (seenUrls.has(doc.url)) continue;
      seenUrls.add(doc.url);
      enqueue(() => checkFound(doc));
    }
  };

  let timer: number | null = null;
  const rescanSoon = () => {
    if (timer !== null || signal.aborted) return;
    timer = ctx.setTimeout(() => {
      timer = null;
      scan();
    }, RESCAN_DEBOUNCE_MS);
  };

  const onFiles = (target: Element, files: Iterable<File>, source: 'upload' | 'drop') => {
    for (const file of files) {
      if (!isDocumentFile(file) || file.size > MAX_DOCUMENT_BYTES) continue;
      enqueue(async () => {
        const bytes = new Uint8Array(await file.arrayBuffer());
        await sendBytes(target, bytes, { name: file.name, url: null, source });
      });
    }
  };

  scan();
  const observer = new MutationObserver((records) => {
    // Our own marker hosts are mutations too; ignore bursts made only of them.
    if (records.every((r) => [...r.addedNodes].every((n) => n.nodeName === 'YANZHEN-MARKER'))) return;
    rescanSoon();
  });
  observer.observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['src', 'href', 'data'],
  });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    for (const remove of markers.values()) remove();
  });
  // pushState changes no DOM by itself; the Navigation API (Chrome 102+) reports it.
  const navigation = (globalThis as unknown as { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('navigatesuccess', rescanSoon, { signal });
  window.addEventListener('popstate', rescanSoon, { signal });
  document.addEventListener(
    'load',
    (event) => {
      if (event.target instanceof HTMLImageElement) rescanSoon();
    },
    { capture: true, signal },
  );
  document.addEventListener(
    'change',
    (event) => {
      const input = event.target;
      if (input instanceof HTMLInputElement && input.type === 'file' && input.files)
        onFiles(input, input.files, 'upload');
    },
    { capture: true, signal },
  );
  document.addEventListener(
    'drop',
    (event) => {
      const files = event.dataTransfer?.files;
      if (files && files.length > 0 && event.target instanceof Element) onFiles(event.target, files, 'drop');
    },
    { capture: true, signal },
  );
}

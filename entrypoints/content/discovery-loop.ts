/**
 * Scans once, then watches: a MutationObserver for single-page portals (debounced, so a
 * busy page costs one rescan per burst), image `load` events (a preview's size is known
 * only once loaded), file inputs and drops. Runs in every frame of an enabled site; the
 * about:blank and srcdoc frames a page writes into itself are read from here (same origin,
 * no script of their own before Chrome 119). Every listener is tied to the context's
 * AbortSignal and stops when the extension is updated or disabled.
 *
 * What it reads: a file's own bytes where it can fetch them (same origin, with the page's
 * cookies, as when the officer opens it); the decoded pixels of an image it can no longer
 * fetch (a revoked `blob:` URL) and of letter-sized canvases; for links that only look like
 * attachments, the response's first bytes decide (see read-response.ts). Nothing but GET.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { DocumentSource } from '../../utils/check/document-record.ts';
import {
  type DiscoveredDocument,
  findDocuments,
  frameOrigins,
  isDocumentFile,
  isSameOrigin,
  viewerFileOf,
} from '../../utils/extension/document-discovery.ts';
import { isOwnMarkerHost, removeOldMarkers } from '../../utils/extension/marker-host.ts';
import { type CheckAccepted, MAX_DOCUMENT_BYTES, onMessages, sendMessage } from '../../utils/extension/messages.ts';
import { readDocumentResponse } from '../../utils/extension/read-response.ts';
import { knownLocale } from '../../utils/extension/settings-storage.ts';
import { tExtension } from '../../utils/i18n/extension-strings.ts';
import { DEFAULT_LOCALE, type Locale } from '../../utils/i18n/locales.ts';
import { BytesSender } from './bytes-sender.ts';
import { watchExtension } from './extension-watch.ts';
import { createMarkerPlacement, type PlacedMarker } from './marker-placement.ts';
import { canvasPng, imagePng } from './page-pixels.ts';
import { PaintedScan } from './painted-scan.ts';
import { yieldToPage } from './yield.ts';

const RESCAN_DEBOUNCE_MS = 400;
/**
 * Documents read and handed over at once. Their chunks still go one document at a time (the
 * page never holds two documents' base64); the rest is waiting for the background's answer,
 * and with only two waiting, a page of forty attachments went in two by two behind it.
 */
const PARALLEL_DOCUMENTS = 4;
/** A canvas still blank is looked at again after these waits (viewers and portals draw late, after their own fetches). */
const CANVAS_RETRY_MS = [600, 1200, 2400, 4800, 9600];
/** Links read only to learn whether they are documents: at most this many per page. */
const MAX_PROBES = 40;
const PROGRESS_DEBOUNCE_MS = 300;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The about:blank / srcdoc documents inside `doc` (same origin, so readable), nested ones too. */
function writtenFrames(doc: Document, depth = 0): Document[] {
  if (depth > 3) return [];
  const out: Document[] = [];
  for (const frame of doc.querySelectorAll('iframe, frame')) {
    let inner: Document | null = null;
    try {
      inner = (frame as HTMLIFrameElement).contentDocument;
    } catch {
      inner = null;
    }
    // http(s) frames of an enabled origin run their own copy of this script.
    if (!inner || !/^about:(blank|srcdoc)$/.test(inner.URL)) continue;
    out.push(inner, ...writtenFrames(inner, depth + 1));
  }
  return out;
}

export function startDiscovery(
  ctx: ContentScriptContext,
  discover: (doc: Document) => DiscoveredDocument[] = findDocuments,
): void {
  const signal = ctx.signal;
  const sender = new BytesSender(signal);
  const isTop = window === window.top;
  // A viewer page (`viewer.html?file=…`): the file is read, not the canvases it is drawn into.
  const ownViewerFile = viewerFileOf(location.href);
  const seenUrls = new Set<string>();
  const seenHashes = new Set<string>();
  const readCanvases = new WeakSet<HTMLCanvasElement>();
  const markers = new Map<Element, PlacedMarker>();
  const placeMarker = createMarkerPlacement(ctx);
  // From the first marker: the watch for the extension going away, and the words its markers
  // will then show, read while the extension is there to ask (once gone, its storage is too).
  let locale: Locale = DEFAULT_LOCALE;
  let watching = false;
  const watchFromFirstMarker = () => {
    if (watching) return;
    watching = true;
    knownLocale().then(
      (known) => {
        locale = known;
      },
      () => undefined,
    );
    watchExtension(ctx);
  };
  const queue: (() => Promise<void>)[] = [];
  const painted = new Map<Document, PaintedScan>();
  const watched = new WeakSet<Document>();
  let inFlight = 0;
  let probes = 0;

  // --- progress: how many found documents are not yet handed over (the toolbar counts them).
  let reported = -1;
  let firstReport = true;
  let progressTimer: number | null = null;
  const outstanding = () => queue.length + inFlight;
  const report = (candidates: number) => {
    reported = outstanding();
    const origins = [document, ...writtenFrames(document)].flatMap((d) => frameOrigins(d));
    void sendMessage('page.scanned', {
      pageUrl: location.href,
      candidates,
      pending: reported,
      frameOrigins: [...new Set(origins)],
    }).catch(() => undefined);
  };
  const reportSoon = () => {
    if (progressTimer !== null || signal.aborted) return;
    progressTimer = ctx.setTimeout(() => {
      progressTimer = null;
      if (outstanding() !== reported) report(outstanding());
    }, PROGRESS_DEBOUNCE_MS);
  };

  // Several documents in flight: one is read and sent while the background answers for the
  // others. Each step is small and yields, so they do not make a long task.
  let draining = 0;
  const drain = async () => {
    if (draining >= PARALLEL_DOCUMENTS) return;
    draining++;
    try {
      while (queue.length > 0 && !signal.aborted) {
        const job = queue.shift();
        inFlight++;
        try {
          await job?.();
        } catch {
          // One unreadable file (a File that vanished, a refused port) must not stop the rest.
        } finally {
          inFlight--;
          reportSoon();
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

  const place = (anchor: Element | null, accepted: CheckAccepted | null) => {
    if (!anchor || !accepted?.markerToken || signal.aborted || !anchor.isConnected) return;
    watchFromFirstMarker();
    markers.get(anchor)?.remove();
    markers.set(anchor, placeMarker(anchor, accepted.markerToken));
  };

  const sendBytes = async (
    anchor: Element | null,
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

  /** One GET with the page's cookies; for a probe, kept only if its first bytes are a document's. */
  const readSameOrigin = async (url: string, probe: boolean) => {
    const response = await fetch(url, { credentials: 'include', signal });
    if (probe) {
      const read = await readDocumentResponse(response, { maxBytes: MAX_DOCUMENT_BYTES });
      return read.ok ? { bytes: read.bytes, name: read.name } : null;
    }
    if (!response.ok) return null;
    return { bytes: new Uint8Array(await response.arrayBuffer()), name: null };
  };

  const checkFound = async (found: DiscoveredDocument) => {
    if (isSameOrigin(found.url, location.origin)) {
      let read: { bytes: Uint8Array; name: string | null } | null = null;
      try {
        read = await readSameOrigin(found.url, found.probe === true);
      } catch {
        read = null;
      }
      if (read) {
        await sendBytes(found.element, read.bytes, {
          name: read.name ?? found.name,
          url: found.url,
          source: found.source,
        });
        return;
      }
      // The URL no longer answers (a revoked blob: URL, a single-use token), but the page
      // still shows the image: read what it shows.
      if (found.element.tagName === 'IMG') {
        const pixels = await imagePng(found.element as HTMLImageElement);
        if (pixels) await sendBytes(found.element, pixels, { name: found.name, url: found.url, source: 'img' });
      }
      return;
    }
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
  };

  let canvasRetries = 0;
  let canvasTimer: number | null = null;
  const checkCanvas = async (canvas: HTMLCanvasElement) => {
    const read = await canvasPng(canvas);
    if (read.state === 'blank') {
      readCanvases.delete(canvas);
      const wait = CANVAS_RETRY_MS[canvasRetries];
      if (canvasTimer === null && wait !== undefined && !signal.aborted) {
        canvasRetries++;
        canvasTimer = ctx.setTimeout(() => {
          canvasTimer = null;
          scan();
        }, wait);
      }
      return;
    }
    if (read.state !== 'read') return;
    const name = canvas.getAttribute('aria-label')?.trim() || canvas.getAttribute('title')?.trim() || 'canvas.png';
    await sendBytes(canvas, read.bytes, { name: name.slice(0, 200), url: null, source: 'canvas' });
  };

  const take = (doc: DiscoveredDocument) => {
    if (seenUrls.has(doc.url)) return false;
    if (doc.probe) {
      if (probes >= MAX_PROBES) return false;
      probes++;
    }
    seenUrls.add(doc.url);
    enqueue(() => checkFound(doc));
    return true;
  };

  const pagePath = () => location.href.split('#')[0];
  let scannedPath = pagePath();
  let paintedRunning = false;
  const scanPainted = async (docs: Document[]) => {
    if (paintedRunning) return;
    paintedRunning = true;
    try {
      for (const doc of docs) {
        let walker = painted.get(doc);
        if (!walker) {
          walker = new PaintedScan(doc);
          painted.set(doc, walker);
        }
        const { backgrounds, canvases } = await walker.run(signal);
        for (const found of backgrounds) take(found);
        if (ownViewerFile) continue;
        for (const canvas of canvases) {
          if (readCanvases.has(canvas)) continue;
          readCanvases.add(canvas);
          enqueue(() => checkCanvas(canvas));
        }
      }
    } finally {
      paintedRunning = false;
      reportSoon();
    }
  };

  const scan = () => {
    if (signal.aborted) return;
    if (pagePath() !== scannedPath) {
      // A single-page portal moved to another path (pushState): the background dropped this
      // tab's results (tabs.onUpdated), so what is still on the page is checked again.
      scannedPath = pagePath();
      firstReport = true;
      probes = 0;
      seenUrls.clear();
      seenHashes.clear();
      for (const marker of markers.values()) marker.remove();
      markers.clear();
      for (const walker of painted.values()) walker.restart();
    }
    const docs = [document, ...writtenFrames(document)];
    for (const doc of docs) watch(doc);
    const found = docs.flatMap((doc) => discover(doc));
    if (isTop && ownViewerFile)
      found.push({
        url: ownViewerFile,
        name: decodeURIComponent(new URL(ownViewerFile).pathname.split('/').pop() || 'document.pdf'),
        source: 'embed',
        element: document.body?.firstElementChild ?? document.documentElement,
      });
    for (const doc of found) take(doc);
    if (firstReport) {
      firstReport = false;
      report(found.length);
    } else reportSoon();
    void scanPainted(docs);
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
    reportSoon();
  };

  const observers: MutationObserver[] = [];
  /** Watches one document (the page's own, or a frame it wrote) for changes, loads, files and drops. */
  function watch(doc: Document) {
    if (watched.has(doc)) return;
    watched.add(doc);
    const observer = new MutationObserver((records) => {
      // Our own marker hosts are mutations too; ignore bursts made only of them.
      if (records.every((r) => [...r.addedNodes].every(isOwnMarkerHost))) return;
      rescanSoon();
    });
    observer.observe(doc.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['src', 'href', 'data', 'style', 'srcdoc', 'width', 'height'],
    });
    observers.push(observer);
    doc.addEventListener(
      'load',
      (event) => {
        const tag = (event.target as Element | null)?.tagName;
        if (tag === 'IMG' || tag === 'IFRAME' || tag === 'FRAME') rescanSoon();
      },
      { capture: true, signal },
    );
    doc.addEventListener(
      'change',
      (event) => {
        const input = event.target as HTMLInputElement | null;
        if (input?.tagName === 'INPUT' && input.type === 'file' && input.files) onFiles(input, input.files, 'upload');
      },
      { capture: true, signal },
    );
    doc.addEventListener(
      'drop',
      (event) => {
        const files = event.dataTransfer?.files;
        const target = event.target as Element | null;
        if (files && files.length > 0 && target?.nodeType === 1) onFiles(target, files, 'drop');
      },
      { capture: true, signal },
    );
  }

  // The background names downloads the user made from this site (downloads API): read them
  // as the page would, with its cookies, its own blob: URLs included.
  if (isTop)
    onMessages(
      {
        'download.check': async ({ url, name }) => {
          if (!isSameOrigin(url, location.origin) || seenUrls.has(url)) return { ok: false };
          seenUrls.add(url);
          enqueue(async () => {
            let read: { bytes: Uint8Array; name: string | null } | null = null;
            try {
              read = await readSameOrigin(url, true);
            } catch {
              read = null;
            }
            if (!read) return;
            const anchor = document.querySelector(
              `a[href="${CSS.escape(new URL(url).pathname + new URL(url).search)}"]`,
            );
            await sendBytes(anchor, read.bytes, { name: read.name ?? name, url, source: 'download' });
          });
          reportSoon();
          return { ok: true };
        },
      },
      signal,
    );

  // An earlier copy's markers (its extension crashed or was updated): this copy checks the
  // page again and draws its own.
  for (const doc of [document, ...writtenFrames(document)]) removeOldMarkers(doc);
  scan();
  // Files dropped on the page before this script was loaded (the first look kept them).
  const scope = globalThis as unknown as { __yanzhenDrops?: { target: Element; files: File[] }[] };
  const drops = scope.__yanzhenDrops;
  scope.__yanzhenDrops = undefined;
  for (const drop of drops ?? []) onFiles(drop.target, drop.files, 'drop');
  signal.addEventListener('abort', () => {
    for (const observer of observers) observer.disconnect();
    // Still there: a newer copy of this script took over (activeTab, or the new version after
    // an update) and draws its own markers. Gone: crashed, disabled or removed, and each
    // marker frame died with it, so each marker says so instead.
    const extensionGone = browser.runtime?.id == null;
    const notice = { text: tExtension(locale, 'extension.marker.stopped'), lang: locale };
    for (const marker of markers.values()) {
      if (extensionGone) marker.showStopped(notice);
      else marker.remove();
    }
  });
  // pushState changes no DOM by itself; the Navigation API (Chrome 102+) reports it.
  const navigation = (globalThis as unknown as { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('navigatesuccess', rescanSoon, { signal });
  window.addEventListener('popstate', rescanSoon, { signal });
}

// The offscreen document (Chrome): answers only the background, never a page or content script.
// Checks arrive from the service worker as structured-clone messages with the bytes moved
// (no base64), or, as a fallback, as a runtime message carrying base64; either way pages done
// and the result go back to the service worker with the job it sent.
import {
  base64ToBytes,
  type OffscreenCheckEvent,
  type OffscreenCheckRequest,
  type OffscreenCheckResult,
  onMessages,
  type VerifierConfig,
} from '../../utils/extension/messages.ts';
import { checkErrorResult } from '../../utils/extension/offscreen-checks.ts';
import { PRIORITY, type Priority } from '../../utils/extension/reader-pool.ts';
import { holdsAt, parseTestFaultPlan, TEST_FAULT_STORAGE_KEY } from '../../utils/extension/test-fault-point.ts';
import { readerPool } from './reader-slots.ts';
import { refreshRegistry, registryState, runCheck } from './verifier-runtime.ts';

function priorityOf(value: unknown): Priority {
  return value === PRIORITY.manual || value === PRIORITY.visible ? value : PRIORITY.background;
}

/** True only in the test build (wxt.config.ts): the store build drops every use below. */
declare const __YANZHEN_TEST_HOOKS__: boolean;

/**
 * Test builds only: whether the check of `name` is held here, with `pagesRead` of its pages
 * read (utils/extension/test-fault-point.ts). A held check says nothing more until the test
 * disarms the plan; the names held are `globalThis.yanzhenHeld`, where the fault test's
 * watcher finds them over DevTools to close or crash this document with the check in it.
 */
function planHolds(name: string, pagesRead: number): boolean {
  return holdsAt(parseTestFaultPlan(localStorage.getItem(TEST_FAULT_STORAGE_KEY)), name, pagesRead);
}
const heldNames: string[] = [];
function holds(name: string, pagesRead: number): boolean {
  if (!planHolds(name, pagesRead)) return false;
  heldNames.push(name);
  (globalThis as { yanzhenHeld?: string[] }).yanzhenHeld = heldNames;
  return true;
}
/** Resolves once the plan no longer holds `name` at `pagesRead` (looked at every 100 ms). */
function released(name: string, pagesRead: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (planHolds(name, pagesRead)) return;
      clearInterval(timer);
      heldNames.splice(heldNames.indexOf(name), 1);
      resolve();
    }, 100);
  });
}

async function check(
  bytes: Uint8Array,
  request: { id: string; fileName: string; config: VerifierConfig; priority: unknown; job: unknown },
  tell: (event: OffscreenCheckEvent) => void,
): Promise<OffscreenCheckResult> {
  const { id, job } = request;
  const name = String(request.fileName);
  // Every use of the fault point is behind the flag itself, so the store build drops them all.
  if (__YANZHEN_TEST_HOOKS__ && holds(name, 0)) await released(name, 0);
  let heldAt: number | null = null;
  const result = runCheck(bytes, name, request.config, {
    priority: priorityOf(request.priority),
    onProgress: ({ page, pages }) => {
      if (__YANZHEN_TEST_HOOKS__ && heldAt === null && page > 0 && holds(name, page)) heldAt = page;
      if (heldAt === null) tell({ yz: 1, kind: 'progress', id, job, page, pages });
    },
  });
  if (!__YANZHEN_TEST_HOOKS__) return result;
  const answer = await result;
  if (heldAt !== null) await released(name, heldAt);
  return answer;
}

/** The service worker that posts to us, for replies (posting to it wakes it if it was stopped). */
function toWorker(source: MessageEventSource | null): (event: OffscreenCheckEvent) => void {
  return (event) => {
    if (source) (source as ServiceWorker).postMessage(event);
    else void navigator.serviceWorker?.ready.then((registration) => registration.active?.postMessage(event));
  };
}

/** How documents arrived: by transfer or as base64, with the bytes and hand-over time (bench figures). */
const arrivals = { transfer: { count: 0, bytes: 0, ms: 0 }, base64: { count: 0, bytes: 0, ms: 0 } };
(globalThis as { yanzhenArrivals?: unknown }).yanzhenArrivals = arrivals;

navigator.serviceWorker?.addEventListener('message', (event: MessageEvent<OffscreenCheckRequest>) => {
  const request = event.data;
  // Only our own service worker can post here (same origin), but the shape is still checked.
  if (!(event.source instanceof ServiceWorker) || request?.yz !== 1 || request.kind !== 'check') return;
  if (!(request.bytes instanceof ArrayBuffer)) return;
  arrivals.transfer.count++;
  arrivals.transfer.bytes += request.bytes.byteLength;
  arrivals.transfer.ms += Math.max(0, Date.now() - Number(request.sentAt));
  const tell = toWorker(event.source);
  // Received: the host takes a check never acknowledged for lost (posted to a dying document).
  tell({ yz: 1, kind: 'accepted', id: request.id, job: request.job });
  // A check that throws is answered too: unanswered, its card would say "checking" for good.
  void check(new Uint8Array(request.bytes), request, tell)
    .catch((error: unknown) => checkErrorResult({ key: 'extension.error.internal', params: { detail: String(error) } }))
    .then((result) => tell({ yz: 1, kind: 'result', id: request.id, job: request.job, result }));
});
// Messages from the service worker are held until this is called (or the document has loaded).
navigator.serviceWorker?.startMessages();

onMessages({
  'offscreen.check': async (request) => {
    const started = performance.now();
    const bytes = base64ToBytes(request.base64);
    arrivals.base64.count++;
    arrivals.base64.bytes += bytes.length;
    arrivals.base64.ms += performance.now() - started;
    return check(bytes, request, toWorker(null));
  },
  'offscreen.refresh': ({ config }) => refreshRegistry(config),
  'offscreen.registryState': ({ config }) => registryState(config),
});

// Start the readers now (the first document should not wait for them), and say which kind
// runs: a test reads this through the DevTools protocol; no web page can reach this global.
void readerPool().then(({ mode }) => {
  (globalThis as { yanzhenReaderMode?: unknown }).yanzhenReaderMode = mode;
});

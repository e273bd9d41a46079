/**
 * Where documents are decoded and verified: the offscreen document in Chrome (a service
 * worker cannot run pdf.js or zxing's wasm comfortably and has no DOM), the background page
 * itself in Firefox (no offscreen API there).
 */
import { browser } from 'wxt/browser';
import {
  bytesToBase64,
  type OffscreenCheckEvent,
  type OffscreenCheckRequest,
  type OffscreenCheckResult,
  type RegistryState,
  sendMessage,
  type VerifierConfig,
} from '../../utils/extension/messages.ts';
import {
  CHECK_WAITERS_TIMING,
  createCheckWaiters,
  createRetryingCheck,
  ReaderGoneError,
} from '../../utils/extension/offscreen-checks.ts';
import { type OffscreenApiLike, offscreenOpener, type RuntimeLike } from '../../utils/extension/offscreen-support.ts';
import type { Priority } from '../../utils/extension/reader-pool.ts';

const OFFSCREEN_URL = '/offscreen.html';

/**
 * Creates the offscreen document once; on Chromium 109–115 (no runtime.getContexts, no
 * WORKERS reason) too: see offscreenOpener and the browsers table in the README.
 */
export const ensureOffscreen = offscreenOpener(
  () => browser.runtime as unknown as RuntimeLike,
  () => (browser as unknown as { offscreen?: OffscreenApiLike }).offscreen,
  {
    path: OFFSCREEN_URL,
    url: () => browser.runtime.getURL(OFFSCREEN_URL),
    reasons: ['WORKERS', 'BLOBS'],
    justification: 'Decode QR codes in documents (zxing WebAssembly, pdf.js worker) away from web pages.',
  },
);

/** Chromium's words when a message reached a listener whose document then went away. */
function diedAfterDelivery(error: unknown): boolean {
  return /closed before a response was received/i.test(error instanceof Error ? error.message : String(error));
}

/**
 * Sends to the offscreen document, retrying while its listener is not yet registered. A
 * message that was delivered and whose document then died is not sent again here (that
 * would re-run a document that kills the reader, up to 40 times): ReaderGoneError.
 */
async function toOffscreen<T>(send: () => Promise<T | undefined>): Promise<T> {
  await ensureOffscreen();
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const answer = await send();
      if (answer !== undefined) return answer;
    } catch (error) {
      if (diedAfterDelivery(error)) throw new ReaderGoneError(String(error));
      lastError = error;
      await ensureOffscreen();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw lastError instanceof Error ? lastError : new Error('The offscreen document did not answer');
}

async function firefoxRuntime() {
  return import('../offscreen/verifier-runtime.ts');
}

/** What a check is for: echoed back by the offscreen document with every event. */
export interface HostCheckOptions<Job> {
  priority: Priority;
  job: Job;
  onProgress?: (progress: { page: number; pages: number }) => void;
}

let orphanHandler: ((job: unknown, event: OffscreenCheckEvent) => void) | null = null;

/**
 * Who finishes a check whose service worker died while it ran: the offscreen document's
 * events then reach a fresh worker that has no promise waiting, only the job they carry.
 */
export function onOrphanCheckEvent(handler: (job: unknown, event: OffscreenCheckEvent) => void): void {
  orphanHandler = handler;
}

/**
 * The checks posted to the offscreen document. The document's own watchdog ends every file
 * (reader-pool.ts); these end a check whose document went away (closed by the browser,
 * crashed), never acknowledged it (posted to a document that was dying), or stopped
 * answering (then it is closed): each with ReaderGoneError, which hostCheck retries once.
 */
const waiters = createCheckWaiters(
  {
    documents: async () => (await offscreenClients()).map((c) => c.id),
    now: () => Date.now(),
    every: (ms, tick) => {
      const timer = setInterval(tick, ms);
      return () => clearInterval(timer);
    },
    onOrphan: (event) => orphanHandler?.(event.job, event),
    onQuiet: () => {
      const api = (browser as unknown as { offscreen?: { closeDocument?(): Promise<void> } }).offscreen;
      void api?.closeDocument?.().catch(() => undefined);
    },
  },
  CHECK_WAITERS_TIMING,
);

interface WorkerScope {
  clients: { matchAll(options: { includeUncontrolled: boolean; type: string }): Promise<ClientLike[]> };
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
interface ClientLike {
  id: string;
  url: string;
  postMessage(message: unknown, transfer: Transferable[]): void;
}
const workerScope = (globalThis as { clients?: unknown }).clients ? (globalThis as unknown as WorkerScope) : null;

// Registered while the service worker script is first evaluated, as the platform requires
// of event listeners. Only our own pages can post to our service worker (same origin); of
// those, only the offscreen document's check events are taken.
workerScope?.addEventListener('message', (event: MessageEvent) => {
  const source = event.source as { url?: string } | null;
  if (!source?.url || source.url !== browser.runtime.getURL(OFFSCREEN_URL)) return;
  const data = event.data as OffscreenCheckEvent | null;
  if (data?.yz !== 1 || typeof data.id !== 'string') return;
  if (data.kind !== 'accepted' && data.kind !== 'progress' && data.kind !== 'result') return;
  waiters.receive(data);
});

/** The offscreen documents that are clients of this service worker (one; two while a dead one is still listed). */
async function offscreenClients(): Promise<ClientLike[]> {
  if (!workerScope) return [];
  const url = browser.runtime.getURL(OFFSCREEN_URL);
  const all = await workerScope.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  return all.filter((c) => c.url === url);
}

/**
 * The offscreen document to post to: only when it is the one listed. While a closed one is
 * still listed beside its successor, which is which cannot be told, and a check posted to the
 * dead one would be lost: the caller waits a moment and asks again.
 */
async function offscreenClient(): Promise<ClientLike | null> {
  const clients = await offscreenClients();
  return clients.length === 1 ? (clients[0] ?? null) : null;
}

let checkCounter = 0;

/** One retry per check whose reader was lost, one retry at a time (offscreen-checks.ts). */
const retryingCheck = createRetryingCheck();

/**
 * Checks one document in the offscreen document. The bytes' buffer is moved there (it is
 * unusable here afterwards) by `Client.postMessage`; only when the offscreen document is not
 * reachable as a client do they go as base64 in a runtime message.
 *
 * When the offscreen document dies with the check in it (a file that makes it run out of
 * memory, the browser closing it), the check is sent once more, from a copy kept for that,
 * to a fresh document; a second loss ends it with `extension.error.readerCrashed`, never a
 * third try: a file that kills the reader every time must not crash-loop it.
 */
export async function hostCheck<Job>(
  bytes: Uint8Array,
  fileName: string,
  config: VerifierConfig,
  options: HostCheckOptions<Job>,
): Promise<OffscreenCheckResult> {
  if (import.meta.env.FIREFOX)
    return (await firefoxRuntime()).runCheck(bytes, fileName, config, {
      priority: options.priority,
      onProgress: options.onProgress,
    });
  return retryingCheck(bytes, (attempt) => postCheck(attempt, fileName, config, options));
}

/** One attempt: the check posted to the offscreen document as it is now. */
async function postCheck<Job>(
  bytes: Uint8Array,
  fileName: string,
  config: VerifierConfig,
  options: HostCheckOptions<Job>,
): Promise<OffscreenCheckResult> {
  await ensureOffscreen();
  const id = `c${Date.now().toString(36)}-${++checkCounter}`;
  const result = waiters.wait(id, options.onProgress);
  let client: ClientLike | null = null;
  for (let attempt = 0; attempt < 20 && !client; attempt++) {
    client = await offscreenClient();
    if (!client) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (client) {
    const buffer =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : bytes.slice().buffer;
    const request: OffscreenCheckRequest = {
      yz: 1,
      kind: 'check',
      id,
      bytes: buffer,
      fileName,
      config,
      priority: options.priority,
      job: options.job,
      sentAt: Date.now(),
    };
    waiters.posted(id, client.id);
    try {
      client.postMessage(request, [buffer]);
    } catch (error) {
      waiters.forget(id);
      result.catch(() => undefined);
      throw error;
    }
    return result;
  }
  // Not a client yet: by runtime message, which answers itself; the waiter routes its progress
  // events, and ends it should the document stop answering (a runtime message would wait).
  const base64 = bytesToBase64(bytes);
  try {
    return await Promise.race([
      result,
      toOffscreen(() =>
        sendMessage('offscreen.check', { base64, fileName, config, id, priority: options.priority, job: options.job }),
      ),
    ]);
  } finally {
    waiters.forget(id);
    result.catch(() => undefined);
  }
}

export async function hostRefresh(config: VerifierConfig): Promise<RegistryState> {
  if (import.meta.env.FIREFOX) return (await firefoxRuntime()).refreshRegistry(config);
  return toOffscreen(() => sendMessage('offscreen.refresh', { config }));
}

export async function hostRegistryState(config: VerifierConfig): Promise<RegistryState> {
  if (import.meta.env.FIREFOX) return (await firefoxRuntime()).registryState(config);
  return toOffscreen(() => sendMessage('offscreen.registryState', { config }));
}

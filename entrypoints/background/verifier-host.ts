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

/**
 * The offscreen document holding a check went away (closed by the browser, crashed) before
 * answering. Its bytes went with it; hostCheck tries once more, then ends the check.
 */
export class ReaderGoneError extends Error {}

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

interface Pending {
  /** The offscreen document (its client id) the check was posted to; null when sent by message. */
  clientId: string | null;
  resolve: (result: OffscreenCheckResult) => void;
  fail: (error: Error) => void;
  onProgress?: (progress: { page: number; pages: number }) => void;
}
const pending = new Map<string, Pending>();
let orphanHandler: ((job: unknown, event: OffscreenCheckEvent) => void) | null = null;

/**
 * Who finishes a check whose service worker died while it ran: the offscreen document's
 * events then reach a fresh worker that has no promise waiting, only the job they carry.
 */
export function onOrphanCheckEvent(handler: (job: unknown, event: OffscreenCheckEvent) => void): void {
  orphanHandler = handler;
}

/**
 * The offscreen document's own watchdog ends every document (reader-pool.ts); this one is
 * for the document itself going away (closed by the browser, crashed): when checks are
 * pending and it has said nothing about any of them for this long, they end with an error.
 */
const SILENCE_MS = 150_000;
let silenceTimer: ReturnType<typeof setTimeout> | null = null;
function watchSilence(): void {
  watchLiveness();
  if (silenceTimer) clearTimeout(silenceTimer);
  silenceTimer = null;
  if (pending.size === 0) return;
  silenceTimer = setTimeout(() => {
    for (const [id, waiter] of pending) {
      pending.delete(id);
      waiter.fail(new Error('the offscreen document stopped answering'));
    }
  }, SILENCE_MS);
}

/**
 * While checks are pending, look every 2 s whether the offscreen document still exists: the
 * browser may close it (memory pressure) or it may crash, and the checks it held would
 * otherwise wait out the silence above. Their bytes went with it (transferred), so they end
 * now with an error; the background's own watchdog re-fetches what it can.
 */
const LIVENESS_MS = 2_000;
let livenessTimer: ReturnType<typeof setInterval> | null = null;
function watchLiveness(): void {
  if (pending.size === 0) {
    if (livenessTimer) clearInterval(livenessTimer);
    livenessTimer = null;
    return;
  }
  livenessTimer ??= setInterval(() => {
    // A check belongs to the document it was posted to: a new document opened meanwhile (for
    // the next check) does not hold the old one's work.
    void offscreenClient()
      .then((client) => {
        for (const [id, waiter] of pending) {
          if (waiter.clientId === null || waiter.clientId === client?.id) continue;
          pending.delete(id);
          waiter.fail(new ReaderGoneError('the offscreen document was closed'));
        }
        watchLiveness();
      })
      .catch(() => undefined);
  }, LIVENESS_MS);
}

function onOffscreenEvent(event: OffscreenCheckEvent): void {
  const waiter = pending.get(event.id);
  watchSilence();
  if (!waiter) {
    orphanHandler?.(event.job, event);
    return;
  }
  if (event.kind === 'progress') waiter.onProgress?.({ page: event.page, pages: event.pages });
  else {
    pending.delete(event.id);
    waiter.resolve(event.result);
    watchSilence();
  }
}

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
  if (data?.yz !== 1 || (data.kind !== 'progress' && data.kind !== 'result') || typeof data.id !== 'string') return;
  onOffscreenEvent(data);
});

/** The offscreen document as a client of this service worker, to post to with a transfer. */
async function offscreenClient(): Promise<ClientLike | null> {
  if (!workerScope) return null;
  const url = browser.runtime.getURL(OFFSCREEN_URL);
  const all = await workerScope.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  return all.find((c) => c.url === url) ?? null;
}

let checkCounter = 0;

/**
 * A document is held in a copy for its one retry only up to this size (the service worker
 * keeps it while the check runs; larger ones end with the error after the first loss).
 */
const RETRY_COPY_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Retries run one at a time: a document that kills the reader then takes down only its own
 * retry, not the retries of the documents that merely shared the dead reader with it.
 */
let retryChain: Promise<unknown> = Promise.resolve();
function oneRetryAtATime<T>(run: () => Promise<T>): Promise<T> {
  const next = retryChain.then(run, run);
  retryChain = next.catch(() => undefined);
  return next;
}

/** The end of a check whose reader died on it twice (or once, when too large to keep for a retry). */
function readerCrashedResult(): OffscreenCheckResult {
  return {
    codes: [],
    verdict: 'error',
    error: { key: 'extension.error.readerCrashed' },
    registrySource: { fromCache: false, fetchedAt: null, problem: null },
  };
}

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
  const spare = bytes.byteLength <= RETRY_COPY_MAX_BYTES ? bytes.slice() : null;
  try {
    return await postCheck(bytes, fileName, config, options);
  } catch (error) {
    if (!(error instanceof ReaderGoneError)) throw error;
    if (!spare) return readerCrashedResult();
  }
  return oneRetryAtATime(async () => {
    try {
      return await postCheck(spare, fileName, config, options);
    } catch (error) {
      if (error instanceof ReaderGoneError) return readerCrashedResult();
      throw error;
    }
  });
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
  const result = new Promise<OffscreenCheckResult>((resolve, reject) => {
    pending.set(id, { clientId: null, resolve, fail: reject, onProgress: options.onProgress });
  });
  watchSilence();
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
    const waiter = pending.get(id);
    if (waiter) waiter.clientId = client.id;
    client.postMessage(request, [buffer]);
    return result;
  }
  // Not a client yet: by runtime message, which answers itself; the pending entry only routes
  // its progress events (the silence watch may fail it, and no one waits on that).
  result.catch(() => undefined);
  const base64 = bytesToBase64(bytes);
  try {
    return await toOffscreen(() =>
      sendMessage('offscreen.check', { base64, fileName, config, id, priority: options.priority, job: options.job }),
    );
  } finally {
    pending.delete(id);
    watchSilence();
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

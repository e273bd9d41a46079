/**
 * The offscreen document's reader pool: one worker per core the browser reports (at least
 * one), each a bundled file of the extension (`?worker&url`: MV3 blocks `blob:` workers,
 * and the CSP's 'wasm-unsafe-eval' covers the workers' wasm). When no worker starts (an
 * old fork, a policy), the pool falls back to one reader inside this document.
 */
import { browser } from 'wxt/browser';
import { browserReaderPlatform } from '../../utils/document/reader-platform.ts';
import { EXTENSION_LARGE_PAGE_PIXELS } from '../../utils/extension/reader-limits.ts';
import {
  createReaderPool,
  type PoolCode,
  type ReaderPool,
  type ReaderSlot,
  type SlotAnswer,
} from '../../utils/extension/reader-pool.ts';
import { createDocumentTable } from './document-table.ts';
import workerUrl from './reader-worker.ts?worker&url';

export type WorkerRequest =
  | { id: number; type: 'open'; docId: string; bytes: ArrayBuffer; fileName: string }
  | { id: number; type: 'page'; docId: string; index: number }
  | { type: 'close'; docId: string };

/** A worker that has not said it is ready within this time is taken as unable to start. */
const START_TIMEOUT_MS = 10_000;
/** Workers idle this long are replaced by fresh ones, giving their grown wasm memory back. */
const RECYCLE_IDLE_MS = 15_000;
/**
 * A worker whose decoders' wasm memory grew past this is replaced as soon as it has no
 * document open, not 15 s later: a 300-DPI A4 page leaves about 100 MB (zxing plus
 * MozJPEG), a 40 MP image 300 MB or more, which would otherwise stay through the next batch.
 */
const RECYCLE_HEAP_BYTES = 160 * 1024 * 1024;
/** Documents read at once (the rest wait in priority order). */
const MAX_DOCUMENTS = 8;
/**
 * An open or a page past these is a hang: the worker is terminated and its document fails.
 * The reader bounds its own work by the page budget (1.5 s of ladder, three budgets of
 * rendering); these only catch what it cannot bound (a decoder stuck inside wasm). They are
 * far above a page's real cost because a clinic PC under load runs a 1.5 s page in 20 s
 * (seen on this 2-core machine at load 24), and a page given up is an error the user sees.
 */
const OPEN_TIMEOUT_MS = 60_000;
const PAGE_TIMEOUT_MS = 60_000;

/** A worker as a ReaderSlot: requests by id; a crash rejects what was pending. */
function workerSlot(worker: Worker): ReaderSlot {
  let next = 1;
  const pending = new Map<number, { resolve: (a: SlotAnswer<never>) => void; reject: (e: Error) => void }>();
  const failAll = (why: string) => {
    for (const p of pending.values()) p.reject(new Error(why));
    pending.clear();
  };
  let heapBytes = 0;
  worker.addEventListener(
    'message',
    (event: MessageEvent<{ id: number; answer?: SlotAnswer<never>; heapBytes?: unknown }>) => {
      if (typeof event.data.heapBytes === 'number') heapBytes = event.data.heapBytes;
      const waiter = pending.get(event.data.id);
      if (!waiter || !event.data.answer) return;
      pending.delete(event.data.id);
      waiter.resolve(event.data.answer);
    },
  );
  worker.addEventListener('error', (event) => failAll(`reader worker failed: ${event.message}`));
  worker.addEventListener('messageerror', () => failAll('reader worker message could not be read'));
  const ask = <T>(request: WorkerRequest & { id: number }, transfer: Transferable[] = []) =>
    new Promise<SlotAnswer<T>>((resolve, reject) => {
      pending.set(request.id, { resolve: resolve as (a: SlotAnswer<never>) => void, reject });
      worker.postMessage(request, transfer);
    });
  return {
    open(docId, bytes, fileName) {
      // Each worker gets its own copy (a spread PDF is opened by several), moved, not cloned twice.
      const copy = bytes.slice().buffer;
      return ask({ id: next++, type: 'open', docId, bytes: copy, fileName }, [copy]);
    },
    readPage(docId, index) {
      return ask<{ codes: PoolCode[]; pixels?: number }>({ id: next++, type: 'page', docId, index });
    },
    close(docId) {
      worker.postMessage({ type: 'close', docId } satisfies WorkerRequest);
    },
    kill() {
      worker.terminate();
      failAll('reader worker stopped');
    },
    heapBytes: () => heapBytes,
  };
}

/** Starts a worker and waits for its first message; null when it cannot start here. */
function startWorker(): Promise<Worker | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(workerUrl, { type: 'module', name: 'yanzhen-reader' });
    } catch {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => {
      worker.terminate();
      resolve(null);
    }, START_TIMEOUT_MS);
    worker.addEventListener(
      'message',
      () => {
        clearTimeout(timer);
        resolve(worker);
      },
      { once: true },
    );
    worker.addEventListener(
      'error',
      () => {
        clearTimeout(timer);
        worker.terminate();
        resolve(null);
      },
      { once: true },
    );
  });
}

/** The reader inside this document (no worker): the same table, not killable, so its hangs only end the document. */
function localSlot(): ReaderSlot {
  const table = createDocumentTable(browserReaderPlatform((path) => browser.runtime.getURL(`/${path}` as '/')));
  return { ...table, kill: () => undefined };
}

export interface StartedPool {
  pool: ReaderPool;
  /** `workers` with their count, or `in-document` when workers could not start. */
  mode: { kind: 'workers'; count: number } | { kind: 'in-document' };
}

let started: Promise<StartedPool> | null = null;

/** The pool, started once: a probe worker decides between workers and the in-document reader. */
export function readerPool(): Promise<StartedPool> {
  started ??= (async () => {
    // One worker per core, but no more than one per 2 GB the browser reports (deviceMemory,
    // Chrome; capped at 8): a 300-DPI page costs a worker 150-250 MB at its peak, and clinic
    // PCs with 2-4 GB must not swap.
    const memoryGb = (navigator as { deviceMemory?: number }).deviceMemory;
    const byMemory = memoryGb ? Math.max(1, Math.floor(memoryGb / 2)) : Number.POSITIVE_INFINITY;
    const cores = Math.max(1, Math.min(Math.floor(navigator.hardwareConcurrency || 1), byMemory));
    const first = await startWorker();
    const timeouts = {
      openTimeoutMs: OPEN_TIMEOUT_MS,
      pageTimeoutMs: PAGE_TIMEOUT_MS,
      maxDocuments: MAX_DOCUMENTS,
    };
    if (!first) {
      return { pool: createReaderPool({ slots: 1, makeSlot: localSlot, ...timeouts }), mode: { kind: 'in-document' } };
    }
    let probe: Worker | null = first;
    const pool = createReaderPool({
      slots: cores,
      makeSlot: () => {
        // The probe becomes the first slot; later slots (and replacements) start their own worker.
        const worker = probe ?? new Worker(workerUrl, { type: 'module', name: 'yanzhen-reader' });
        probe = null;
        return workerSlot(worker);
      },
      ...timeouts,
      recycleIdleMs: RECYCLE_IDLE_MS,
      maxHeapBytes: RECYCLE_HEAP_BYTES,
      largePagePixels: EXTENSION_LARGE_PAGE_PIXELS,
    });
    return { pool, mode: { kind: 'workers', count: cores } };
  })();
  return started;
}

/**
 * Reading documents on several threads: a pool of reader slots (one Web Worker each, or the
 * offscreen document itself when workers cannot start), a queue ordered by priority (what
 * the user is looking at first), the pages of one PDF spread over the slots, several
 * documents in flight, and a watchdog: a slot whose open or page runs past its time is
 * killed and replaced, and its document ends with an error instead of staying "checking".
 *
 * Pure scheduling: the slots come in through `makeSlot`, so the tests drive it with fakes.
 */
import type { LocalizedMessage } from '../check/document-check.ts';

/** One QR text with its 1-based page, as the pipeline wants it. */
export interface PoolCode {
  text: string;
  page: number;
}

export type SlotAnswer<T> = { ok: true; value: T } | { ok: false; error: LocalizedMessage };

/** A thread that reads: opens documents by id (keeping them until `close`) and reads their pages. */
export interface ReaderSlot {
  /** Resolves with the reader's answer (a ReaderError's message when the file is bad); rejects only when the thread died. */
  open(docId: string, bytes: Uint8Array, fileName: string): Promise<SlotAnswer<{ kind: string; pages: number }>>;
  /** `unreadable`: QR codes the reader located on the page but could not read. */
  readPage(
    docId: string,
    index: number,
  ): Promise<
    SlotAnswer<{ codes: PoolCode[]; unreadable?: number /** Pixels of the page's largest image. */; pixels?: number }>
  >;
  close(docId: string): void;
  /** Stops the thread now (a worker is terminated); answers still pending are ignored. */
  kill(): void;
  /** Bytes of WebAssembly memory the thread last reported (it only grows); absent when unknown. */
  heapBytes?(): number;
}

export type PoolOutcome =
  | { ok: true; codes: PoolCode[]; pages: number; unreadableRegions: number }
  | { ok: false; error: LocalizedMessage };

/** Lower runs first: the manual check, then attachments the user can see, then the rest. */
export const PRIORITY = { manual: 0, visible: 1, background: 2 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

export interface ReadRequest {
  fileName: string;
  priority: Priority;
  /** Pages done so far (0 after opening), and the page count. */
  onProgress?: (progress: { page: number; pages: number }) => void;
}

export interface PoolOptions {
  slots: number;
  makeSlot: (index: number) => ReaderSlot;
  /** Longest an open (type check, PDF parse, raster header) may take before its slot is killed. */
  openTimeoutMs: number;
  /** Longest one page may take before its slot is killed (the reader's own bounds are well inside it). */
  pageTimeoutMs: number;
  /** Documents being read at once; more wait, in priority order. */
  maxDocuments: number;
  /**
   * After this long with nothing to read, every slot is replaced by a fresh one: a worker's
   * WebAssembly memory only grows (zxing's heap keeps the size of the largest page it saw),
   * so the memory goes back to the system between batches. Omit to keep slots.
   */
  recycleIdleMs?: number;
  /**
   * A slot whose reported WebAssembly memory is past this is replaced as soon as it holds
   * no open document (a 40 MP image leaves its decoders at 160 MB or more for good);
   * omit to keep slots however much they grew.
   */
  maxHeapBytes?: number;
  /**
   * A PDF whose first page had this many pixels or more is read one page at a time (on the
   * slot that opened it; other documents still go to the other slots): each page in flight
   * costs a reader ~16 bytes a pixel, so two 300-DPI pages at once doubled the peak. A PDF
   * spreads over the slots only once its first page has said its size. Omit to spread every
   * PDF's pages from the start.
   */
  largePagePixels?: number;
}

interface Doc {
  id: string;
  bytes: Uint8Array;
  request: ReadRequest;
  seq: number;
  pages: number | null;
  /** PDFs are spread over slots; other types stay on the slot that opened them (decoding twice costs more). */
  spread: boolean;
  /** A PDF of several pages, which may be spread once its page size is known (see `largePagePixels`). */
  spreadable: boolean;
  /** Whether a page of it has said how large its pages are. */
  sized: boolean;
  opening: boolean;
  openedIn: Set<number>;
  todo: number[];
  running: number;
  done: number;
  codes: PoolCode[];
  unreadable: number;
  finished: boolean;
  resolve: (outcome: PoolOutcome) => void;
}

interface Slot {
  reader: ReaderSlot;
  /** Bumped when the slot is replaced, so a killed thread's late answers are dropped. */
  generation: number;
  busy: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

let docCounter = 0;

export interface ReaderPool {
  read(bytes: Uint8Array, request: ReadRequest): Promise<PoolOutcome>;
  /** Documents being read and waiting. */
  readonly load: { active: number; waiting: number };
}

/**
 * @example
 * const pool = createReaderPool({ slots: 2, makeSlot: (i) => workerSlot(i), openTimeoutMs: 20_000, pageTimeoutMs: 15_000, maxDocuments: 8 });
 * const outcome = await pool.read(bytes, { fileName: 'a.pdf', priority: PRIORITY.manual, onProgress });
 */
export function createReaderPool(options: PoolOptions): ReaderPool {
  const count = Math.max(1, Math.floor(options.slots));
  const slots: Slot[] = Array.from({ length: count }, (_, i) => ({
    reader: options.makeSlot(i),
    generation: 0,
    busy: false,
    timer: null,
  }));
  const active: Doc[] = [];
  const waiting: Doc[] = [];
  let seq = 0;

  const byPriority = (a: Doc, b: Doc) => a.request.priority - b.request.priority || a.seq - b.seq;

  function admit(): void {
    waiting.sort(byPriority);
    while (active.length < options.maxDocuments && waiting.length > 0) active.push(waiting.shift() as Doc);
  }

  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  function watchIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (options.recycleIdleMs === undefined || active.length > 0 || waiting.length > 0) return;
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (active.length > 0 || waiting.length > 0) return;
      slots.forEach((slot, index) => {
        slot.reader.kill();
        slot.generation++;
        slot.reader = options.makeSlot(index);
      });
    }, options.recycleIdleMs);
  }

  function finish(doc: Doc, outcome: PoolOutcome): void {
    if (doc.finished) return;
    doc.finished = true;
    for (const i of doc.openedIn) slots[i]?.reader.close(doc.id);
    doc.openedIn.clear();
    doc.todo = [];
    const at = active.indexOf(doc);
    if (at >= 0) active.splice(at, 1);
    // The bytes are no longer needed: the caller keeps its own reference only as long as it wants.
    doc.bytes = new Uint8Array(0);
    doc.resolve(outcome);
    admit();
    watchIdle();
  }

  /** Replaces a slot whose thread overran its time: the stuck document fails, the others carry on elsewhere. */
  function replace(index: number, stuck: Doc, error: LocalizedMessage): void {
    const slot = slots[index] as Slot;
    slot.reader.kill();
    slot.generation++;
    slot.busy = false;
    slot.timer = null;
    slot.reader = options.makeSlot(index);
    for (const doc of active) {
      if (!doc.openedIn.delete(index) || doc === stuck) continue;
      // A document that lived only in the killed thread is opened again by whichever slot is free.
      if (doc.openedIn.size === 0 && doc.pages !== null) doc.spread = true;
    }
    finish(stuck, { ok: false, error });
  }

  function run<T>(
    index: number,
    doc: Doc,
    timeoutMs: number,
    timeoutError: LocalizedMessage,
    work: (reader: ReaderSlot) => Promise<T>,
    then: (value: T) => void,
  ): void {
    const slot = slots[index] as Slot;
    const generation = slot.generation;
    slot.busy = true;
    slot.timer = setTimeout(() => {
      if (slot.generation === generation) replace(index, doc, timeoutError);
      schedule();
    }, timeoutMs);
    work(slot.reader).then(
      (value) => {
        if (slot.generation !== generation) return;
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = null;
        slot.busy = false;
        then(value);
        schedule();
      },
      (error: unknown) => {
        // A rejection means the thread itself failed (a worker crashed): it is replaced too.
        if (slot.generation !== generation) return;
        if (slot.timer) clearTimeout(slot.timer);
        replace(index, doc, internal(error));
        schedule();
      },
    );
  }

  function openThenRead(index: number, doc: Doc, page: number | null): void {
    doc.opening = doc.pages === null;
    const openTimeout: LocalizedMessage = {
      key: 'reader.error.internal',
      params: { detail: 'opening the file took too long' },
    };
    run(
      index,
      doc,
      options.openTimeoutMs,
      openTimeout,
      (reader) => reader.open(doc.id, doc.bytes, doc.request.fileName),
      (answer) => {
        doc.opening = false;
        if (doc.finished) return;
        if (!answer.ok) return finish(doc, { ok: false, error: answer.error });
        doc.openedIn.add(index);
        if (doc.pages === null) {
          doc.pages = answer.value.pages;
          doc.spreadable = answer.value.kind === 'pdf' && answer.value.pages > 1;
          doc.spread = doc.spreadable && options.largePagePixels === undefined;
          doc.todo = Array.from({ length: answer.value.pages }, (_, i) => i);
          doc.request.onProgress?.({ page: 0, pages: answer.value.pages });
          if (doc.pages === 0) return finish(doc, { ok: true, codes: [], pages: 0, unreadableRegions: 0 });
          page = doc.todo.shift() as number;
          doc.running++;
        }
        if (page !== null) readPage(index, doc, page);
      },
    );
  }

  function readPage(index: number, doc: Doc, page: number): void {
    run(
      index,
      doc,
      options.pageTimeoutMs,
      {
        key: 'reader.error.pageTimeout',
        params: { page: page + 1, seconds: Math.round(options.pageTimeoutMs / 1000) },
      },
      (reader) => reader.readPage(doc.id, page),
      (answer) => {
        doc.running--;
        if (doc.finished) return;
        if (!answer.ok) return finish(doc, { ok: false, error: answer.error });
        if (doc.spreadable && !doc.sized && options.largePagePixels !== undefined) {
          doc.sized = true;
          doc.spread = (answer.value.pixels ?? 0) < options.largePagePixels;
        }
        doc.codes.push(...answer.value.codes);
        doc.unreadable += answer.value.unreadable ?? 0;
        doc.done++;
        doc.request.onProgress?.({ page: doc.done, pages: doc.pages ?? doc.done });
        if (doc.done === doc.pages) {
          const codes = doc.codes.sort((a, b) => a.page - b.page);
          finish(doc, { ok: true, codes, pages: doc.pages, unreadableRegions: doc.unreadable });
        }
      },
    );
  }

  /** Replaces a free slot that grew past `maxHeapBytes` when no document is open in it. */
  function shrink(index: number): void {
    const slot = slots[index] as Slot;
    const max = options.maxHeapBytes;
    if (max === undefined || slot.busy || (slot.reader.heapBytes?.() ?? 0) <= max) return;
    if (active.some((doc) => doc.openedIn.has(index))) return;
    slot.reader.kill();
    slot.generation++;
    slot.reader = options.makeSlot(index);
  }

  /** Gives every free slot the most urgent work it can do. */
  function schedule(): void {
    for (let index = 0; index < slots.length; index++) {
      const slot = slots[index] as Slot;
      if (slot.busy) continue;
      shrink(index);
      for (const doc of [...active].sort(byPriority)) {
        if (doc.finished) continue;
        if (doc.pages === null) {
          if (doc.opening) continue;
          openThenRead(index, doc, null);
          break;
        }
        if (doc.todo.length === 0) continue;
        const mine = doc.openedIn.has(index);
        if (!mine && !doc.spread) continue;
        const page = doc.todo.shift() as number;
        doc.running++;
        if (mine) readPage(index, doc, page);
        else openThenRead(index, doc, page);
        break;
      }
    }
  }

  return {
    read(bytes, request) {
      return new Promise<PoolOutcome>((resolve) => {
        const doc: Doc = {
          id: `d${++docCounter}`,
          bytes,
          request,
          seq: seq++,
          pages: null,
          spread: false,
          spreadable: false,
          sized: false,
          opening: false,
          openedIn: new Set(),
          todo: [],
          running: 0,
          done: 0,
          codes: [],
          unreadable: 0,
          finished: false,
          resolve,
        };
        waiting.push(doc);
        admit();
        watchIdle();
        schedule();
      });
    },
    get load() {
      return { active: active.length, waiting: waiting.length };
    },
  };
}

function internal(error: unknown): LocalizedMessage {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { key: 'reader.error.internal', params: { detail: detail.slice(0, 200) } };
}

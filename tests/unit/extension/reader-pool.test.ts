// The offscreen document's reader pool, driven with fake slots: pages spread, priority,
// the watchdog replacing a stuck or crashed thread, and reader errors passed through.
import { describe, expect, it } from 'vitest';
import type { LocalizedMessage } from '../../../utils/check/document-check.ts';
import {
  createReaderPool,
  type PoolOptions,
  PRIORITY,
  type ReaderSlot,
  type SlotAnswer,
} from '../../../utils/extension/reader-pool.ts';

/** A fake document: its first byte says the kind (1 = PDF), the second the page count, the third the page with a code. */
const doc = (kind: 'pdf' | 'png', pages: number, codeOn: number, tag = 0) =>
  new Uint8Array([kind === 'pdf' ? 1 : 0, pages, codeOn, tag]);

interface Log {
  slot: number;
  what: string;
}

function fakeSlots(behaviour: {
  pageMs?: number;
  hangOn?: (tag: number, page: number) => boolean;
  crashOn?: (tag: number) => boolean;
  openError?: (tag: number) => LocalizedMessage | null;
  /** The wasm memory a slot reports after reading a page of the document with this tag. */
  heapAfter?: (tag: number) => number;
  /** Pixels of each page of the document with this tag (reported with the page). */
  pixels?: (tag: number) => number;
}) {
  const log: Log[] = [];
  let made = 0;
  const killed: number[] = [];
  const makeSlot = (index: number): ReaderSlot => {
    const generation = made++;
    const open = new Map<string, Uint8Array>();
    let heap = 0;
    const later = <T>(value: T, ms = behaviour.pageMs ?? 5) => new Promise<T>((r) => setTimeout(() => r(value), ms));
    return {
      async open(docId, bytes) {
        log.push({ slot: index, what: `open ${bytes[3]}` });
        const error = behaviour.openError?.(bytes[3] ?? 0);
        if (error) return later({ ok: false, error } as SlotAnswer<never>);
        open.set(docId, bytes.slice());
        return later({ ok: true, value: { kind: bytes[0] === 1 ? 'pdf' : 'png', pages: bytes[1] ?? 0 } });
      },
      async readPage(docId, page) {
        const bytes = open.get(docId);
        if (!bytes) throw new Error('not open');
        const tag = bytes[3] ?? 0;
        log.push({ slot: index, what: `page ${tag}:${page}` });
        if (behaviour.crashOn?.(tag)) throw new Error('worker crashed');
        if (behaviour.hangOn?.(tag, page)) return new Promise(() => undefined);
        const codes = page + 1 === bytes[2] ? [{ text: `AL1:${tag}`, page: page + 1 }] : [];
        heap = Math.max(heap, behaviour.heapAfter?.(tag) ?? 0);
        return later({ ok: true, value: { codes, pixels: behaviour.pixels?.(tag) ?? 0 } });
      },
      close(docId) {
        open.delete(docId);
      },
      kill() {
        killed.push(generation);
      },
      heapBytes: () => heap,
    };
  };
  return { log, makeSlot, killed, made: () => made };
}

const options = (makeSlot: PoolOptions['makeSlot'], slots = 2): PoolOptions => ({
  slots,
  makeSlot,
  openTimeoutMs: 500,
  pageTimeoutMs: 150,
  maxDocuments: 8,
});

describe('reader pool', () => {
  it('spreads the pages of one PDF over every slot and gives the codes in page order, with pages done', async () => {
    const fake = fakeSlots({ pageMs: 20 });
    const pool = createReaderPool(options(fake.makeSlot, 2));
    const progress: string[] = [];
    const outcome = await pool.read(doc('pdf', 6, 5, 7), {
      fileName: 'a.pdf',
      priority: PRIORITY.manual,
      onProgress: ({ page, pages }) => progress.push(`${page}/${pages}`),
    });
    expect(outcome).toEqual({ ok: true, pages: 6, unreadableRegions: 0, codes: [{ text: 'AL1:7', page: 5 }] });
    expect(progress).toEqual(['0/6', '1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
    const pagesBySlot = [0, 1].map((s) => fake.log.filter((l) => l.slot === s && l.what.startsWith('page')).length);
    expect(pagesBySlot[0]).toBeGreaterThan(0);
    expect(pagesBySlot[1]).toBeGreaterThan(0);
    expect(fake.log.filter((l) => l.what.startsWith('open')).map((l) => l.slot)).toEqual([0, 1]);
  });

  it.each([
    {
      name: 'large pages are read one at a time on the slot that opened the PDF',
      pixels: 200,
      slotsUsed: [0],
      opens: 1,
    },
    { name: 'small pages spread once the first page said its size', pixels: 50, slotsUsed: [0, 1], opens: 2 },
  ])('with largePagePixels: $name', async ({ pixels, slotsUsed, opens }) => {
    const fake = fakeSlots({ pageMs: 10, pixels: () => pixels });
    const pool = createReaderPool({ ...options(fake.makeSlot, 2), largePagePixels: 100 });
    const outcome = await pool.read(doc('pdf', 6, 6, 3), { fileName: 'scan.pdf', priority: PRIORITY.manual });
    expect(outcome).toEqual({ ok: true, pages: 6, unreadableRegions: 0, codes: [{ text: 'AL1:3', page: 6 }] });
    const pageSlots = new Set(fake.log.filter((l) => l.what.startsWith('page')).map((l) => l.slot));
    expect([...pageSlots].sort()).toEqual(slotsUsed);
    expect(fake.log.filter((l) => l.what.startsWith('open')).length).toBe(opens);
  });

  it('while a PDF of large pages holds one slot, another document is read on the other', async () => {
    const fake = fakeSlots({ pageMs: 10, pixels: (tag) => (tag === 3 ? 200 : 10) });
    const pool = createReaderPool({ ...options(fake.makeSlot, 2), largePagePixels: 100 });
    const big = pool.read(doc('pdf', 6, 1, 3), { fileName: 'scan.pdf', priority: PRIORITY.manual });
    const small = pool.read(doc('png', 1, 1, 4), { fileName: 'a.png', priority: PRIORITY.visible });
    expect((await small).ok).toBe(true);
    expect((await big).ok).toBe(true);
    const slotsOf = (tag: number) =>
      new Set(fake.log.filter((l) => l.what.startsWith(`page ${tag}:`)).map((l) => l.slot));
    expect([...slotsOf(3)]).toEqual([0]);
    expect([...slotsOf(4)]).toEqual([1]);
  });

  it('keeps a multi-page image on the slot that opened it (decoding it twice would cost more)', async () => {
    const fake = fakeSlots({});
    const pool = createReaderPool(options(fake.makeSlot, 2));
    await pool.read(doc('png', 3, 2, 1), { fileName: 'a.tiff', priority: PRIORITY.background });
    expect(new Set(fake.log.map((l) => l.slot))).toEqual(new Set([0]));
  });

  it('reads several documents at once and lets the manual check overtake what waits', async () => {
    const fake = fakeSlots({ pageMs: 10 });
    const pool = createReaderPool(options(fake.makeSlot, 1));
    const order: string[] = [];
    const reads = [1, 2, 3].map((tag) =>
      pool
        .read(doc('png', 1, 1, tag), { fileName: `${tag}.png`, priority: PRIORITY.background })
        .then(() => order.push(`b${tag}`)),
    );
    const manual = pool
      .read(doc('png', 1, 1, 9), { fileName: 'm.png', priority: PRIORITY.manual })
      .then(() => order.push('m'));
    await Promise.all([...reads, manual]);
    // The first background document had already started; the manual check comes next.
    expect(order).toEqual(['b1', 'm', 'b2', 'b3']);
  });

  it('kills a slot stuck on a page, ends that document with the page-timeout error, and reads the next one', async () => {
    const fake = fakeSlots({ hangOn: (tag) => tag === 1 });
    const pool = createReaderPool(options(fake.makeSlot, 1));
    const stuck = pool.read(doc('pdf', 2, 1, 1), { fileName: 'stuck.pdf', priority: PRIORITY.background });
    const next = pool.read(doc('png', 1, 1, 2), { fileName: 'next.png', priority: PRIORITY.background });
    expect(await stuck).toEqual({
      ok: false,
      error: { key: 'reader.error.pageTimeout', params: { page: 1, seconds: 0 } },
    });
    expect(await next).toEqual({ ok: true, pages: 1, unreadableRegions: 0, codes: [{ text: 'AL1:2', page: 1 }] });
    expect(fake.killed).toEqual([0]);
    expect(fake.made()).toBe(2);
  });

  it('replaces a crashed slot: its document fails as internal, the others carry on', async () => {
    const fake = fakeSlots({ crashOn: (tag) => tag === 1 });
    const pool = createReaderPool(options(fake.makeSlot, 1));
    const crashed = await pool.read(doc('png', 1, 1, 1), { fileName: 'x.png', priority: PRIORITY.background });
    expect(crashed).toMatchObject({ ok: false, error: { key: 'reader.error.internal' } });
    expect(await pool.read(doc('png', 1, 1, 2), { fileName: 'y.png', priority: PRIORITY.background })).toMatchObject({
      ok: true,
    });
    expect(fake.made()).toBe(2);
  });

  it("passes the reader's own error for a bad file through unchanged", async () => {
    const error: LocalizedMessage = { key: 'reader.error.encryptedPdf' };
    const fake = fakeSlots({ openError: (tag) => (tag === 3 ? error : null) });
    const pool = createReaderPool(options(fake.makeSlot, 2));
    expect(await pool.read(doc('pdf', 1, 1, 3), { fileName: 'e.pdf', priority: PRIORITY.manual })).toEqual({
      ok: false,
      error,
    });
    expect(pool.load).toEqual({ active: 0, waiting: 0 });
  });

  it('holds documents over its bound back, in priority order', async () => {
    const fake = fakeSlots({ pageMs: 10 });
    const pool = createReaderPool({ ...options(fake.makeSlot, 1), maxDocuments: 1 });
    const first = pool.read(doc('png', 1, 1, 1), { fileName: '1', priority: PRIORITY.background });
    const second = pool.read(doc('png', 1, 1, 2), { fileName: '2', priority: PRIORITY.background });
    expect(pool.load).toEqual({ active: 1, waiting: 1 });
    await Promise.all([first, second]);
    expect(pool.load).toEqual({ active: 0, waiting: 0 });
  });
});

describe('reader pool recycling', () => {
  it('replaces every slot once it has been idle for recycleIdleMs, and reads on with the fresh ones', async () => {
    const fake = fakeSlots({});
    const pool = createReaderPool({ ...options(fake.makeSlot, 2), recycleIdleMs: 30 });
    await pool.read(doc('png', 1, 1, 1), { fileName: 'a.png', priority: PRIORITY.background });
    expect(fake.made()).toBe(2);
    await new Promise((r) => setTimeout(r, 80));
    expect(fake.killed).toEqual([0, 1]);
    expect(fake.made()).toBe(4);
    expect(await pool.read(doc('png', 1, 1, 2), { fileName: 'b.png', priority: PRIORITY.background })).toMatchObject({
      ok: true,
    });
  });
});

describe('reader pool heap bound', () => {
  const grows = (tag: number) => (tag === 9 ? 500 : 10);

  it.each([
    { name: 'a slot that grew past maxHeapBytes is replaced once its document is done', tag: 9, killed: [0], made: 3 },
    { name: 'a slot within the bound is kept', tag: 1, killed: [], made: 2 },
  ])('$name', async ({ tag, killed, made }) => {
    const fake = fakeSlots({ heapAfter: grows });
    const pool = createReaderPool({ ...options(fake.makeSlot, 2), maxHeapBytes: 100 });
    const outcome = await pool.read(doc('png', 1, 1, tag), { fileName: 'a.png', priority: PRIORITY.background });
    expect(outcome).toMatchObject({ ok: true, codes: [{ text: `AL1:${tag}` }] });
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.killed).toEqual(killed);
    expect(fake.made()).toBe(made);
    // The pool reads on with the fresh slot.
    expect(await pool.read(doc('png', 1, 1, 2), { fileName: 'b.png', priority: PRIORITY.background })).toMatchObject({
      ok: true,
      codes: [{ text: 'AL1:2' }],
    });
  });

  it('never replaces a grown slot while a PDF spread over it is still open there', async () => {
    const fake = fakeSlots({ heapAfter: grows, pageMs: 10 });
    const pool = createReaderPool({ ...options(fake.makeSlot, 2), maxHeapBytes: 100 });
    const outcome = await pool.read(doc('pdf', 6, 6, 9), { fileName: 'a.pdf', priority: PRIORITY.manual });
    expect(outcome).toMatchObject({ ok: true, pages: 6, codes: [{ text: 'AL1:9', page: 6 }] });
    // Both slots read pages of the PDF, grew, and were replaced only after it finished: one open each.
    expect(fake.log.filter((l) => l.what.startsWith('open')).length).toBe(2);
    await new Promise((r) => setTimeout(r, 0));
    expect([...fake.killed].sort()).toEqual([0, 1]);
  });
});

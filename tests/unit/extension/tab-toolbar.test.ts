import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { DocumentRecord } from '../../../utils/check/document-record.ts';
import { tabBadge } from '../../../utils/extension/tab-badge.ts';
import {
  forgetTabsInMemory,
  notePageChange,
  notePageScan,
  putDocument,
  readTab,
} from '../../../utils/extension/tab-store.ts';
import { createToolbar } from '../../../utils/extension/tab-toolbar.ts';

const PAGE = 'http://127.0.0.1:47310/review.html';
const NEXT = 'http://127.0.0.1:47310/many.html';
const IDLE = '验真：本页未检查';
const NONE = '验真：本页没有找到带授权二维码的授权文件';

function record(id: string, state: DocumentRecord['state'], verdict: DocumentRecord['verdict'] = 'none') {
  return {
    id,
    name: `${id}.png`,
    url: `http://127.0.0.1:47310/files/${id}.png`,
    source: 'img',
    pageUrl: PAGE,
    checkedAt: 0,
    state,
    progress: null,
    codes: [],
    verdict,
    error: null,
  } satisfies DocumentRecord;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The background as start.ts wires it: each event is put in the tab's line at once and then
 * asks for a redraw. Draws take as long as `latencies` says, in turn, so an early draw can
 * finish after a later one started (what `setIcon` decoding four PNGs does).
 */
function harness(latencies: number[]) {
  const drawn: string[] = [];
  let call = 0;
  const toolbar = createToolbar({
    read: readTab,
    locale: async () => 'zh-CN',
    draw: async (_tabId, badge) => {
      await sleep(latencies[call++ % latencies.length] ?? 0);
      drawn.push(badge.title);
    },
  });
  const events = {
    loading: (url?: string) =>
      notePageChange(1, { status: 'loading', url }).then((fresh) => (fresh ? toolbar.redraw(1) : undefined)),
    scanned: (frameId: number, pending: number, frameUrl = PAGE) =>
      notePageScan(1, { frameId, frameUrl, pending }).then(() => toolbar.redraw(1)),
    checked: (r: DocumentRecord) => putDocument(1, PAGE, r).then(() => toolbar.redraw(1)),
  };
  return { drawn, toolbar, events };
}

beforeEach(() => {
  fakeBrowser.reset();
  forgetTabsInMemory();
});

describe('the toolbar of a tab, with events interleaved', () => {
  it.each([
    ['a slow first draw', [40, 0, 0]],
    ['a slow last draw', [0, 0, 40]],
    ['even draws', [5, 5, 5]],
  ])('ends on the scanned state when a scan report follows the page change at once (%s)', async (_what, latencies) => {
    const { drawn, events } = harness(latencies);
    // Fired back to back, as tabs.onUpdated and page.scanned arrive on a fast page.
    await Promise.all([events.loading(PAGE), events.scanned(0, 0)]);
    expect(drawn.at(-1)).toBe(NONE);
  });

  it('shows the page as not yet checked between its loading and its first scan report', async () => {
    const { drawn, events } = harness([0]);
    await events.loading(PAGE);
    expect(drawn).toEqual([IDLE]);
    await events.scanned(0, 0);
    expect(drawn.at(-1)).toBe(NONE);
  });

  it('never shows a verdict of the previous page once a new page is loading, even when it arrives late', async () => {
    const { drawn, events } = harness([30, 0, 0, 0]);
    await events.loading(PAGE);
    await events.checked(record('a', 'checking'));
    // Navigate while "a" is being checked; its verdict arrives after the new page's report.
    const navigated = events.loading(NEXT);
    const scanned = events.scanned(0, 0, NEXT);
    const late = events.checked(record('a', 'done', 'invalid'));
    await Promise.all([navigated, scanned, late]);
    expect((await readTab(1))?.documents).toEqual([]);
    expect(drawn.at(-1)).toBe(NONE);
  });

  it('takes the same document again when the new page shows it too (a reload)', async () => {
    const { drawn, events } = harness([0]);
    await events.loading(PAGE);
    await events.checked(record('a', 'checking'));
    await events.loading(undefined);
    await events.scanned(0, 1);
    await events.checked(record('a', 'checking'));
    await events.checked(record('a', 'done', 'valid'));
    await events.scanned(0, 0);
    expect((await readTab(1))?.documents.map((d) => [d.id, d.state, d.verdict])).toEqual([['a', 'done', 'valid']]);
    expect(drawn.at(-1)).toBe('1 份授权文件：1 份有效');
  });

  it('counts documents found but not yet handed over, from every frame, as being checked', async () => {
    const { drawn, events } = harness([0]);
    await events.loading(PAGE);
    await Promise.all([events.scanned(0, 2), events.scanned(4, 1, 'http://127.0.0.1:47310/frame.html')]);
    expect(drawn.at(-1)).toBe('3 份授权文件：3 份正在检查');
    await events.checked(record('a', 'checking'));
    await events.scanned(0, 1);
    await events.checked(record('a', 'done', 'valid'));
    expect(drawn.at(-1)).toBe('3 份授权文件：1 份有效，2 份正在检查');
    await events.scanned(0, 0);
    await events.scanned(4, 0, 'http://127.0.0.1:47310/frame.html');
    expect(drawn.at(-1)).toBe('1 份授权文件：1 份有效');
  });

  it('draws the stored state, whatever the order a burst of events and their draws finish in', async () => {
    for (let round = 0; round < 20; round++) {
      fakeBrowser.reset();
      forgetTabsInMemory();
      const latencies = Array.from({ length: 7 }, (_, i) => ((round * 7 + i * 13) % 11) * 2);
      const { drawn, events } = harness(latencies);
      await events.loading(PAGE);
      await Promise.all([
        events.scanned(0, 3),
        events.checked(record('a', 'checking')),
        events.checked(record('b', 'checking')),
        events.checked(record('a', 'done', 'valid')),
        events.scanned(0, 1),
        events.checked(record('b', 'done', 'invalid')),
        events.scanned(0, 0),
      ]);
      const final = tabBadge(await readTab(1), 'zh-CN').title;
      expect(final).toBe('2 份授权文件：1 份有效，1 份无效');
      expect(drawn.at(-1)).toBe(final);
    }
  });

  it('collapses a burst of redraw requests into few draws', async () => {
    const { drawn, toolbar, events } = harness([10]);
    await events.loading(PAGE);
    drawn.length = 0;
    await Promise.all(Array.from({ length: 30 }, () => toolbar.redraw(1)));
    expect(drawn.length).toBeLessThanOrEqual(2);
    expect(toolbar.drawnGeneration(1)).toBe(1);
  });

  it('draws only what changed on the page, nothing when nothing did, everything after a forget or a new page', async () => {
    const calls: { title: string; shown: string | null }[] = [];
    const toolbar = createToolbar({
      read: readTab,
      locale: async () => 'zh-CN',
      draw: async (_tabId, badge, shown) => {
        calls.push({ title: badge.title, shown: shown?.title ?? null });
      },
    });
    await notePageChange(1, { status: 'loading', url: PAGE });
    await notePageScan(1, { frameId: 0, frameUrl: PAGE, pending: 0 });
    await toolbar.redraw(1);
    await toolbar.redraw(1);
    expect(calls).toEqual([{ title: NONE, shown: null }]);
    await putDocument(1, PAGE, record('a', 'done', 'valid'));
    await toolbar.redraw(1);
    expect(calls.at(-1)).toEqual({ title: '1 份授权文件：1 份有效', shown: NONE });
    toolbar.forget(1);
    await toolbar.redraw(1);
    expect(calls.at(-1)).toEqual({ title: '1 份授权文件：1 份有效', shown: null });
    expect(calls).toHaveLength(3);
    await notePageChange(1, { status: 'loading', url: NEXT });
    await toolbar.redraw(1);
    expect(calls.at(-1)).toEqual({ title: IDLE, shown: null });
  });

  it('does not trust a draw that ran across a forget (Chrome may have cleared it)', async () => {
    let drawing: Promise<void> = Promise.resolve();
    const shownSeen: (string | null)[] = [];
    const toolbar = createToolbar({
      read: readTab,
      locale: async () => 'zh-CN',
      draw: async (_tabId, _badge, shown) => {
        shownSeen.push(shown?.title ?? null);
        await drawing;
      },
    });
    await notePageChange(1, { status: 'loading', url: PAGE });
    let release = () => {};
    drawing = new Promise((r) => {
      release = r;
    });
    const first = toolbar.redraw(1);
    await sleep(5);
    toolbar.forget(1);
    release();
    await first;
    await toolbar.redraw(1);
    expect(shownSeen).toEqual([null, null]);
  });
});

// The marker feed: only our marker frames, only documents of their own tab, one push per change.
import { beforeEach, describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import type { DocumentRecord, TabDocuments } from '../../../utils/check/document-record.ts';
import { createMarkerFeed, type MarkerUpdate } from '../../../utils/extension/marker-feed.ts';
import { forgetTabsInMemory } from '../../../utils/extension/tab-store.ts';

const record = (id: string, state: 'checking' | 'done', verdict = 'none'): DocumentRecord =>
  ({
    id,
    name: `${id}.png`,
    url: null,
    source: 'img',
    pageUrl: 'https://portal/',
    checkedAt: 1,
    progress: null,
    codes: [],
    state,
    verdict,
    error: null,
  }) as DocumentRecord;
const tab = (tabId: number, documents: DocumentRecord[]): TabDocuments => ({
  tabId,
  pageUrl: 'https://portal/',
  documents,
});

function fakePort(sender: object) {
  const listeners: ((m: unknown) => void)[] = [];
  const closers: (() => void)[] = [];
  const sent: MarkerUpdate[] = [];
  const port = {
    name: 'yanzhen-marker',
    sender,
    disconnected: false,
    postMessage: (m: MarkerUpdate) => sent.push(m),
    disconnect: () => {
      port.disconnected = true;
    },
    onMessage: { addListener: (l: (m: unknown) => void) => listeners.push(l) },
    onDisconnect: { addListener: (l: () => void) => closers.push(l) },
  };
  const send = (m: unknown) => {
    for (const l of listeners) l(m);
  };
  const close = () => {
    for (const c of closers) c();
  };
  return { port, sent, send, close };
}

const markerSender = (tabId: number) => ({
  id: browser.runtime.id,
  url: `${browser.runtime.getURL('/marker.html')}?m=token`,
  tab: { id: tabId },
  frameId: 3,
});

beforeEach(() => {
  fakeBrowser.reset();
  forgetTabsInMemory();
});

describe('the marker feed', () => {
  it('sends the record when the marker connects, then only when it changes', async () => {
    const feed = createMarkerFeed(async () => tab(5, [record('a', 'checking')]));
    const { port, sent, send } = fakePort(markerSender(5));
    feed.serve(port as never);
    send({ docId: 'a' });
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.map((m) => [m.docId, m.record?.state])).toEqual([['a', 'checking']]);
    feed.tabStored(tab(5, [record('a', 'checking'), record('b', 'checking')]));
    expect(sent).toHaveLength(1);
    feed.tabStored(tab(5, [record('a', 'done', 'valid'), record('b', 'checking')]));
    expect(sent.map((m) => [m.docId, m.record?.verdict])).toEqual([
      ['a', 'none'],
      ['a', 'valid'],
    ]);
  });

  it('never sends a record of another tab, and nothing after the frame went', async () => {
    const feed = createMarkerFeed(async () => null);
    const { port, sent, send, close } = fakePort(markerSender(5));
    feed.serve(port as never);
    send({ docId: 'a' });
    await new Promise((r) => setTimeout(r, 0));
    feed.tabStored(tab(6, [record('a', 'done', 'valid')]));
    expect(sent.map((m) => m.record)).toEqual([null]);
    close();
    feed.tabStored(tab(5, [record('a', 'done', 'valid')]));
    expect(sent).toHaveLength(1);
  });

  it('does not send an older read after a newer push', async () => {
    let answer: (t: TabDocuments) => void = () => undefined;
    const feed = createMarkerFeed(() => new Promise((resolve) => (answer = resolve)));
    const { port, sent, send } = fakePort(markerSender(5));
    feed.serve(port as never);
    send({ docId: 'a' });
    feed.tabStored(tab(5, [record('a', 'done', 'valid')]));
    answer(tab(5, [record('a', 'checking')]));
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.map((m) => m.record?.state)).toEqual(['done']);
  });

  it.each([
    ['a content script', { id: 'SELF', url: 'https://portal/', tab: { id: 5 } }],
    ['another extension', { id: 'other', url: 'chrome-extension://other/marker.html', tab: { id: 5 } }],
    ['an extension page that is not a marker', { id: 'SELF', url: 'EXT/sidepanel.html' }],
  ])('hangs up on %s', (_what, raw) => {
    const ext = browser.runtime.getURL('/').replace(/\/$/, '');
    const sender = JSON.parse(JSON.stringify(raw).replaceAll('SELF', browser.runtime.id).replaceAll('EXT', ext));
    const { port } = fakePort(sender);
    createMarkerFeed(async () => null).serve(port as never);
    expect(port.disconnected).toBe(true);
  });
});

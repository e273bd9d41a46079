import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { DocumentRecord } from '../../../utils/check/document-record.ts';
import {
  clearTab,
  flushTabs,
  forgetTabsInMemory,
  putDocument,
  readTab,
  removeTab,
  WRITE_BEHIND_MS,
} from '../../../utils/extension/tab-store.ts';

const PAGE = 'http://127.0.0.1:47310/review.html';

function record(id: string, overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    id,
    name: `${id}.png`,
    url: `http://127.0.0.1:47310/files/${id}.png`,
    source: 'img',
    pageUrl: PAGE,
    checkedAt: 0,
    state: 'checking',
    progress: null,
    codes: [],
    verdict: 'none',
    error: null,
    ...overrides,
  };
}

beforeEach(() => {
  fakeBrowser.reset();
  forgetTabsInMemory();
});

describe('per-tab documents in storage.session', () => {
  it('loses no record when checks of one tab finish together', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => putDocument(3, PAGE, record(`d${i}`))));
    expect((await readTab(3))?.documents.map((d) => d.id).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `d${i}`).sort(),
    );
  });

  it('replaces a checking record with its verdict, keeping one record per document', async () => {
    await putDocument(3, PAGE, record('a'));
    await putDocument(3, PAGE, record('a', { state: 'done', verdict: 'invalid' }));
    expect((await readTab(3))?.documents).toEqual([record('a', { state: 'done', verdict: 'invalid' })]);
  });

  it('keeps tabs apart and remembers the page each was found on', async () => {
    await putDocument(3, PAGE, record('a'));
    await putDocument(4, 'https://other.gov.cn/', record('b'));
    expect(await readTab(3)).toMatchObject({ tabId: 3, pageUrl: PAGE, documents: [{ id: 'a' }] });
    expect(await readTab(4)).toMatchObject({ tabId: 4, pageUrl: 'https://other.gov.cn/', documents: [{ id: 'b' }] });
  });

  it('empties a navigated tab and forgets a closed one', async () => {
    await putDocument(3, PAGE, record('a'));
    await clearTab(3);
    expect(await readTab(3)).toMatchObject({ tabId: 3, pageUrl: '', documents: [], page: { scanned: false } });
    await removeTab(3);
    expect(await readTab(3)).toBeNull();
  });

  it('writes storage.session behind, once for a burst of changes, with the newest state', async () => {
    const set = vi.spyOn(fakeBrowser.storage.session, 'set');
    await Promise.all(Array.from({ length: 8 }, (_, i) => putDocument(3, PAGE, record(`d${i}`))));
    await putDocument(3, PAGE, record('d0', { state: 'done', verdict: 'valid' }));
    expect(set).not.toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, WRITE_BEHIND_MS + 50));
    expect(set).toHaveBeenCalledTimes(1);
    const stored = (await fakeBrowser.storage.session.get('tab:3'))['tab:3'] as { documents: DocumentRecord[] };
    expect(stored.documents).toHaveLength(8);
    expect(stored.documents.find((d) => d.id === 'd0')).toMatchObject({ state: 'done', verdict: 'valid' });
  });

  it('gives a restarted worker the stored copy, and keeps building on it', async () => {
    await putDocument(3, PAGE, record('a', { state: 'done', verdict: 'valid' }));
    await flushTabs();
    forgetTabsInMemory();
    expect((await readTab(3))?.documents.map((d) => [d.id, d.verdict])).toEqual([['a', 'valid']]);
    await putDocument(3, PAGE, record('b'));
    await flushTabs();
    forgetTabsInMemory();
    expect((await readTab(3))?.documents.map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('loses only the changes of the last instant when the worker dies before writing them', async () => {
    await putDocument(3, PAGE, record('a'));
    await flushTabs();
    await putDocument(3, PAGE, record('a', { state: 'done', verdict: 'valid' }));
    forgetTabsInMemory();
    // The card is still `checking` in the copy: the interrupted-checks recovery checks it again.
    expect((await readTab(3))?.documents).toEqual([record('a')]);
  });

  it('does not write a closed tab back after removing it', async () => {
    await putDocument(3, PAGE, record('a'));
    await removeTab(3);
    await new Promise((r) => setTimeout(r, WRITE_BEHIND_MS + 50));
    expect(await fakeBrowser.storage.session.get('tab:3')).toEqual({});
  });
});

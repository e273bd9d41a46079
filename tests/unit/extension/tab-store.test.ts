import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { DocumentRecord } from '../../../utils/check/document-record.ts';
import { clearTab, putDocument, readTab, removeTab } from '../../../utils/extension/tab-store.ts';

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
});

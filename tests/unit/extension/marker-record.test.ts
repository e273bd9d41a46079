// What a marker frame gets where it has no storage.session (Firefox): its own tab's record only.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { DocumentRecord } from '../../../utils/check/document-record.ts';
import { markerRecord } from '../../../utils/extension/marker-record.ts';
import { forgetTabsInMemory, putDocument } from '../../../utils/extension/tab-store.ts';

const PAGE = 'http://127.0.0.1:47310/review.html';
const RECORD: DocumentRecord = {
  id: 'd1',
  name: 'letter.png',
  url: 'http://127.0.0.1:47310/files/valid.png',
  source: 'img',
  pageUrl: PAGE,
  checkedAt: 0,
  state: 'done',
  progress: null,
  codes: [],
  verdict: 'valid',
  error: null,
};

beforeEach(async () => {
  fakeBrowser.reset();
  forgetTabsInMemory();
  await putDocument(3, PAGE, RECORD);
});

describe('markerRecord', () => {
  it("answers a frame of the document's own tab with the record", async () => {
    expect(await markerRecord({ tabId: 3, docId: 'd1' }, 3)).toEqual({ record: RECORD });
  });

  it.each([
    ['a frame of another tab', { tabId: 3, docId: 'd1' }, 4],
    ['a sender with no tab (not a frame in a page)', { tabId: 3, docId: 'd1' }, undefined],
    ['an unknown document', { tabId: 3, docId: 'nope' }, 3],
    ['a tab with no documents', { tabId: 9, docId: 'd1' }, 9],
  ] as const)('answers %s with no record', async (_label, request, senderTab) => {
    expect(await markerRecord(request, senderTab)).toEqual({ record: null });
  });
});

import { describe, expect, it } from 'vitest';
import type { DocumentRecord, TabDocuments } from '../../../utils/check/document-record.ts';
import {
  endInterrupted,
  INTERRUPTED_ERROR,
  isInterrupted,
  isOrphaned,
  mayRecheck,
  needsCheck,
} from '../../../utils/extension/interrupted-checks.ts';

function record(id: string, patch: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    id,
    name: `${id}.png`,
    url: `http://127.0.0.1/files/${id}.png`,
    source: 'img',
    pageUrl: 'http://127.0.0.1/review.html',
    checkedAt: 1000,
    state: 'checking',
    progress: { page: 1, pages: 3 },
    codes: [],
    verdict: 'none',
    error: null,
    ...patch,
  };
}

const done = (id: string) => record(id, { state: 'done', verdict: 'valid', progress: null });
const interrupted = (id: string) =>
  record(id, { state: 'done', verdict: 'error', progress: null, error: INTERRUPTED_ERROR });
const runs =
  (...ids: string[]) =>
  (tabId: number, docId: string) =>
    tabId === 7 && ids.includes(docId);

describe('needsCheck: whether the same bytes submitted again are checked', () => {
  it.each([
    ['no card yet', undefined, runs(), true],
    ['checking here', record('a'), runs('a'), false],
    ['checking, left by a stopped worker', record('a'), runs(), true],
    ['checking on another tab by this worker does not count', record('a'), (t: number) => t === 8, true],
    ['done with a verdict', done('a'), runs(), false],
    ['ended as interrupted', interrupted('a'), runs(), true],
    [
      'an ordinary error stays',
      record('a', { state: 'done', verdict: 'error', error: { key: 'extension.error.internal' } }),
      runs(),
      false,
    ],
  ] as const)('%s -> %s', (_name, existing, running, expected) => {
    expect(needsCheck(7, existing, running)).toBe(expected);
  });
});

describe('isOrphaned / isInterrupted', () => {
  it('calls orphaned only a checking card no one runs', () => {
    expect(isOrphaned(7, record('a'), runs())).toBe(true);
    expect(isOrphaned(7, record('a'), runs('a'))).toBe(false);
    expect(isOrphaned(7, done('a'), runs())).toBe(false);
  });
  it('knows an interrupted card by its error key only when done', () => {
    expect(isInterrupted(interrupted('a'))).toBe(true);
    expect(isInterrupted(record('a', { error: INTERRUPTED_ERROR }))).toBe(false);
    expect(isInterrupted(done('a'))).toBe(false);
  });
});

describe('endInterrupted', () => {
  it('ends orphaned cards with the interrupted error, never a verdict, and leaves the rest', () => {
    const tab: TabDocuments = {
      tabId: 7,
      pageUrl: 'http://127.0.0.1/review.html',
      documents: [record('lost'), record('mine'), done('old'), interrupted('before')],
    };
    const ended = endInterrupted(tab, runs('mine'), 5000);
    expect(ended).toEqual(['lost']);
    expect(tab.documents.map((d) => [d.id, d.state, d.verdict])).toEqual([
      ['lost', 'done', 'error'],
      ['mine', 'checking', 'none'],
      ['old', 'done', 'valid'],
      ['before', 'done', 'error'],
    ]);
    expect(tab.documents[0]).toMatchObject({ codes: [], progress: null, checkedAt: 5000, error: INTERRUPTED_ERROR });
    expect(isInterrupted(tab.documents[0] as DocumentRecord)).toBe(true);
  });

  it('ends nothing on a tab with nothing checking', () => {
    const tab: TabDocuments = { tabId: 7, pageUrl: '', documents: [done('a')] };
    expect(endInterrupted(tab, runs(), 1)).toEqual([]);
    expect(tab.documents).toEqual([done('a')]);
  });
});

describe('mayRecheck: an orphaned card is re-fetched once, never in a loop', () => {
  it.each([
    ['a first check lost with its worker', record('a'), true],
    ['a retry lost again', record('b', { retried: true }), false],
  ])('%s', (_what, card, expected) => {
    expect(mayRecheck(card)).toBe(expected);
  });
});

// The background's document flow with the verifier host faked: pages done reach the card
// while it is `checking`, a late progress never undoes `done`, and sources map to priorities.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { DocumentRecord } from '../../../utils/check/document-record.ts';
import { createDocumentFlow, type DocumentFlowPorts, priorityOf } from '../../../utils/extension/document-flow.ts';
import { addHistory, rowOfCheck } from '../../../utils/extension/history-store.ts';
import { PRIORITY } from '../../../utils/extension/reader-pool.ts';
import { POLICY_COPY_KEY } from '../../../utils/extension/settings-storage.ts';
import { flushTabs, forgetTabsInMemory, putDocument, readTab } from '../../../utils/extension/tab-store.ts';

// The verifier host, toolbar and refetch come in as ports: faked here.
const hostCheck = vi.fn<DocumentFlowPorts['check']>();
const onOrphan = vi.fn<DocumentFlowPorts['onOrphanCheckEvent']>();
const fetchDocument = vi.fn<DocumentFlowPorts['fetchDocument']>(async () => ({
  ok: false as const,
  detail: 'not in this test',
}));
const { submitDocument, endInterruptedChecks } = createDocumentFlow({
  check: hostCheck,
  onOrphanCheckEvent: onOrphan,
  drawToolbar: vi.fn(async () => undefined),
  fetchDocument,
});
vi.mock('../../../utils/extension/history-store.ts', () => ({
  addHistory: vi.fn(async () => undefined),
  historyEntryFromRecord: vi.fn(() => ({})),
  rowOfCheck: vi.fn(async () => null),
}));
vi.mock('../../../utils/extension/idb-store.ts', () => ({ openYanzhenDb: vi.fn(async () => ({})) }));

const RESULT = {
  codes: [],
  verdict: 'none' as const,
  error: null,
  registrySource: { fromCache: false, fetchedAt: null, problem: null },
};

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition never met');
}

beforeEach(() => {
  fakeBrowser.reset();
  forgetTabsInMemory();
  hostCheck.mockReset();
  vi.mocked(addHistory).mockClear();
});

/** The handler the flow gave for events of checks that outlived their worker. */
function orphanHandler(): Parameters<DocumentFlowPorts['onOrphanCheckEvent']>[0] {
  const handler = onOrphan.mock.calls[0]?.[0];
  if (!handler) throw new Error('the flow registered no orphan handler');
  return handler;
}

const CHECKING: DocumentRecord = {
  id: 'd1',
  name: 'a.png',
  url: 'http://127.0.0.1/a.png',
  source: 'img',
  pageUrl: 'http://127.0.0.1/review.html',
  state: 'checking',
  verdict: 'none',
  codes: [],
  error: null,
  progress: null,
  checkedAt: 1,
};
const orphanResult = (record: DocumentRecord) => ({
  yz: 1 as const,
  kind: 'result' as const,
  id: 'c1',
  job: { tabId: 7, pageUrl: record.pageUrl, record, locale: 'zh-CN' },
  result: { ...RESULT, verdict: 'invalid' as const },
});

describe('submitDocument', () => {
  it('shows pages done on the checking card, then clears them when done; a late progress changes nothing', async () => {
    let finish: (() => void) | null = null;
    let progress: ((p: { page: number; pages: number }) => void) | undefined;
    hostCheck.mockImplementation(async (_bytes, _name, _config, options) => {
      progress = options.onProgress;
      options.onProgress?.({ page: 0, pages: 12 });
      options.onProgress?.({ page: 3, pages: 12 });
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      return RESULT as never;
    });
    const { docId } = await submitDocument({
      tabId: 7,
      pageUrl: 'http://127.0.0.1/review.html',
      name: 'a.pdf',
      url: null,
      source: 'link',
      bytes: new Uint8Array([1, 2, 3]),
      wantsMarker: false,
    });
    const checking = await until(
      () => readTab(7),
      (tab) => tab?.documents[0]?.progress?.page === 3,
    );
    expect(checking?.documents[0]).toMatchObject({ id: docId, state: 'checking', progress: { page: 3, pages: 12 } });
    (finish as unknown as () => void)();
    const done = await until(
      () => readTab(7),
      (tab) => tab?.documents[0]?.state === 'done',
    );
    expect(done?.documents[0]).toMatchObject({ state: 'done', progress: null, verdict: 'none' });
    progress?.({ page: 4, pages: 12 });
    await new Promise((r) => setTimeout(r, 30));
    expect((await readTab(7))?.documents[0]).toMatchObject({ state: 'done', progress: null });
  });

  it('passes the bytes and the priority of the source to the host', async () => {
    hostCheck.mockResolvedValue(RESULT as never);
    const bytes = new Uint8Array([9, 9, 9]);
    await submitDocument({
      tabId: null,
      pageUrl: '',
      name: 'm.png',
      url: null,
      source: 'manual-file',
      bytes,
      wantsMarker: false,
    });
    await until(
      async () => hostCheck.mock.calls.length,
      (n) => n === 1,
    );
    const [sent, name, , options] = hostCheck.mock.calls[0] ?? [];
    expect([sent, name, options?.priority]).toEqual([bytes, 'm.png', PRIORITY.manual]);
  });
});

describe('a check that ends across stopped service workers', () => {
  it('writes the history row before the card says done, so a worker stopped between the two loses no row', async () => {
    const cardWhenRowWritten: (string | undefined)[] = [];
    vi.mocked(addHistory).mockImplementation(async () => {
      cardWhenRowWritten.push((await readTab(7))?.documents[0]?.state);
      return 1;
    });
    hostCheck.mockResolvedValue(RESULT as never);
    await submitDocument({
      tabId: 7,
      pageUrl: 'http://127.0.0.1/review.html',
      name: 'a.png',
      url: null,
      source: 'img',
      bytes: new Uint8Array([4, 5, 6]),
      wantsMarker: false,
    });
    await until(
      () => readTab(7),
      (tab) => tab?.documents[0]?.state === 'done',
    );
    expect(cardWhenRowWritten).toEqual(['checking']);
  });

  it('records the result of a check an earlier worker started once: a second delivery adds no row', async () => {
    await putDocument(7, CHECKING.pageUrl, CHECKING);
    orphanHandler()(orphanResult(CHECKING).job, orphanResult(CHECKING));
    await until(
      () => readTab(7),
      (tab) => tab?.documents[0]?.state === 'done',
    );
    expect((await readTab(7))?.documents[0]).toMatchObject({ state: 'done', verdict: 'invalid' });
    orphanHandler()(orphanResult(CHECKING).job, orphanResult(CHECKING));
    await new Promise((r) => setTimeout(r, 30));
    expect(vi.mocked(addHistory)).toHaveBeenCalledTimes(1);
  });

  it('leaves a card being checked again here to that check: its result is the one recorded, once', async () => {
    let finish: (() => void) | null = null;
    hostCheck.mockImplementation(async () => {
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      return RESULT as never;
    });
    const { docId } = await submitDocument({
      tabId: 7,
      pageUrl: CHECKING.pageUrl,
      name: 'a.png',
      url: CHECKING.url,
      source: 'img',
      bytes: new Uint8Array([7, 8, 9]),
      wantsMarker: false,
    });
    await until(
      async () => hostCheck.mock.calls.length,
      (n) => n === 1,
    );
    const record = { ...CHECKING, id: docId };
    orphanHandler()(orphanResult(record).job, orphanResult(record));
    await new Promise((r) => setTimeout(r, 30));
    expect(vi.mocked(addHistory)).not.toHaveBeenCalled();
    expect((await readTab(7))?.documents[0]?.state).toBe('checking');
    (finish as unknown as () => void)();
    await until(
      () => readTab(7),
      (tab) => tab?.documents[0]?.state === 'done',
    );
    expect((await readTab(7))?.documents[0]?.verdict).toBe('none');
    expect(vi.mocked(addHistory)).toHaveBeenCalledTimes(1);
  });
});

describe('a card whose check wrote its history row before its worker stopped', () => {
  it('is ended from that row by the next worker, not checked again (one check, one row)', async () => {
    await putDocument(7, CHECKING.pageUrl, CHECKING);
    await flushTabs();
    forgetTabsInMemory();
    vi.mocked(rowOfCheck).mockImplementationOnce(async (_db, documentId, startedAt) =>
      documentId === CHECKING.id && startedAt === CHECKING.checkedAt
        ? {
            checkedAt: 9,
            pageUrl: CHECKING.pageUrl,
            fileName: CHECKING.name,
            source: 'img',
            verdict: 'invalid',
            reasons: ['ISSUER_UNKNOWN'],
            issuer: null,
            issuerName: null,
            organization: null,
            organizationCode: null,
            codes: [],
            error: null,
            check: {
              documentId,
              startedAt,
              registrySource: { fromCache: true, fetchedAt: 3, problem: 'REGISTRY_UNREACHABLE' },
            },
          }
        : null,
    );
    await endInterruptedChecks();
    expect((await readTab(7))?.documents[0]).toMatchObject({
      state: 'done',
      verdict: 'invalid',
      checkedAt: 9,
      registrySource: { fromCache: true, fetchedAt: 3, problem: 'REGISTRY_UNREACHABLE' },
    });
    expect(fetchDocument).not.toHaveBeenCalled();
    expect(hostCheck).not.toHaveBeenCalled();
    expect(vi.mocked(addHistory)).not.toHaveBeenCalled();
  });
});

describe('priorityOf', () => {
  it.each([
    ['manual-file', undefined, PRIORITY.manual],
    ['paste', undefined, PRIORITY.manual],
    ['camera', undefined, PRIORITY.manual],
    ['tab-pdf', undefined, PRIORITY.manual],
    ['upload', undefined, PRIORITY.visible],
    ['drop', undefined, PRIORITY.visible],
    ['img', true, PRIORITY.visible],
    ['img', false, PRIORITY.background],
    ['link', undefined, PRIORITY.background],
    ['embed', undefined, PRIORITY.background],
  ] as const)('%s (visible %s) is %s', (source, visible, expected) => {
    expect(priorityOf({ source, visible })).toBe(expected);
  });
});

describe('a check sent before the policy service answers (about 3 s after each browser start)', () => {
  const doc = (bytes: number[]) => ({
    tabId: 7,
    pageUrl: CHECKING.pageUrl,
    name: 'a.png',
    url: CHECKING.url,
    source: 'img' as const,
    bytes: new Uint8Array(bytes),
    wantsMarker: false,
  });
  /** storage.managed.get that answers `policy` only when the test says so. */
  function slowPolicy(policy: Record<string, unknown>): () => void {
    let answer: (() => void) | null = null;
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockImplementation(
      () =>
        new Promise((resolve) => {
          answer = () => resolve(policy);
        }),
    );
    return () => (answer as unknown as () => void)();
  }

  it('is read at once with the policy last seen, and checked again when the live policy differs', async () => {
    await fakeBrowser.storage.local.set({ [POLICY_COPY_KEY]: JSON.stringify({ region: '411381' }) });
    const answer = slowPolicy({ region: '411326' });
    hostCheck.mockResolvedValueOnce({ ...RESULT, verdict: 'valid' } as never);
    hostCheck.mockResolvedValueOnce({ ...RESULT, verdict: 'invalid' } as never);
    await submitDocument(doc([1, 1, 1]));
    await until(
      async () => hostCheck.mock.calls.length,
      (n) => n === 1,
    );
    expect(hostCheck.mock.calls[0]?.[2].region).toBe('411381');
    await new Promise((r) => setTimeout(r, 30));
    // The first verdict waits for the live policy: the card is not done under the old one.
    expect((await readTab(7))?.documents[0]?.state).toBe('checking');
    answer();
    const done = await until(
      () => readTab(7),
      (tab) => tab?.documents[0]?.state === 'done',
    );
    expect(hostCheck.mock.calls.map((c) => c[2].region)).toEqual(['411381', '411326']);
    expect(done?.documents[0]?.verdict).toBe('invalid');
    expect(vi.mocked(addHistory)).toHaveBeenCalledTimes(1);
  });

  it('keeps the first verdict when the live policy is the one last seen: one check', async () => {
    await fakeBrowser.storage.local.set({ [POLICY_COPY_KEY]: JSON.stringify({ region: '411381' }) });
    const answer = slowPolicy({ region: '411381' });
    hostCheck.mockResolvedValue({ ...RESULT, verdict: 'valid' } as never);
    await submitDocument(doc([2, 2, 2]));
    await until(
      async () => hostCheck.mock.calls.length,
      (n) => n === 1,
    );
    answer();
    const done = await until(
      () => readTab(7),
      (tab) => tab?.documents[0]?.state === 'done',
    );
    expect(done?.documents[0]?.verdict).toBe('valid');
    expect(hostCheck).toHaveBeenCalledTimes(1);
  });

  it('does not record the result of an earlier worker judged under settings no longer in force', async () => {
    await fakeBrowser.storage.managed.set({ region: '411326' });
    await putDocument(7, CHECKING.pageUrl, CHECKING);
    const event = orphanResult(CHECKING);
    const job = { ...event.job, config: { registryUrl: '', rootKeys: '', region: '411381' } };
    orphanHandler()(job, { ...event, job });
    await new Promise((r) => setTimeout(r, 50));
    expect((await readTab(7))?.documents[0]?.state).toBe('checking');
    expect(vi.mocked(addHistory)).not.toHaveBeenCalled();
  });
});

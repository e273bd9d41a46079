// The service worker's wait on checks posted to the offscreen document, driven with a fake
// clock and fake document listings: every check ends (its result, or ReaderGoneError for the
// one retry) whatever the document does, and the retry rule never reads a file a third time.
import { describe, expect, it } from 'vitest';
import type { OffscreenCheckEvent, OffscreenCheckResult } from '../../../utils/extension/messages.ts';
import {
  CHECK_WAITERS_TIMING,
  checkErrorResult,
  createCheckWaiters,
  createRetryingCheck,
  ReaderGoneError,
} from '../../../utils/extension/offscreen-checks.ts';

const VALID: OffscreenCheckResult = {
  codes: [],
  verdict: 'none',
  error: null,
  registrySource: { fromCache: false, fetchedAt: null, problem: null },
};

/** Waiters over a fake clock: `advance` moves time and runs the liveness ticks that fall due. */
function harness(listed: () => readonly string[] | Error = () => ['doc-1']) {
  let now = 0;
  let tick: (() => void) | null = null;
  let nextTick = 0;
  const orphans: OffscreenCheckEvent[] = [];
  let quiet = 0;
  const waiters = createCheckWaiters(
    {
      documents: async () => {
        const value = listed();
        if (value instanceof Error) throw value;
        return value;
      },
      now: () => now,
      every: (ms, run) => {
        tick = run;
        nextTick = now + ms;
        return () => {
          tick = null;
        };
      },
      onOrphan: (event) => orphans.push(event),
      onQuiet: () => {
        quiet++;
      },
    },
    CHECK_WAITERS_TIMING,
  );
  const flush = () => new Promise((r) => setTimeout(r, 0));
  return {
    waiters,
    orphans,
    quiet: () => quiet,
    ticking: () => tick !== null,
    async advance(ms: number) {
      const until = now + ms;
      while (tick && nextTick <= until) {
        now = nextTick;
        nextTick += CHECK_WAITERS_TIMING.livenessMs;
        tick();
        await flush();
      }
      now = until;
      await flush();
    },
  };
}

const event = {
  accepted: (id: string): OffscreenCheckEvent => ({ yz: 1, kind: 'accepted', id, job: null }),
  progress: (id: string, page: number, pages: number): OffscreenCheckEvent => ({
    yz: 1,
    kind: 'progress',
    id,
    job: null,
    page,
    pages,
  }),
  result: (id: string): OffscreenCheckEvent => ({ yz: 1, kind: 'result', id, job: null, result: VALID }),
};

/** How a waited check ended: 'result', or the ReaderGoneError's words, or still 'waiting'. */
function outcome(promise: Promise<OffscreenCheckResult>): () => string {
  let seen = 'waiting';
  promise.then(
    () => {
      seen = 'result';
    },
    (error: unknown) => {
      seen = error instanceof ReaderGoneError ? `gone: ${error.message}` : `other: ${String(error)}`;
    },
  );
  return () => seen;
}

describe('checks waited on in the offscreen document', () => {
  it('ends each check the way its document behaved', async () => {
    const ms = CHECK_WAITERS_TIMING;
    // [what happens, how the check ends, when (ms after posting) it is looked at]
    const table: [string, (h: ReturnType<typeof harness>, id: string) => Promise<void>, string][] = [
      [
        'answered',
        async (h, id) => {
          h.waiters.receive(event.accepted(id));
          h.waiters.receive(event.result(id));
        },
        'result',
      ],
      [
        'acknowledged, then pages for longer than the ack wait, then answered',
        async (h, id) => {
          h.waiters.receive(event.accepted(id));
          for (let page = 1; page <= 4; page++) {
            await h.advance(ms.ackMs);
            h.waiters.receive(event.progress(id, page, 4));
          }
          h.waiters.receive(event.result(id));
        },
        'result',
      ],
      [
        'never acknowledged (posted to a document that was dying)',
        async (h) => h.advance(ms.ackMs + ms.livenessMs),
        'gone: the offscreen document never received the check',
      ],
      [
        'acknowledged, then nothing from the document at all',
        async (h, id) => {
          h.waiters.receive(event.accepted(id));
          await h.advance(ms.quietMs + ms.livenessMs);
        },
        'gone: the offscreen document stopped answering',
      ],
    ];
    for (const [what, run, expected] of table) {
      const h = harness();
      const ended = outcome(h.waiters.wait('c1'));
      h.waiters.posted('c1', 'doc-1');
      await run(h, 'c1');
      await h.advance(0);
      expect([what, ended()]).toEqual([what, expected]);
      expect([what, h.waiters.size()]).toEqual([what, 0]);
      expect([what, h.ticking()]).toEqual([what, false]);
    }
  });

  it('ends the checks of a document that is no longer listed, not those posted to its successor', async () => {
    let listed: string[] = ['doc-1'];
    const h = harness(() => listed);
    const old = outcome(h.waiters.wait('old'));
    h.waiters.posted('old', 'doc-1');
    h.waiters.receive(event.accepted('old'));
    // Closed, still listed for a while beside the new one (as Chromium lists it a few seconds).
    listed = ['doc-1', 'doc-2'];
    const fresh = outcome(h.waiters.wait('new'));
    h.waiters.posted('new', 'doc-2');
    h.waiters.receive(event.accepted('new'));
    await h.advance(CHECK_WAITERS_TIMING.livenessMs * 2);
    expect([old(), fresh()]).toEqual(['waiting', 'waiting']);
    listed = ['doc-2'];
    await h.advance(CHECK_WAITERS_TIMING.livenessMs);
    expect([old(), fresh()]).toEqual(['gone: the offscreen document was closed', 'waiting']);
    h.waiters.receive(event.result('new'));
    await h.advance(0);
    expect(fresh()).toBe('result');
  });

  it('does not take a failed lookup of the documents for their death', async () => {
    const h = harness(() => new Error('matchAll failed'));
    const ended = outcome(h.waiters.wait('c1'));
    h.waiters.posted('c1', 'doc-1');
    h.waiters.receive(event.accepted('c1'));
    await h.advance(CHECK_WAITERS_TIMING.livenessMs * 5);
    expect(ended()).toBe('waiting');
    h.waiters.receive(event.result('c1'));
    await h.advance(0);
    expect(ended()).toBe('result');
  });

  it('keeps a queued check waiting while the document answers others, and closes a document gone quiet', async () => {
    const h = harness();
    const busy = outcome(h.waiters.wait('busy'));
    const queued = outcome(h.waiters.wait('queued'));
    h.waiters.posted('busy', 'doc-1');
    h.waiters.posted('queued', 'doc-1');
    h.waiters.receive(event.accepted('busy'));
    h.waiters.receive(event.accepted('queued'));
    // The pool reads `busy` for longer than the quiet limit, one page at a time; `queued` waits behind it.
    for (let page = 1; page <= 3; page++) {
      await h.advance(CHECK_WAITERS_TIMING.quietMs / 2);
      h.waiters.receive(event.progress('busy', page, 3));
    }
    expect([busy(), queued(), h.quiet()]).toEqual(['waiting', 'waiting', 0]);
    h.waiters.receive(event.result('busy'));
    await h.advance(CHECK_WAITERS_TIMING.quietMs + CHECK_WAITERS_TIMING.livenessMs);
    expect([busy(), queued(), h.quiet()]).toEqual(['result', 'gone: the offscreen document stopped answering', 1]);
  });

  it('passes events of checks it never posted to the orphan handler, and drops late answers of checks it gave up', async () => {
    const h = harness();
    const ended = outcome(h.waiters.wait('late'));
    h.waiters.posted('late', 'doc-1');
    await h.advance(CHECK_WAITERS_TIMING.ackMs + CHECK_WAITERS_TIMING.livenessMs);
    expect(ended()).toMatch(/^gone/);
    // The document was only slow: its answer must not be recorded a second time.
    h.waiters.receive(event.accepted('late'));
    h.waiters.receive(event.result('late'));
    h.waiters.receive(event.accepted('stranger'));
    h.waiters.receive(event.progress('stranger', 1, 2));
    h.waiters.receive(event.result('stranger'));
    expect(h.orphans.map((e) => [e.id, e.kind])).toEqual([
      ['stranger', 'progress'],
      ['stranger', 'result'],
    ]);
  });

  it('passes pages done to the check that asked, and forgets a check answered another way', async () => {
    const h = harness();
    const pages: string[] = [];
    const ended = outcome(h.waiters.wait('c1', ({ page, pages: n }) => pages.push(`${page}/${n}`)));
    h.waiters.receive(event.progress('c1', 1, 2));
    h.waiters.receive(event.progress('c1', 2, 2));
    h.waiters.forget('c1');
    await h.advance(CHECK_WAITERS_TIMING.quietMs * 2);
    expect([pages, ended(), h.waiters.size(), h.ticking()]).toEqual([['1/2', '2/2'], 'waiting', 0, false]);
  });
});

describe('one retry for a check whose reader was lost', () => {
  /** An attempt that fails as `plan` says, one entry per call; records the bytes it was given. */
  function attempts(plan: ('gone' | 'ok' | 'boom')[]) {
    const seen: number[][] = [];
    const run = async (bytes: Uint8Array): Promise<OffscreenCheckResult> => {
      seen.push([...bytes]);
      const step = plan[seen.length - 1];
      // The first attempt moves the bytes away, as a transfer does.
      bytes.fill(0);
      if (step === 'gone') throw new ReaderGoneError('the offscreen document was closed');
      if (step === 'boom') throw new Error('boom');
      return VALID;
    };
    return { run, seen };
  }

  it.each([
    ['answered at once', ['ok'], 1000, 1, 'none'],
    ['lost once, answered by the retry from the copy', ['gone', 'ok'], 1000, 2, 'none'],
    ['lost twice: readerCrashed, never a third read', ['gone', 'gone', 'ok'], 1000, 2, 'extension.error.readerCrashed'],
    ['lost once, too large to keep a copy: readerCrashed', ['gone', 'ok'], 2, 1, 'extension.error.readerCrashed'],
  ] as const)('%s', async (_, plan, copyMax, reads, ends) => {
    const check = createRetryingCheck(copyMax);
    const { run, seen } = attempts([...plan]);
    const result = await check(new Uint8Array([1, 2, 3]), run);
    expect(seen).toHaveLength(reads);
    // The retry reads the same bytes as the first attempt, not the emptied buffer.
    for (const bytes of seen) expect(bytes).toEqual([1, 2, 3]);
    expect(result.error?.key ?? result.verdict).toBe(ends);
  });

  it('passes other errors through', async () => {
    const check = createRetryingCheck();
    await expect(check(new Uint8Array([1]), attempts(['boom']).run)).rejects.toThrow('boom');
  });

  it('runs retries one at a time, so one file that kills the reader takes down only its own retry', async () => {
    const check = createRetryingCheck();
    const order: string[] = [];
    let release: (() => void) | null = null;
    const first = check(new Uint8Array([1]), async (bytes) => {
      order.push(`a${order.filter((o) => o.startsWith('a')).length}`);
      if (order.length === 1) throw new ReaderGoneError('gone');
      await new Promise<void>((r) => {
        release = r;
      });
      bytes.fill(0);
      return VALID;
    });
    const second = check(new Uint8Array([2]), async () => {
      order.push(`b${order.filter((o) => o.startsWith('b')).length}`);
      if (order.filter((o) => o.startsWith('b')).length === 1) throw new ReaderGoneError('gone');
      return VALID;
    });
    await new Promise((r) => setTimeout(r, 0));
    // a's retry runs; b's waits behind it.
    expect(order).toEqual(['a0', 'b0', 'a1']);
    (release as (() => void) | null)?.();
    await Promise.all([first, second]);
    expect(order).toEqual(['a0', 'b0', 'a1', 'b1']);
  });

  it('gives an error result no one can take for a verdict', () => {
    const result = checkErrorResult({ key: 'extension.error.readerCrashed' });
    expect([result.verdict, result.codes, result.error?.key]).toEqual(['error', [], 'extension.error.readerCrashed']);
  });
});

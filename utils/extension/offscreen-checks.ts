/**
 * The checks the service worker has handed to the offscreen document and is waiting on, and
 * how each one ends when the document does not answer: it died with the check in it, the
 * check never reached it, or it stopped answering. Every check ends, with its result, with
 * {@link ReaderGoneError} (the host then tries once more, see {@link createRetryingCheck}),
 * never "checking" for good.
 *
 * Pure: which documents exist, the clock and the timer come in as {@link CheckWaitersPorts}
 * (entrypoints/background/verifier-host.ts wires `clients.matchAll` and `setInterval`; the
 * unit tests pass fakes).
 */
import type { LocalizedMessage } from '../check/document-check.ts';
import type { OffscreenCheckEvent, OffscreenCheckResult } from './messages.ts';

/**
 * The offscreen document holding a check went away (closed by the browser, crashed), never
 * got it, or stopped answering. Its bytes went with it; the host tries once more, then ends
 * the check with `extension.error.readerCrashed`.
 */
export class ReaderGoneError extends Error {}

/** A check's end when it has no result: no code, the error, and nothing said of the registry. */
export function checkErrorResult(error: LocalizedMessage): OffscreenCheckResult {
  return {
    codes: [],
    verdict: 'error',
    error,
    registrySource: { fromCache: false, fetchedAt: null, problem: null },
  };
}

export interface CheckWaitersPorts {
  /**
   * The client ids of the offscreen documents listed now. Chromium allows one; a closed or
   * crashed one stays listed for a few seconds, so two may be seen while it goes.
   */
  documents(): Promise<readonly string[]>;
  now(): number;
  /** Runs `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
  /** Events of a check no one here waits for (the service worker that posted it died). */
  onOrphan(event: OffscreenCheckEvent): void;
  /** The document stopped answering with checks in it: it is closed, so the retries go to a fresh one. */
  onQuiet(): void;
}

export interface CheckWaitersTiming {
  /** How often the waiters look whether the documents their checks went to are still there. */
  livenessMs: number;
  /** A posted check the document has not acknowledged by then never reached it (lost in a dying document). */
  ackMs: number;
  /**
   * Longest the document may say nothing at all with checks in it: past its own watchdogs
   * (60 s for a file's opening or one page, reader-slots.ts) and a letter's fetches.
   */
  quietMs: number;
}

export const CHECK_WAITERS_TIMING: CheckWaitersTiming = { livenessMs: 2_000, ackMs: 20_000, quietMs: 150_000 };

export interface CheckWaiters {
  /** Waits for check `id`: its result, or ReaderGoneError. Register before posting it. */
  wait(id: string, onProgress?: (progress: { page: number; pages: number }) => void): Promise<OffscreenCheckResult>;
  /** Check `id` was posted to the document with this client id; it must acknowledge it within `ackMs`. */
  posted(id: string, documentId: string): void;
  /** Stops waiting for check `id` (answered another way) without ending its promise. */
  forget(id: string): void;
  /** An event from the offscreen document. */
  receive(event: OffscreenCheckEvent): void;
  /** How many checks are waited for. */
  size(): number;
}

interface Waiter {
  /** The document the check was posted to; null while not posted, or sent by runtime message. */
  documentId: string | null;
  postedAt: number | null;
  acknowledged: boolean;
  since: number;
  resolve(result: OffscreenCheckResult): void;
  fail(error: Error): void;
  onProgress?: (progress: { page: number; pages: number }) => void;
}

/**
 * @example
 * const waiters = createCheckWaiters(ports, CHECK_WAITERS_TIMING);
 * const result = waiters.wait(id); client.postMessage(request, [buffer]); waiters.posted(id, client.id);
 */
export function createCheckWaiters(ports: CheckWaitersPorts, timing: CheckWaitersTiming): CheckWaiters {
  const waiting = new Map<string, Waiter>();
  /** When the document last said anything about any check. */
  let lastWord = ports.now();
  let stop: (() => void) | null = null;
  let looking = false;
  /**
   * Checks ended here without their result (most recent last): a late answer for one (the
   * document was only slow) is dropped, not taken for an orphan and recorded a second time.
   */
  const givenUp = new Set<string>();

  function end(id: string, waiter: Waiter, why: string): void {
    waiting.delete(id);
    givenUp.add(id);
    if (givenUp.size > 1000) givenUp.delete(givenUp.values().next().value as string);
    waiter.fail(new ReaderGoneError(why));
  }

  function watch(): void {
    if (waiting.size === 0) {
      stop?.();
      stop = null;
    } else stop ??= ports.every(timing.livenessMs, () => void look());
  }

  async function look(): Promise<void> {
    if (looking) return;
    looking = true;
    try {
      // Not known this time (the lookup failed): no check is taken for gone on that.
      const documents = await ports.documents().catch(() => null);
      const listed = documents === null ? null : new Set(documents);
      const now = ports.now();
      let quiet = false;
      for (const [id, waiter] of waiting) {
        // A check belongs to the document it was posted to: a new one opened meanwhile (for
        // the next check) does not hold the old one's work.
        if (listed && waiter.documentId !== null && !listed.has(waiter.documentId))
          end(id, waiter, 'the offscreen document was closed');
        else if (waiter.postedAt !== null && !waiter.acknowledged && now - waiter.postedAt >= timing.ackMs)
          end(id, waiter, 'the offscreen document never received the check');
        else if (now - Math.max(waiter.since, lastWord) >= timing.quietMs) {
          end(id, waiter, 'the offscreen document stopped answering');
          quiet = true;
        }
      }
      if (quiet) ports.onQuiet();
    } finally {
      looking = false;
      watch();
    }
  }

  return {
    wait(id, onProgress) {
      return new Promise<OffscreenCheckResult>((resolve, reject) => {
        const since = ports.now();
        waiting.set(id, {
          documentId: null,
          postedAt: null,
          acknowledged: false,
          since,
          resolve,
          fail: reject,
          onProgress,
        });
        watch();
      });
    },
    posted(id, documentId) {
      const waiter = waiting.get(id);
      if (!waiter) return;
      waiter.documentId = documentId;
      waiter.postedAt = ports.now();
    },
    forget(id) {
      waiting.delete(id);
      watch();
    },
    receive(event) {
      lastWord = ports.now();
      const waiter = waiting.get(event.id);
      if (!waiter) {
        if (event.kind !== 'accepted' && !givenUp.has(event.id)) ports.onOrphan(event);
        return;
      }
      waiter.acknowledged = true;
      if (event.kind === 'progress') waiter.onProgress?.({ page: event.page, pages: event.pages });
      else if (event.kind === 'result') {
        waiting.delete(event.id);
        waiter.resolve(event.result);
        watch();
      }
    },
    size: () => waiting.size,
  };
}

/**
 * A document is held in a copy for its one retry only up to this size (the service worker
 * keeps it while the check runs; larger ones end with the error after the first loss).
 */
export const RETRY_COPY_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Runs checks with one retry each when the reader is lost under them (ReaderGoneError),
 * from a copy taken before the first attempt moves the bytes away; a second loss ends the
 * check with `extension.error.readerCrashed`, never a third try: a file that kills the reader
 * every time must not crash-loop it. Retries run one at a time, so a document that kills the
 * reader takes down only its own retry, not those of the documents that shared the dead
 * reader with it. Other errors pass through.
 */
export function createRetryingCheck(
  copyMaxBytes = RETRY_COPY_MAX_BYTES,
): (bytes: Uint8Array, attempt: (bytes: Uint8Array) => Promise<OffscreenCheckResult>) => Promise<OffscreenCheckResult> {
  let retries: Promise<unknown> = Promise.resolve();
  const crashed = () => checkErrorResult({ key: 'extension.error.readerCrashed' });
  return async (bytes, attempt) => {
    const spare = bytes.byteLength <= copyMaxBytes ? bytes.slice() : null;
    try {
      return await attempt(bytes);
    } catch (error) {
      if (!(error instanceof ReaderGoneError)) throw error;
      if (!spare) return crashed();
    }
    const retry = async () => {
      try {
        return await attempt(spare);
      } catch (error) {
        if (error instanceof ReaderGoneError) return crashed();
        throw error;
      }
    };
    const next = retries.then(retry, retry);
    retries = next.catch(() => undefined);
    return next;
  };
}

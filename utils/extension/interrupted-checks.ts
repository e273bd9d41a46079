/**
 * Checks that no one is running any more. A check lives in the service worker's memory
 * (the queue, the message to the offscreen document) while its card in `storage.session`
 * says `checking`; when Chrome stops the worker (idle, crash, an update, DevTools) the card
 * would say `checking` for ever and the clinic would wait on it. A worker knows which checks
 * it runs itself: any other `checking` card was orphaned by an earlier worker, and is either
 * checked again (when its bytes come again) or ended with an error that says what happened.
 * Never a verdict: nothing was decided, so nothing may look decided, least of all green.
 */
import type { DocumentRecord, TabDocuments } from '../check/document-record.ts';

/** The error of a card whose check was lost with a stopped service worker. */
export const INTERRUPTED_ERROR = { key: 'extension.error.interrupted' } as const;

/** Whether this worker is running the check of document `docId` on tab `tabId`. */
export type RunningCheck = (tabId: number, docId: string) => boolean;

/** Whether a card was ended by {@link endInterrupted} (so new bytes for it may check it again). */
export function isInterrupted(record: DocumentRecord): boolean {
  return record.state === 'done' && record.verdict === 'error' && record.error?.key === INTERRUPTED_ERROR.key;
}

/** Whether a card is `checking` with no check behind it in this worker. */
export function isOrphaned(tabId: number, record: DocumentRecord, running: RunningCheck): boolean {
  return record.state === 'checking' && !running(tabId, record.id);
}

/**
 * Whether an orphaned card may be checked again from its URL: once only. A card that is
 * itself such a retry and was orphaned again ends with the interrupted error instead.
 *
 * @example mayRecheck({ ...card, retried: true }) // false
 */
export function mayRecheck(record: DocumentRecord): boolean {
  return record.retried !== true;
}

/**
 * Whether a document submitted again (same bytes, same tab) must be checked rather than
 * answered from its card: yes when there is no card, when its check was orphaned, or when
 * an orphaned check was ended; no while it is being checked or once it has a real result.
 *
 * @example needsCheck(1, undefined, () => false) // true
 */
export function needsCheck(tabId: number, existing: DocumentRecord | undefined, running: RunningCheck): boolean {
  if (!existing) return true;
  return isOrphaned(tabId, existing, running) || isInterrupted(existing);
}

/**
 * Ends the tab's orphaned cards in place (`done`, `error`, no codes, no progress) and returns
 * the ids it ended. Cards being checked by this worker, and finished cards, are left alone.
 *
 * @example endInterrupted(tab, () => false, Date.now()) // ['3f2a…'] for a card left `checking`
 */
export function endInterrupted(tab: TabDocuments, running: RunningCheck, now: number): string[] {
  const ended: string[] = [];
  tab.documents = tab.documents.map((record) => {
    if (!isOrphaned(tab.tabId, record, running)) return record;
    ended.push(record.id);
    return {
      ...record,
      state: 'done',
      verdict: 'error',
      codes: [],
      progress: null,
      checkedAt: now,
      error: INTERRUPTED_ERROR,
    };
  });
  return ended;
}

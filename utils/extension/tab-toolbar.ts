/**
 * The one place that decides what the toolbar shows for a tab. Every event that changes a
 * tab (a new page, a scan report, a document checked) only asks for a redraw; the redraw reads
 * the tab's stored state when it runs, never a snapshot taken by its caller. Redraws of one
 * tab run one at a time and a burst of requests collapses into one, so the last thing drawn
 * is always the newest state: an older page generation or an older document list cannot win
 * by finishing last (both handlers of the old code drew their own snapshot, and the last
 * `setTitle` to finish won).
 *
 * Nothing is drawn again that the tab already shows: a check's few redraws used to make four
 * browser calls each (setIcon decodes its PNGs every time), although mostly only the title's
 * counts had changed. What was drawn is remembered per tab and page generation; Chrome clears
 * a tab's own toolbar values when the tab loads another document, so the background forgets a
 * tab's memory then ({@link Toolbar.forget}) and the next draw sets everything.
 */
import type { TabDocuments } from '../check/document-record.ts';
import type { Locale } from '../i18n/i18n.ts';
import { type TabBadge, tabBadge } from './tab-badge.ts';

export interface ToolbarPorts {
  /** The tab's stored state now (null: nothing known of the tab). */
  read(tabId: number): Promise<TabDocuments | null>;
  locale(): Promise<Locale>;
  /**
   * Draws on the browser's toolbar; may reject when the tab has closed. `shown` is what the
   * tab shows now (drawn earlier on this page), or null when unknown: then draw every part.
   */
  draw(tabId: number, badge: TabBadge, shown: TabBadge | null): Promise<void>;
}

export interface Toolbar {
  /** Redraws the tab from its state as it is when the redraw runs; resolves once that state is drawn. */
  redraw(tabId: number): Promise<void>;
  /** The page generation last drawn for a tab (tests and diagnostics). */
  drawnGeneration(tabId: number): number | null;
  /** Forgets what the tab shows (it loaded another document, or closed): its next draw sets every part. */
  forget(tabId: number): void;
}

const sameBadge = (a: TabBadge, b: TabBadge) =>
  a.icon === b.icon && a.text === b.text && a.color === b.color && a.title === b.title;

/**
 * @example const toolbar = createToolbar({ read: readTab, locale, draw }); await toolbar.redraw(7);
 */
export function createToolbar(ports: ToolbarPorts): Toolbar {
  const running = new Map<number, Promise<void>>();
  const queued = new Map<number, Promise<void>>();
  const drawn = new Map<number, { generation: number; badge: TabBadge }>();
  /** How often each tab was forgotten, so a draw running across a forget is not remembered. */
  const forgotten = new Map<number, number>();

  const drawNow = async (tabId: number) => {
    const [tab, locale] = await Promise.all([ports.read(tabId), ports.locale()]);
    const generation = tab?.page?.generation ?? 0;
    const badge = tabBadge(tab, locale);
    const before = drawn.get(tabId);
    const shown = before && before.generation === generation ? before.badge : null;
    if (shown && sameBadge(shown, badge)) return;
    // Unknown while the calls run: a failed or half-done draw leaves the next one to set everything.
    drawn.delete(tabId);
    const epoch = forgotten.get(tabId) ?? 0;
    try {
      await ports.draw(tabId, badge, shown);
      // Forgotten meanwhile (the tab loaded another document): this draw may have been cleared.
      if ((forgotten.get(tabId) ?? 0) === epoch) drawn.set(tabId, { generation, badge });
    } catch {
      // The tab closed meanwhile: nothing to draw on.
    }
  };

  const redraw = (tabId: number): Promise<void> => {
    // A redraw already waiting will read the state at its own start: it covers this request too.
    const waiting = queued.get(tabId);
    if (waiting) return waiting;
    const before = running.get(tabId) ?? Promise.resolve();
    const next = before.then(async () => {
      queued.delete(tabId);
      running.set(tabId, next);
      try {
        await drawNow(tabId);
      } finally {
        if (running.get(tabId) === next) running.delete(tabId);
      }
    });
    queued.set(tabId, next);
    return next;
  };

  return {
    redraw,
    drawnGeneration: (tabId) => drawn.get(tabId)?.generation ?? null,
    forget: (tabId) => {
      drawn.delete(tabId);
      forgotten.set(tabId, (forgotten.get(tabId) ?? 0) + 1);
    },
  };
}

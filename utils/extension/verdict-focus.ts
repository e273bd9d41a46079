/**
 * "Show me this document": what a marker click asks of the verdict view. The background
 * writes the request to `storage.session` under the marker's own tab; the side panel (or
 * the tab/window host on browsers without `chrome.sidePanel`) reads it when it opens and
 * watches it while open, so the click works whether or not the view was already showing.
 * Pages and content scripts cannot read or write `storage.session`.
 */

/** A request to show one document of a tab (`docId` null: just open the view). */
export interface VerdictFocus {
  docId: string | null;
  /** When the click happened (ms since epoch); a view opened much later ignores it. */
  at: number;
}

/** The `storage.session` key of a tab's focus request. */
export function verdictFocusKey(tabId: number): string {
  return `focus:${tabId}`;
}

/** The `storage.session` key of the tab or window that hosts the verdict view for a tab. */
export function verdictHostKey(tabId: number): string {
  return `verdict-host:${tabId}`;
}

/** Where the view for a tab is hosted when the side panel API is missing. */
export interface VerdictHost {
  hostTabId: number;
  windowId: number | null;
}

/**
 * How long a request is honoured by a view that opens after it: long enough for a slow
 * PC to open the side panel, short enough that opening the panel tomorrow does not jump.
 */
export const FOCUS_FRESH_MS = 30_000;

/**
 * Whether a stored value is a focus request a view just opening should act on.
 *
 * @example isFreshFocus({ docId: 'a', at: 1000 }, 2000) // true
 */
export function isFreshFocus(value: unknown, now: number): value is VerdictFocus {
  if (typeof value !== 'object' || value === null) return false;
  const { docId, at } = value as Partial<VerdictFocus>;
  if (typeof at !== 'number' || !(docId === null || typeof docId === 'string')) return false;
  return now - at >= 0 && now - at <= FOCUS_FRESH_MS;
}

/**
 * The URL of the verdict view opened as a tab or popup window for a tab: the same page as
 * the side panel, pinned to that tab (`tabId`), optionally on one document (`doc`).
 *
 * @example verdictViewPath(12, 'ab') // '/sidepanel.html?tabId=12&doc=ab&host=window'
 */
export function verdictViewPath(tabId: number | null, docId: string | null, host: 'tab' | 'window' = 'window'): string {
  const query = new URLSearchParams();
  if (tabId !== null) query.set('tabId', String(tabId));
  if (docId) query.set('doc', docId);
  query.set('host', host);
  return `/sidepanel.html?${query.toString()}`;
}

/**
 * The pseudo tab under which the background keeps manual checks made with no tab (the
 * camera page opened on its own): `NO_TAB` in entrypoints/background/documents.ts.
 */
export const NO_TAB_ID = -1;

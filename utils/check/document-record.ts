import type { DocumentCheck } from './document-check.ts';

/** Where the extension found a document (the one list: history-row.ts checks stored rows against it). */
export const DOCUMENT_SOURCES = [
  'img', // an <img> preview on the page
  'link', // a link to an image or PDF
  'embed', // <embed>/<object>/<iframe> showing a PDF
  'canvas', // a picture drawn into a <canvas> on the page, read from its pixels
  'download', // a file the user downloaded from an enabled site
  'upload', // a file chosen in <input type=file>, checked before upload
  'drop', // a file dropped on the page
  'manual-file', // chosen or dropped in the side panel
  'paste', // an image pasted into the side panel
  'camera', // scanned live with the camera
  'tab-pdf', // the PDF open in the browser's own viewer
] as const;
export type DocumentSource = (typeof DOCUMENT_SOURCES)[number];

/** One document on a tab, as the background records it and the side panel shows it. */
export interface DocumentRecord extends DocumentCheck {
  /** Stable per tab: a hash of the URL, or of the bytes for uploads and manual checks. */
  id: string;
  /** File name, or the last part of the URL. */
  name: string;
  url: string | null;
  source: DocumentSource;
  /** The page the document was found on (empty for manual checks). */
  pageUrl: string;
  /** When the check finished, or started while `state` is `checking` (ms since epoch). */
  checkedAt: number;
  state: 'checking' | 'done';
  progress: { page: number; pages: number } | null;
  /**
   * Where the registry used for this check came from (added by the extension work, optional
   * for compatibility): `fromCache` with a `problem` of `REGISTRY_UNREACHABLE` means the
   * check ran offline on the cached registry, keys and status lists fetched at `fetchedAt`.
   */
  registrySource?: RegistrySource;
  /**
   * Set on a check started again because an earlier service worker lost it: such a card is
   * never re-fetched a second time (a file that takes the background down with it would
   * otherwise be checked again at every restart, for ever).
   */
  retried?: true;
  /**
   * Set when the check finished but could not be added to the history (IndexedDB full, its
   * quota exhausted): the verdict stands, and the card says it is missing from the history.
   */
  historyProblem?: 'HISTORY_NOT_SAVED';
  /**
   * Set when the check finished but what it downloaded (registry, keys, status lists) could
   * not be kept in the cache (IndexedDB full): the verdict stands, but an offline check later
   * has nothing to fall back on, and the card says so.
   */
  cacheProblem?: 'CACHE_NOT_SAVED';
}

/** Where the registry a check used came from. */
export interface RegistrySource {
  fromCache: boolean;
  /** When that registry was fetched (ms since epoch); null when none was available. */
  fetchedAt: number | null;
  /** `REGISTRY_UNREACHABLE` (offline), a registry problem code, or null. */
  problem: string | null;
}

/** Everything found on one tab; kept in `storage.session` so it survives the service worker's idle death. */
export interface TabDocuments {
  tabId: number;
  pageUrl: string;
  documents: DocumentRecord[];
  /** What is known of the page now shown (added by the discovery work, optional for compatibility). */
  page?: TabPage;
}

/** The tab's page as the content scripts report it; reset at every new page. */
export interface TabPage {
  /** Counts the pages shown in the tab: bumped at every new page, so a late result of an older one is told apart. */
  generation: number;
  /** The top frame's content script has looked at this page at least once. */
  scanned: boolean;
  /** Documents found but not yet handed to the background, per frame id (key as text). */
  pending: Record<string, number>;
  /** Checks started on an older page of this tab whose results no longer apply (document ids). */
  dropped: string[];
  /** Origins of cross-origin frames on the page that are not enabled ("也检查来自 … 的附件"). */
  blockedOrigins: string[];
}

/** The `storage.session` key of a tab's documents. */
export function tabDocumentsKey(tabId: number): string {
  return `tab:${tabId}`;
}

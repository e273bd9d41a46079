/**
 * The one typed message protocol of the extension (read-frog's `ProtocolMap` model).
 *
 * Threat model (Mailvelope's): a web page can draw anything and can talk to our content
 * script through the DOM, but it must never be able to change a verdict. So:
 * - there is no `externally_connectable` and no `onMessageExternal` listener: a page script
 *   cannot message the extension at all;
 * - content scripts may only *ask for checks* (of a URL, or of bytes they read from the page)
 *   and claim a marker; verdicts are computed in the offscreen document / background only;
 * - every listener checks the sender (`sender.id`, `sender.url` origin, `sender.tab`) against
 *   {@link MESSAGE_SENDERS} before it looks at the payload.
 *
 * Chrome messaging is JSON-only (an ArrayBuffer arrives empty), so bytes travel as base64:
 * in chunks over a {@link BYTES_PORT} port from content scripts, in one string from extension
 * pages (side panel manual checks).
 */
import { browser } from 'wxt/browser';
import type { DocumentCheck } from '../check/document-check.ts';
import type { DocumentRecord, DocumentSource, RegistrySource } from '../check/document-record.ts';

/** What the registry cache holds, for the options page and the side panel's "last checked". */
export interface RegistryState {
  /** The registry URL in use (from settings). */
  url: string;
  /** `ok`: verified registry cached; `missing`: none yet; `error`: the last refresh failed. */
  state: 'ok' | 'missing' | 'error';
  /** The registry's own `version`, `iss` and `exp` (seconds) when one is cached. */
  version: number | null;
  iss: string | null;
  exp: number | null;
  /** When the cached registry was fetched (ms since epoch). */
  fetchedAt: number | null;
  /** When the last refresh attempt ran and what went wrong, if anything (a localized message key). */
  lastAttemptAt: number | null;
  lastError: string | null;
}

/** What the offscreen document needs from settings (it has no `storage` API of its own). */
export interface VerifierConfig {
  registryUrl: string;
  rootKeys: string;
  region: string | null;
}

/** The offscreen document's answer: the check plus where its registry came from. */
export interface OffscreenCheckResult extends DocumentCheck {
  registrySource: RegistrySource;
  /** A cache write failed during the check (DocumentRecord.cacheProblem). */
  cacheProblem?: 'CACHE_NOT_SAVED';
}

/**
 * Background (service worker) → offscreen document, by `Client.postMessage` with the bytes'
 * buffer transferred: structured clone, one copy, no base64 (runtime messages are JSON only).
 * Only our own service worker can post to our pages this way.
 */
export interface OffscreenCheckRequest {
  yz: 1;
  kind: 'check';
  id: string;
  bytes: ArrayBuffer;
  fileName: string;
  config: VerifierConfig;
  /** 0 manual check, 1 visible attachment, 2 the rest (utils/extension/reader-pool.ts PRIORITY). */
  priority: number;
  /** Echoed in every event, so a service worker restarted meanwhile can still record the result. */
  job: unknown;
  /** `Date.now()` when posted: the offscreen document keeps how long hand-overs take (the bench reads it). */
  sentAt: number;
}

/**
 * Offscreen document → service worker (`ServiceWorker.postMessage`): the check received (a
 * check posted to a document that was dying is never acknowledged: the host tries again),
 * pages done, then the result.
 */
export type OffscreenCheckEvent =
  | { yz: 1; kind: 'accepted'; id: string; job: unknown }
  | { yz: 1; kind: 'progress'; id: string; job: unknown; page: number; pages: number }
  | { yz: 1; kind: 'result'; id: string; job: unknown; result: OffscreenCheckResult };

/** Answer to a check request: the document's id on this tab (its card/marker key). */
export interface CheckAccepted {
  docId: string;
  /** Single-use token for the marker iframe (`marker.html?m=<token>`); null for extension pages. */
  markerToken: string | null;
}

/** What a marker iframe learns when it claims its token: which document on which tab it shows. */
export type MarkerClaim = { ok: true; tabId: number; docId: string } | { ok: false };

/** A document a content script found and read itself (same-origin fetch, upload, drop). */
export interface ContentDocumentMeta {
  name: string;
  url: string | null;
  source: DocumentSource;
  pageUrl: string;
  /** SHA-256 of the bytes, hex: the duplicate key for uploads and drops. */
  sha256: string;
  size: number;
  /** In the viewport when found: read before what the user cannot see (optional; absent = not known). */
  visible?: boolean;
}

/**
 * One-shot messages (`browser.runtime.sendMessage`), request type to response type.
 * The sender kinds allowed for each are in {@link MESSAGE_SENDERS}.
 */
export interface ProtocolMap {
  /** Content script: a cross-origin document URL; the background fetches it with its host permission. */
  'check.url': (req: {
    url: string;
    name: string;
    source: DocumentSource;
    pageUrl: string;
    /** In the viewport when found (optional): read first. */
    visible?: boolean;
  }) => CheckAccepted;
  /**
   * Content script (any frame): how many candidate documents the last scan found (0 = the page
   * has none), how many of them are not yet handed over (`pending`, counted as being checked),
   * and the origins of cross-origin frames it saw (the background names those not enabled).
   */
  'page.scanned': (req: { pageUrl: string; candidates: number; pending?: number; frameOrigins?: string[] }) => {
    ok: true;
  };
  /** First-look script (any frame): the page has something worth reading; inject the full content script into this frame. */
  'page.wake': (req: Record<string, never>) => { ok: boolean };
  /** Marker iframe: claims its single-use token (the background checks the claiming frame is in the same tab). */
  'marker.claim': (req: { token: string }) => MarkerClaim;
  /**
   * Marker iframe, where it cannot read `storage.session` (Firefox gives extension frames
   * inside web pages only content-script APIs): its claimed document's record, answered
   * only to a frame in that same tab.
   */
  'marker.record': (req: { tabId: number; docId: string }) => { record: DocumentRecord | null };
  /**
   * Marker iframe (a click) or extension page (popup): show the verdict view on a tab,
   * scrolled to `docId`. `openHost`: the sender has no `chrome.sidePanel` (Chromium < 114,
   * some forks) or it failed, so the background opens the same view as a window or tab.
   * A marker may only ask about its own tab.
   */
  'verdict.show': (req: { tabId: number | null; docId: string | null; openHost: boolean }) => {
    ok: boolean;
    host: 'panel' | 'window' | 'tab' | null;
  };
  /** Extension page (side panel): check bytes chosen, dropped, pasted or scanned by the user. */
  'check.bytes': (req: {
    tabId: number | null;
    name: string;
    source: DocumentSource;
    /** base64 of the file's bytes. */
    base64: string;
  }) => CheckAccepted;
  /** Extension page: "check this tab" — one-off injection through activeTab (a user gesture). */
  'tab.scan': (req: { tabId: number }) => { ok: boolean; error: string | null };
  /** Extension page: "check this tab's PDF" — the PDF open in the browser's own viewer. */
  'tab.checkPdf': (req: { tabId: number }) => CheckAccepted | { docId: null; error: string };
  /** Extension page: the site's permission was granted (permissions.request ran in the page): register the content script. */
  'site.enabled': (req: { origin: string; tabId: number | null }) => { ok: boolean };
  /** Extension page: the user disabled a site: unregister and drop the permission. */
  'site.disabled': (req: { origin: string }) => { ok: boolean };
  /** Extension page: registry cache state. */
  'registry.state': (req: Record<string, never>) => RegistryState;
  /** Extension page: refresh the registry, keys and status lists now. */
  'registry.refresh': (req: Record<string, never>) => RegistryState;
  /**
   * Background → content script (top frame): the user downloaded this URL from the page's
   * site; read it as the page would (its cookies, its `blob:` URLs) and check it.
   */
  'download.check': (req: { url: string; name: string }) => { ok: boolean };
  /**
   * Background → offscreen document: decode and verify one document. Never accepted from
   * elsewhere. The fallback of {@link OffscreenCheckRequest} when the service worker cannot
   * reach the offscreen document as a client (bytes then travel as base64).
   */
  'offscreen.check': (req: {
    base64: string;
    fileName: string;
    config: VerifierConfig;
    id: string;
    priority: number;
    job: unknown;
  }) => OffscreenCheckResult;
  /** Background → offscreen document: refresh the registry cache (and the status lists it knows). */
  'offscreen.refresh': (req: { config: VerifierConfig }) => RegistryState;
  /** Background → offscreen document: the cache state. */
  'offscreen.registryState': (req: { config: VerifierConfig }) => RegistryState;
}

export type MessageType = keyof ProtocolMap;
export type MessageData<K extends MessageType> = Parameters<ProtocolMap[K]>[0];
export type MessageReturn<K extends MessageType> = ReturnType<ProtocolMap[K]>;
export interface Envelope<K extends MessageType = MessageType> {
  /** Distinguishes our messages from anything else on the runtime channel. */
  yz: 1;
  type: K;
  data: MessageData<K>;
}

/** Who sent a message, as derived from `runtime.MessageSender` by {@link classifySender}. */
export type SenderKind = 'content' | 'marker' | 'offscreen' | 'background' | 'extension-page' | 'foreign';

/** Which sender kinds may send each message type. Anything else is dropped unanswered. */
export const MESSAGE_SENDERS = {
  'check.url': ['content'],
  'page.scanned': ['content'],
  'page.wake': ['content'],
  'marker.claim': ['marker'],
  'marker.record': ['marker'],
  'verdict.show': ['marker', 'extension-page'],
  'check.bytes': ['extension-page'],
  'tab.scan': ['extension-page'],
  'tab.checkPdf': ['extension-page'],
  'site.enabled': ['extension-page'],
  'site.disabled': ['extension-page'],
  'registry.state': ['extension-page'],
  'registry.refresh': ['extension-page'],
  'download.check': ['background'],
  'offscreen.check': ['background'],
  'offscreen.refresh': ['background'],
  'offscreen.registryState': ['background'],
} as const satisfies Record<MessageType, readonly SenderKind[]>;

/** The subset of `runtime.MessageSender` the checks use (so tests can pass plain objects). */
export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number };
  frameId?: number;
}

/** Paths of our own pages that have a special role. */
export const MARKER_PATH = '/marker.html';
export const OFFSCREEN_PATH = '/offscreen.html';
/** Where the background runs: the MV3 service worker, or the MV2 background page WXT generates (Firefox). */
export const BACKGROUND_PATHS = ['/background.js', '/background.html', '/_generated_background_page.html'];

/**
 * Classifies a message's sender. `extensionOrigin` is `chrome-extension://<id>` (or
 * `moz-extension://<uuid>`), without the trailing slash.
 *
 * - another extension, or no id: `foreign`;
 * - a frame of our origin inside a tab at {@link MARKER_PATH}: `marker` (it sits in a web page);
 * - our origin inside a tab at another path: `extension-page` only if it is a top-level tab of
 *   ours (options/side panel opened as a tab), never a frame inside a web page;
 * - our origin, no tab: the offscreen document, or any other extension page (side panel, popup);
 * - a web URL with a tab: `content` (a content script of ours in that page).
 *
 * @example classifySender({ id: 'abc', url: 'https://x.gov.cn/a', tab: { id: 3 } }, 'abc', 'chrome-extension://abc') // 'content'
 */
export function classifySender(sender: SenderLike, ownId: string, extensionOrigin: string): SenderKind {
  if (!sender.id || sender.id !== ownId) return 'foreign';
  const url = sender.url ?? '';
  const ours = url === extensionOrigin || url.startsWith(`${extensionOrigin}/`);
  if (ours) {
    const path = pathOf(url);
    if (sender.tab?.id !== undefined) {
      if (path === MARKER_PATH) return 'marker';
      // An extension page shown inside a web page's frame (frameId > 0) is not trusted for
      // privileged requests: only a top-level tab of ours is (options page opened in a tab).
      return sender.frameId === 0 || sender.frameId === undefined ? 'extension-page' : 'foreign';
    }
    if (path === OFFSCREEN_PATH) return 'offscreen';
    if (BACKGROUND_PATHS.includes(path)) return 'background';
    return 'extension-page';
  }
  if (sender.tab?.id !== undefined && /^(https?|file):/.test(url)) return 'content';
  return 'foreign';
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/** Whether `value` is one of our envelopes with a known type (shape only; the sender is checked separately). */
export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Envelope>;
  return v.yz === 1 && typeof v.type === 'string' && Object.hasOwn(MESSAGE_SENDERS, v.type) && 'data' in v;
}

/** Whether `kind` may send `type` (the table above). */
export function senderMaySend(type: MessageType, kind: SenderKind): boolean {
  return (MESSAGE_SENDERS[type] as readonly SenderKind[]).includes(kind);
}

/** Sends one typed message to the extension's privileged side and resolves with its answer. */
export async function sendMessage<K extends MessageType>(type: K, data: MessageData<K>): Promise<MessageReturn<K>> {
  const envelope: Envelope<K> = { yz: 1, type, data };
  return (await browser.runtime.sendMessage(envelope)) as MessageReturn<K>;
}

export type Handlers = {
  [K in MessageType]?: (
    data: MessageData<K>,
    sender: SenderLike & { kind: SenderKind },
  ) => MessageReturn<K> | Promise<MessageReturn<K>>;
};

/**
 * Listens for typed messages. Only the handlers given here answer; a message from a sender
 * kind not allowed for its type is dropped (returns undefined, so another listener — e.g. the
 * offscreen document — is not blocked). Returns a function that stops listening; also stops
 * when `signal` aborts.
 */
export function onMessages(handlers: Handlers, signal?: AbortSignal): () => void {
  const ownId = browser.runtime.id;
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  const listener = (message: unknown, sender: SenderLike): Promise<unknown> | undefined => {
    if (!isEnvelope(message)) return undefined;
    const handler = handlers[message.type] as
      | ((data: unknown, sender: SenderLike & { kind: SenderKind }) => unknown)
      | undefined;
    if (!handler) return undefined;
    const kind = classifySender(sender, ownId, extensionOrigin);
    if (!senderMaySend(message.type, kind)) return undefined;
    return Promise.resolve().then(() => handler(message.data, { ...sender, kind }));
  };
  browser.runtime.onMessage.addListener(listener as Parameters<typeof browser.runtime.onMessage.addListener>[0]);
  const stop = () =>
    browser.runtime.onMessage.removeListener(listener as Parameters<typeof browser.runtime.onMessage.addListener>[0]);
  signal?.addEventListener('abort', stop, { once: true });
  return stop;
}

// ---------------------------------------------------------------------------------------
// Bytes port: content script → background, base64 chunks (Chrome messaging is JSON-only).

/** Name of the port content scripts open to send document bytes. */
export const BYTES_PORT = 'yanzhen-bytes';
/**
 * Raw bytes per chunk: a multiple of 3, so each chunk's base64 has no padding and the
 * receiver can simply concatenate the strings; small enough that encoding one stays well
 * under 50 ms on a slow clinic PC.
 */
export const CHUNK_BYTES = 3 * 65536;
/** The largest document a content script sends (the reader's own limit is lower for most types). */
export const MAX_DOCUMENT_BYTES = 40 * 1024 * 1024;

/** Messages on the bytes port, content script → background. */
export type BytesPortIn =
  | { type: 'begin'; key: string; meta: ContentDocumentMeta }
  | { type: 'chunk'; key: string; seq: number; base64: string }
  | { type: 'end'; key: string }
  | { type: 'abort'; key: string };

/** Messages on the bytes port, background → content script. */
export type BytesPortOut =
  | { type: 'accepted'; key: string; accepted: CheckAccepted }
  | { type: 'rejected'; key: string; reason: string };

/** base64 of a byte range, built in small slices so no single call holds the thread long. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

/** Inverse of {@link bytesToBase64}; throws on text that is not base64. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * The parts of `chrome.offscreen` that changed after Chromium 109, the support floor.
 *
 * 109 brought `offscreen.createDocument`, but `runtime.getContexts` (the documented way to
 * ask whether the document is open) arrived in 116, and the `WORKERS` reason after 109.
 * Without these checks Chrome and Edge 109 on Windows 7, and 360 Secure Browser 15.0
 * (Chromium 114), would fail every check after the first ("Only a single offscreen
 * document may be created") or refuse to create the document at all (unknown reason).
 */

export interface OffscreenApiLike {
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  /** In Chromium from 109 until it was superseded by `runtime.getContexts`; may be absent. */
  hasDocument?(): Promise<boolean>;
  /** The enum of reasons this browser knows (`chrome.offscreen.Reason`), when it exposes one. */
  Reason?: Record<string, string>;
}

export interface RuntimeLike {
  getContexts?(filter: { contextTypes: string[]; documentUrls?: string[] }): Promise<unknown[]>;
}

/**
 * The reasons this browser accepts, in the order wanted. An unknown reason makes
 * `createDocument` throw, so reasons missing from `offscreen.Reason` are left out; if
 * none is known (an enum from a fork that renamed them), the wanted list goes as it is and
 * the browser's own error is reported.
 *
 * @example
 * offscreenReasons({ createDocument, Reason: { BLOBS: 'BLOBS' } }, ['WORKERS', 'BLOBS']) // ['BLOBS'] on Chromium 109
 */
export function offscreenReasons(api: OffscreenApiLike | undefined, wanted: readonly string[]): string[] {
  const known = api?.Reason && typeof api.Reason === 'object' ? new Set(Object.values(api.Reason)) : null;
  if (!known || known.size === 0) return [...wanted];
  const kept = wanted.filter((reason) => known.has(reason));
  return kept.length > 0 ? kept : [...wanted];
}

/**
 * Whether the offscreen document at `url` is open: `runtime.getContexts` (116+), else
 * `offscreen.hasDocument`, else null (this browser cannot say; creating it tells).
 */
export async function offscreenOpen(
  runtime: RuntimeLike,
  api: OffscreenApiLike | undefined,
  url: string,
): Promise<boolean | null> {
  if (typeof runtime.getContexts === 'function') {
    const contexts = await runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
    return contexts.length > 0;
  }
  if (typeof api?.hasDocument === 'function') return api.hasDocument();
  return null;
}

/** The error `createDocument` throws when the document is already open (Chromium's words). */
export function isAlreadyOpenError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /only a single offscreen document may be created/i.test(message);
}

export interface OffscreenDocumentSpec {
  /** The document's path in the extension (`/offscreen.html`). */
  path: string;
  /** Its full URL (`chrome-extension://<id>/offscreen.html`), for `runtime.getContexts`. */
  url: () => string;
  reasons: readonly string[];
  justification: string;
}

/**
 * A function that opens the offscreen document once. Two checks arriving together must
 * not both call createDocument (the second throws "Only a single offscreen document may be
 * created"), so creation is one shared promise. Where the browser cannot say whether the
 * document is open (Chromium 109–115 without `offscreen.hasDocument`), that error is the
 * answer: it is open.
 *
 * @example
 * const ensureOffscreen = offscreenOpener(() => browser.runtime, () => browser.offscreen, spec);
 * await ensureOffscreen();
 */
export function offscreenOpener(
  runtime: () => RuntimeLike,
  offscreen: () => OffscreenApiLike | undefined,
  spec: OffscreenDocumentSpec,
): () => Promise<void> {
  let creating: Promise<void> | null = null;
  const isOpen = async () => (await offscreenOpen(runtime(), offscreen(), spec.url())) === true;
  return async () => {
    if (await isOpen()) return;
    creating ??= (async () => {
      const api = offscreen();
      if (!api) throw new Error('this browser has no chrome.offscreen (Chromium 109 or newer is needed)');
      try {
        await api.createDocument({
          url: spec.path,
          // WORKERS is newer than Chromium 109: only reasons this browser knows are sent.
          reasons: offscreenReasons(api, spec.reasons),
          justification: spec.justification,
        });
      } catch (error) {
        if (!isAlreadyOpenError(error) && !(await isOpen())) throw error;
      }
    })().finally(() => {
      creating = null;
    });
    await creating;
  };
}

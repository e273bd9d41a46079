/**
 * The script registered on enabled sites: a cheap first look, so a page without documents
 * costs next to nothing (issue 10 item 5: the full discovery code with its message layer
 * cost 13 ms of main-thread task time on a plain page). It loads no `browser` polyfill and
 * no discovery loop; when the page has something worth reading (a document-like image or
 * link, a canvas, a file input, a frame, an inline background) or mutations bring one, it
 * asks the background to inject the full content script into this frame, once.
 *
 * Background thumbnails are looked for only as inline `url(…)` styles here: a stylesheet
 * cannot name one file per attachment, so portals bind each thumbnail's URL inline; the
 * full script (woken by anything else on the page) also reads stylesheet backgrounds.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { worthReading } from '../utils/extension/first-look-rules.ts';

const RECHECK_MS = 400;

interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
}

function runtime(): RuntimeLike | null {
  const g = globalThis as unknown as { browser?: { runtime?: RuntimeLike }; chrome?: { runtime?: RuntimeLike } };
  return g.browser?.runtime ?? g.chrome?.runtime ?? null;
}

/**
 * This build's version. A page's isolated world outlives an update of the extension, and
 * with it the flags the old version's scripts set: they must not stop the new version's.
 */
function buildVersion(): string {
  const g = globalThis as unknown as { chrome?: { runtime?: { getManifest?(): { version?: string } } } };
  try {
    return g.chrome?.runtime?.getManifest?.().version ?? '';
  } catch {
    return '';
  }
}

function send(type: string, data: unknown): void {
  try {
    void runtime()
      ?.sendMessage({ yz: 1, type, data })
      .catch(() => undefined);
  } catch {
    // The extension was reloaded: this page keeps an orphaned script that does nothing.
  }
}

export default defineUnlistedScript(() => {
  const scope = globalThis as unknown as Record<string, unknown>;
  const version = buildVersion();
  if (scope.__yanzhenFirstLook === version || scope.__yanzhenContentStarted === version) return;
  scope.__yanzhenFirstLook = version;
  let woken = false;
  const wake = () => {
    if (woken) return;
    woken = true;
    observer.disconnect();
    send('page.wake', {});
  };
  const look = () => {
    if (!woken && worthReading(document)) wake();
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  const lookSoon = () => {
    if (timer !== null || woken) return;
    timer = setTimeout(() => {
      timer = null;
      look();
    }, RECHECK_MS);
  };
  const observer = new MutationObserver(lookSoon);
  look();
  if (woken) return;
  // Nothing here: say so (the toolbar shows "no documents found"), then keep watching.
  // (A page with frames is woken above, so there are no frame origins to report here.)
  send('page.scanned', { pageUrl: location.href, candidates: 0, pending: 0 });
  observer.observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['src', 'href', 'data', 'style'],
  });
  // An image's size is known once it loads; a file dropped on a page with no input is kept for the full script.
  document.addEventListener('load', (e) => (e.target as Element | null)?.tagName === 'IMG' && lookSoon(), true);
  document.addEventListener(
    'drop',
    (e) => {
      if (woken || !e.dataTransfer?.files.length || !(e.target instanceof Element)) return;
      const kept = (scope.__yanzhenDrops as unknown[] | undefined) ?? [];
      kept.push({ target: e.target, files: [...e.dataTransfer.files] });
      scope.__yanzhenDrops = kept;
      wake();
    },
    true,
  );
});

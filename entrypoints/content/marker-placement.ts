/**
 * Markers are drawn for documents on or near the screen, the rest when they scroll close.
 *
 * Each marker is an extension-origin iframe (marker-mount.ts): a whole document of its own,
 * about 300 ms of the browser's and the extension's CPU to load on a 2-core machine. On a
 * page of forty attachments, forty of them took 12 of the 16 CPU-seconds the page cost and
 * held the last verdict back by 7 s, for markers nobody could see yet (issue 10). The
 * verdicts do not wait for markers: every document is checked at once, the toolbar counts
 * them and the verdict view lists them; a marker arriving later shows its verdict at once.
 *
 * Mounted at once: an anchor within half a screen of the viewport, one with no box to judge
 * (a hidden file input, whose marker is the only sign the upload was checked), and one in a
 * frame the page wrote into itself.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { type MarkerHost, placeMarkerHost, type StoppedNotice } from './marker-mount.ts';

/** How far outside the viewport a document's marker is drawn ahead of the scroll. */
const AHEAD = '50%';

/** A marker on the page: taken away, or left saying that the extension has stopped. */
export interface PlacedMarker {
  remove(): void;
  showStopped(notice: StoppedNotice): void;
}

export type PlaceMarker = (anchor: Element, token: string) => PlacedMarker;

/** True when `rect` lies within half a viewport of the screen (or has no box at all). */
function nearScreen(rect: DOMRect, width: number, height: number): boolean {
  if (rect.width === 0 && rect.height === 0) return true;
  const dx = width / 2;
  const dy = height / 2;
  return rect.bottom >= -dy && rect.top <= height + dy && rect.right >= -dx && rect.left <= width + dx;
}

/**
 * Returns `place(anchor, token)`, which puts the marker's host (its room) after the anchor
 * at once and loads its frame now or when the anchor first comes near the screen.
 * Without IntersectionObserver every marker is mounted at once.
 */
export function createMarkerPlacement(ctx: ContentScriptContext): PlaceMarker {
  const waiting = new Map<Element, MarkerHost>();
  const observer =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              const host = waiting.get(entry.target);
              observer?.unobserve(entry.target);
              waiting.delete(entry.target);
              if (host && entry.target.isConnected && !ctx.isInvalid) host.showFrame();
            }
          },
          { rootMargin: `${AHEAD} ${AHEAD}` },
        )
      : null;
  ctx.onInvalidated(() => observer?.disconnect());

  return (anchor, token) => {
    const host = placeMarkerHost(ctx, anchor, token);
    // An observer of this document may not watch another document's elements.
    if (
      !observer ||
      anchor.ownerDocument !== document ||
      nearScreen(anchor.getBoundingClientRect(), innerWidth, innerHeight)
    ) {
      host.showFrame();
      return host;
    }
    waiting.set(anchor, host);
    observer.observe(anchor);
    return {
      remove() {
        observer.unobserve(anchor);
        if (waiting.get(anchor) === host) waiting.delete(anchor);
        host.remove();
      },
      showStopped(notice) {
        if (waiting.get(anchor) === host) waiting.delete(anchor);
        host.showStopped(notice);
      },
    };
  };
}

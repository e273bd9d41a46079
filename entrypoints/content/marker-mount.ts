/**
 * Mounts the extension-origin marker iframe (WXT createIframeUi) right after a document's
 * element, inside a closed shadow root: the page can neither read the iframe (cross-origin)
 * nor even find it and copy its single-use token from `src`.
 *
 * The host goes in at once and holds the marker's room; the frame itself may come later
 * (marker-placement.ts mounts it when the document comes near the screen). The room only
 * grows, when a marker asks for more than it has (a long verdict word, large text), and
 * never shrinks to a shorter word: the page does not move under the pointer when a verdict
 * arrives or a marker loads, which had a click on one marker land beside it while
 * another one below resized itself.
 *
 * When the extension goes away under the page (its process crashed, it was disabled or
 * removed), every marker frame dies with it, blank or showing Chrome's error page, and no
 * part of the extension is left to say so. The host then shows a notice of its own, drawn
 * here from words read while the extension was alive: the result is unknown, reload.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createIframeUi } from 'wxt/utils/content-script-ui/iframe';
import { createMarkerHost, markerHostStyle } from '../../utils/extension/marker-host.ts';
import { acceptedMarkerSize, MARKER_HEIGHTS } from '../../utils/extension/marker-size.ts';

/** The frame before the marker has measured itself (it then asks for its size: marker-size.ts). */
export const MARKER_WIDTH = 230;
export const MARKER_HEIGHT = MARKER_HEIGHTS.normal;

export interface MarkerHost {
  /** Loads the marker frame into the host (once; later calls do nothing). */
  showFrame(): void;
  /** Takes the host, and the frame if shown, out of the page. */
  remove(): void;
  /** Puts `notice` in place of the frame, for good: the extension that drew it is gone. */
  showStopped(notice: StoppedNotice): void;
}

/** What a marker says once the extension is gone, in the language the user chose. */
export interface StoppedNotice {
  text: string;
  lang: string;
}

const NOTICE_STYLE =
  'box-sizing:border-box;width:100%;padding:3px 6px;border:1px solid #b45309;border-radius:4px;' +
  'background:#fffbeb;color:#78350f;font:12px/1.4 system-ui,"Microsoft YaHei",sans-serif;white-space:normal;';

/**
 * One room for every marker of the page: the largest any of them asked for. The first marker
 * to load asks for the widest word it could show (entrypoints/marker/main.ts), so the page's
 * markers move the layout once, together, and not again as each loads on scroll.
 */
const room: { width: number; height: number } = { width: MARKER_WIDTH, height: MARKER_HEIGHT };
const hosts = new Set<HTMLElement>();
const hostRules = () =>
  `display:inline-block;vertical-align:middle;margin:2px 4px;line-height:0;width:${room.width}px;height:${room.height}px;`;

function widenRoom(size: { width: number; height: number }): void {
  if (size.width <= room.width && size.height <= room.height) return;
  room.width = Math.max(room.width, size.width);
  room.height = Math.max(room.height, size.height);
  for (const host of hosts) host.style.cssText = markerHostStyle(hostRules());
}

export function placeMarkerHost(ctx: ContentScriptContext, anchor: Element, token: string): MarkerHost {
  const { host, shadow } = createMarkerHost(document, hostRules());
  hosts.add(host);
  anchor.after(host);
  let frame: HTMLIFrameElement | null = null;
  let ui: ReturnType<typeof createIframeUi> | null = null;
  // The marker names itself by a random id it got in its URL (which the page cannot read), and
  // only a message from its own frame counts: the page sees the id in the size message (it is
  // posted into the page's window) and replayed it from a frame of its own, widening every
  // marker's room to 640 px or cutting a marker's word at 120.
  const sizeId = crypto.randomUUID();
  const onSize = (event: MessageEvent) => {
    if (!frame || event.source === null || event.source !== frame.contentWindow) return;
    const size = acceptedMarkerSize(event.data, sizeId);
    if (!size) return;
    frame.style.width = `${size.width}px`;
    frame.style.height = `${size.height}px`;
    widenRoom(size);
  };
  let stopped = false;
  return {
    showFrame() {
      if (ui || stopped || !host.isConnected) return;
      window.addEventListener('message', onSize);
      ui = createIframeUi(ctx, {
        page: `/marker.html?m=${encodeURIComponent(token)}&s=${sizeId}` as never,
        position: 'inline',
        anchor: host,
        append: (_target, root) => shadow.append(root),
        onMount: (_wrapper, iframe) => {
          frame = iframe;
          iframe.style.cssText = `width:${MARKER_WIDTH}px;height:${MARKER_HEIGHT}px;border:0;display:block;color-scheme:normal;`;
          iframe.setAttribute('title', '验真');
          iframe.setAttribute('scrolling', 'no');
        },
      });
      ui.mount();
    },
    remove() {
      window.removeEventListener('message', onSize);
      ui?.remove();
      host.remove();
      hosts.delete(host);
    },
    showStopped(notice) {
      stopped = true;
      window.removeEventListener('message', onSize);
      ui?.remove();
      ui = null;
      frame = null;
      hosts.delete(host);
      if (!host.isConnected) return;
      const words = document.createElement('div');
      words.setAttribute('role', 'status');
      words.lang = notice.lang;
      words.textContent = notice.text;
      words.style.cssText = NOTICE_STYLE;
      shadow.replaceChildren(words);
      // The notice is longer than a verdict word: the room keeps its width and grows down.
      host.style.cssText = markerHostStyle(
        `display:inline-block;vertical-align:middle;margin:2px 4px;width:${room.width}px;min-height:${room.height}px;`,
      );
    },
  };
}

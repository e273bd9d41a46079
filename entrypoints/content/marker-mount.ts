/**
 * Mounts the extension-origin marker iframe (WXT createIframeUi) right after a document's
 * element, inside a closed shadow root: the page can neither read the iframe (cross-origin)
 * nor even find it and copy its single-use token from `src`.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createIframeUi } from 'wxt/utils/content-script-ui/iframe';
import { acceptedMarkerSize, MARKER_HEIGHTS } from '../../utils/extension/marker-size.ts';

/** The frame before the marker has measured itself (it then asks for its size: marker-size.ts). */
export const MARKER_WIDTH = 230;
export const MARKER_HEIGHT = MARKER_HEIGHTS.normal;

export function mountMarker(ctx: ContentScriptContext, anchor: Element, token: string): () => void {
  const host = document.createElement('yanzhen-marker');
  host.style.cssText = 'display:inline-block;vertical-align:middle;margin:2px 4px;line-height:0;';
  const shadow = host.attachShadow({ mode: 'closed' });
  let frame: HTMLIFrameElement | null = null;
  // The marker names itself by a random id it got in its URL (which the page cannot read), so
  // the size reaches only its own frame. A page that copies an id from a message can only
  // resize that marker within bounds, never draw in it.
  const sizeId = crypto.randomUUID();
  const onSize = (event: MessageEvent) => {
    if (!frame || event.source === window) return;
    const size = acceptedMarkerSize(event.data, sizeId);
    if (!size) return;
    frame.style.width = `${size.width}px`;
    frame.style.height = `${size.height}px`;
  };
  window.addEventListener('message', onSize);
  const ui = createIframeUi(ctx, {
    page: `/marker.html?m=${encodeURIComponent(token)}&s=${sizeId}` as never,
    position: 'inline',
    anchor,
    append: (target, root) => {
      target.after(host);
      shadow.append(root);
    },
    onMount: (_wrapper, iframe) => {
      frame = iframe;
      iframe.style.cssText = `width:${MARKER_WIDTH}px;height:${MARKER_HEIGHT}px;border:0;display:block;color-scheme:normal;`;
      iframe.setAttribute('title', '验真');
      iframe.setAttribute('scrolling', 'no');
    },
  });
  ui.mount();
  return () => {
    window.removeEventListener('message', onSize);
    ui.remove();
    host.remove();
  };
}

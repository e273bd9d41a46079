/**
 * Mounts the extension-origin marker iframe (WXT createIframeUi) right after a document's
 * element, inside a closed shadow root: the page can neither read the iframe (cross-origin)
 * nor even find it and copy its single-use token from `src`.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createIframeUi } from 'wxt/utils/content-script-ui/iframe';

export const MARKER_WIDTH = 230;
export const MARKER_HEIGHT = 46;

export function mountMarker(ctx: ContentScriptContext, anchor: Element, token: string): () => void {
  const host = document.createElement('yanzhen-marker');
  host.style.cssText = 'display:inline-block;vertical-align:middle;margin:2px 4px;line-height:0;';
  const shadow = host.attachShadow({ mode: 'closed' });
  const ui = createIframeUi(ctx, {
    page: `/marker.html?m=${encodeURIComponent(token)}` as never,
    position: 'inline',
    anchor,
    append: (target, root) => {
      target.after(host);
      shadow.append(root);
    },
    onMount: (_wrapper, iframe) => {
      iframe.style.cssText = `width:${MARKER_WIDTH}px;height:${MARKER_HEIGHT}px;border:0;display:block;color-scheme:normal;`;
      iframe.setAttribute('title', '验真');
      iframe.setAttribute('scrolling', 'no');
    },
  });
  ui.mount();
  return () => {
    ui.remove();
    host.remove();
  };
}

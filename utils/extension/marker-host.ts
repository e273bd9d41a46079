/**
 * The element that holds a marker's room in the page (entrypoints/content/marker-mount.ts
 * puts the marker frame in its closed shadow root): a plain `span`, marked by an attribute.
 *
 * It was a `<yanzhen-marker>`, a custom element name, and a page that defined that name
 * itself (`customElements.define`, run before the content script) had our host built by its
 * own constructor: one that attached a shadow root made our `attachShadow` throw, and no
 * document of the page got a marker at all. A built-in `span` is never upgraded by a page's
 * definition, and it may hold a shadow root. `all:initial` first in its inline style keeps
 * the page's rules for spans (padding, transforms, opacity) off it.
 */

const MARKER_ATTRIBUTE = 'data-yanzhen-marker';

/** Finds marker hosts in a page (tests, and the clean-up after a reload). */
export const MARKER_SELECTOR = `span[${MARKER_ATTRIBUTE}]`;

/**
 * The hosts this copy of the script made. Watchers of the page skip mutations made only of
 * these; a page element that merely copies the attribute (to hide a document added inside
 * it from the scan) is not one of them.
 */
const ownHosts = new WeakSet<Node>();

export function isOwnMarkerHost(node: Node): boolean {
  return ownHosts.has(node);
}

/** Inline style of a host: all of the page's rules reset first, then ours. */
export function markerHostStyle(rules: string): string {
  return `all:initial;${rules}`;
}

/** A new host element with its closed shadow root, not yet in the page. */
export function createMarkerHost(doc: Document, rules: string): { host: HTMLElement; shadow: ShadowRoot } {
  const host = doc.createElement('span');
  host.setAttribute(MARKER_ATTRIBUTE, '');
  host.style.cssText = markerHostStyle(rules);
  ownHosts.add(host);
  return { host, shadow: host.attachShadow({ mode: 'closed' }) };
}

/**
 * Removes the markers an earlier copy of the content script left in `doc`. After the
 * extension crashed and was reloaded, the new copy runs in a JavaScript context of its own
 * beside the dead one (seen with CDP), so it cannot reach the old copy's state, only the
 * page: any marker there when this copy starts is an old one (a notice, or a room whose
 * frame died).
 */
export function removeOldMarkers(doc: Document): void {
  for (const old of doc.querySelectorAll(MARKER_SELECTOR)) old.remove();
}

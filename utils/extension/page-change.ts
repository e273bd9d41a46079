/**
 * When a tab's recorded documents stop applying. `tabs.onUpdated` says `loading` for three
 * different things: a reload (no `url` in the change), a new page, and a same-document
 * change (`#fragment` link, `history.pushState` in a single-page portal), which keeps our
 * content script and its markers alive. Without the `webNavigation` permission the last two
 * look alike, so only a change of the URL beyond its fragment counts as a new page; the
 * content script itself starts over when a single-page portal changes its path.
 */

/** The URL without its `#fragment`. */
function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/**
 * Whether a tab update means its old results no longer apply.
 *
 * @example isNewPage('https://a.cn/x', { status: 'loading' }) // true (a reload)
 * @example isNewPage('https://a.cn/x', { status: 'loading', url: 'https://a.cn/x#n3' }) // false
 */
export function isNewPage(recordedUrl: string | null, change: { status?: string; url?: string }): boolean {
  if (change.status !== 'loading') return false;
  if (change.url === undefined) return true;
  return recordedUrl === null || withoutFragment(recordedUrl) !== withoutFragment(change.url);
}

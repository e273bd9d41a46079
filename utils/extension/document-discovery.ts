/**
 * Finding the documents on a portal page: `<img>` previews, links to images and PDFs, and
 * `<embed>/<object>/<iframe>` showing PDFs. Pure DOM readers: the document comes in as a
 * parameter (with the page's own as default) so tests run them on HTML snippets.
 */

export type DiscoveredSource = 'img' | 'link' | 'embed';

export interface DiscoveredDocument {
  /** Absolute URL without its #fragment: the duplicate key. */
  url: string;
  /** File name to show: the link's `download` name or text, else the URL's last part. */
  name: string;
  source: DiscoveredSource;
  /** Where the marker goes (after this element). */
  element: Element;
}

/** Images smaller than this on either side are icons, avatars or decorations, not letters. */
export const MIN_IMAGE_SIDE = 120;

const DOCUMENT_EXTENSIONS = /\.(pdf|png|jpe?g|webp|gif|bmp|tiff?)$/i;
const PDF_EXTENSION = /\.pdf$/i;

function absolute(raw: string | null, base: string): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw, base);
    if (!['http:', 'https:', 'blob:', 'data:'].includes(url.protocol)) return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

function lastPart(url: string): string {
  if (url.startsWith('data:') || url.startsWith('blob:')) return '';
  try {
    const parts = new URL(url).pathname.split('/');
    return decodeURIComponent(parts[parts.length - 1] ?? '');
  } catch {
    return '';
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

function dimension(img: HTMLImageElement, natural: number, attr: string): number | null {
  if (natural > 0) return natural;
  const declared = Number.parseInt(img.getAttribute(attr) ?? '', 10);
  return Number.isFinite(declared) && declared > 0 ? declared : null;
}

/**
 * Whether an image is a document preview rather than decoration: not hidden from assistive
 * technology as decoration, not an SVG, and at least {@link MIN_IMAGE_SIDE} on both sides
 * (its real size once loaded, else its declared size; unknown size counts as not yet).
 */
export function isDocumentImage(img: HTMLImageElement): boolean {
  if (img.getAttribute('role') === 'presentation' || img.getAttribute('aria-hidden') === 'true') return false;
  const src = img.currentSrc || img.getAttribute('src') || '';
  if (/\.svg(\?|$)/i.test(src) || src.startsWith('data:image/svg')) return false;
  const width = dimension(img, img.naturalWidth, 'width');
  const height = dimension(img, img.naturalHeight, 'height');
  return width !== null && height !== null && width >= MIN_IMAGE_SIDE && height >= MIN_IMAGE_SIDE;
}

/** Whether a link points at an image or PDF file (by its path, `type` or `download` name). */
export function isDocumentLink(a: HTMLAnchorElement, url: string): boolean {
  const type = (a.getAttribute('type') ?? '').toLowerCase();
  if (type === 'application/pdf' || type.startsWith('image/')) return !type.includes('svg');
  const download = a.getAttribute('download');
  if (download && DOCUMENT_EXTENSIONS.test(download)) return true;
  return DOCUMENT_EXTENSIONS.test(pathOf(url));
}

function isPdfFrame(el: Element, url: string): boolean {
  const type = (el.getAttribute('type') ?? '').toLowerCase();
  return type === 'application/pdf' || PDF_EXTENSION.test(pathOf(url));
}

/**
 * Every document candidate in the page, once per URL, in document order (an `<img>` wins
 * over a link to the same file, because the marker belongs next to the preview).
 *
 * @example findDocuments(document).map((d) => d.name) // ['授权书-王某.jpg', '授权书.pdf']
 */
export function findDocuments(doc: Document = globalThis.document): DiscoveredDocument[] {
  const base = doc.baseURI;
  const byUrl = new Map<string, DiscoveredDocument>();
  // A portal's own file name for a preview is often only on the link beside it
  // (`<a download="授权书-王某.png">`): the card should show that, not `17.png`.
  const downloadNames = new Map<string, string>();
  const add = (found: DiscoveredDocument) => {
    const existing = byUrl.get(found.url);
    if (!existing || (existing.source === 'link' && found.source === 'img')) byUrl.set(found.url, found);
  };
  for (const el of doc.querySelectorAll('img, a[href], embed[src], object[data], iframe[src]')) {
    const tag = el.tagName.toLowerCase();
    if (tag === 'img') {
      const img = el as HTMLImageElement;
      const url = absolute(img.currentSrc || img.getAttribute('src'), base);
      if (!url || !isDocumentImage(img)) continue;
      const name = lastPart(url) || img.getAttribute('alt')?.trim() || 'image';
      add({ url, name, source: 'img', element: img });
    } else if (tag === 'a') {
      const a = el as HTMLAnchorElement;
      const url = absolute(a.getAttribute('href'), base);
      if (!url || !isDocumentLink(a, url)) continue;
      const download = a.getAttribute('download')?.trim();
      if (download) downloadNames.set(url, download.slice(0, 200));
      const name = download || lastPart(url) || a.textContent?.trim() || 'document';
      add({ url, name: name.slice(0, 200), source: 'link', element: a });
    } else {
      const attr = tag === 'object' ? 'data' : 'src';
      const url = absolute(el.getAttribute(attr), base);
      if (!url || !isPdfFrame(el, url)) continue;
      add({ url, name: lastPart(url) || 'document.pdf', source: 'embed', element: el });
    }
  }
  for (const found of byUrl.values()) {
    const download = downloadNames.get(found.url);
    if (found.source === 'img' && download) found.name = download;
  }
  return [...byUrl.values()].sort((a, b) =>
    a.element === b.element ? 0 : a.element.compareDocumentPosition(b.element) & 4 ? -1 : 1,
  );
}

/** Whether a URL is same-origin with the page (the content script fetches it with the page's cookies). */
export function isSameOrigin(url: string, pageOrigin: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  try {
    return new URL(url).origin === pageOrigin;
  } catch {
    return false;
  }
}

/** Whether a chosen or dropped file is worth checking (an image or a PDF, by type or name). */
export function isDocumentFile(file: { name: string; type: string }): boolean {
  const type = file.type.toLowerCase();
  if (type === 'application/pdf' || (type.startsWith('image/') && !type.includes('svg'))) return true;
  return DOCUMENT_EXTENSIONS.test(file.name);
}

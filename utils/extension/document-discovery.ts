/**
 * Finding the documents on a portal page: `<img>` previews, links to images and PDFs,
 * `<embed>/<object>/<iframe>` showing PDFs, pdf.js-style viewers (`viewer.html?file=…`), and
 * links that look like attachments but say nothing of their type (`/download?id=17`, decided
 * later from the response: see read-response.ts). Pure DOM readers: the document comes in as
 * a parameter (with the page's own as default) so tests run them on HTML snippets.
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
  /**
   * Nothing in the page says the URL is a file (no extension, type or download name): it is
   * read only if the response's first bytes are a document's (same-origin links only).
   */
  probe?: boolean;
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

/** Query parameters pdf.js-style viewers take the document from (`viewer.html?file=…`). */
const VIEWER_PARAMS = ['file', 'url', 'src', 'pdf', 'fileUrl', 'path'];
/** Paths of viewer pages: pdf.js's own, and the viewer pages portals name after it. */
const VIEWER_PATH = /(^|\/)(pdfjs|pdf\.js|pdfviewer|generic)(\/|$)|viewer(\.html?)?$|preview(\.html?)?$/i;

/**
 * The document a viewer page shows, from its `file=` (or similar) parameter, resolved against
 * the viewer's own URL as pdf.js does; null when the URL is no viewer. A parameter that names
 * a PDF or image counts on any page; an extensionless one only on a page that looks like a viewer.
 *
 * @example viewerFileOf('https://a.cn/pdfjs/web/viewer.html?file=%2Ffiles%2Fx.pdf') // 'https://a.cn/files/x.pdf'
 */
export function viewerFileOf(viewerUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(viewerUrl);
  } catch {
    return null;
  }
  const viewer = VIEWER_PATH.test(url.pathname);
  for (const name of VIEWER_PARAMS) {
    const value = url.searchParams.get(name);
    if (!value) continue;
    const file = absolute(value, url.href);
    if (!file || file.startsWith('data:')) continue;
    if (viewer || DOCUMENT_EXTENSIONS.test(pathOf(file))) return file;
  }
  return null;
}

/** Words that name an attachment in a link's text or title (the list and close kin). */
const ATTACHMENT_WORDS =
  /附件|授权书|授权委托书|委托书|介绍信|扫描件|原件|下载|预览|查看文件|download|attachment|preview/i;
/**
 * Words of links that do something: never followed, whatever else they say, because even a
 * GET to such a URL may act on the portal (old systems log out or delete by GET).
 */
const ACTION_WORDS =
  /删除|移除|退出|注销|登出|提交|保存|撤回|撤销|作废|审核|通过|驳回|退回|确认|修改|编辑|logout|log-out|logoff|signout|sign-out|delete|remove|submit|approve|reject|cancel|edit|update|destroy|revoke/i;
/** Containers portals list attachments in (Element-UI `el-upload-list`, "附件列表", `.file-list`). */
const ATTACHMENT_LIST =
  '[class*="upload-list"], [class*="attach"], [class*="file-list"], [class*="filelist"], [class*="fujian"], [id*="attach"], [id*="fujian"]';
/** Paths that are pages, scripts or styles, never attachments. */
const PAGE_EXTENSIONS = /\.(html?|css|js|mjs|json|xml|txt|svg|zip|rar|7z|docx?|xlsx?|pptx?)$/i;

/**
 * Whether a same-origin link looks like an attachment although nothing says its type: inside
 * an attachment list, or named 附件/授权书/介绍信/下载/预览 (text, title or `download`), and
 * never a link that looks like an action (删除/退出/提交/logout/delete…, in its words or URL).
 */
export function isAttachmentLookingLink(a: HTMLAnchorElement, url: string, pageUrl: string): boolean {
  let target: URL;
  let page: URL;
  try {
    target = new URL(url);
    page = new URL(pageUrl);
  } catch {
    return false;
  }
  if (target.origin !== page.origin || (target.protocol !== 'http:' && target.protocol !== 'https:')) return false;
  // A link to this very page (`#`, `?tab=2`) is navigation, not a file.
  if (target.pathname === page.pathname && target.search === page.search) return false;
  if (PAGE_EXTENSIONS.test(target.pathname)) return false;
  const words = [a.textContent ?? '', a.getAttribute('title') ?? '', a.getAttribute('aria-label') ?? '']
    .join(' ')
    .slice(0, 300);
  let decodedUrl = target.pathname + target.search;
  try {
    decodedUrl = decodeURIComponent(decodedUrl);
  } catch {
    // keep as is
  }
  if (ACTION_WORDS.test(words) || ACTION_WORDS.test(decodedUrl)) return false;
  if (a.hasAttribute('download')) return true;
  return ATTACHMENT_WORDS.test(words) || a.closest(ATTACHMENT_LIST) !== null;
}

/** Frames worth reading through their `src`: a download or preview endpoint rather than a page. */
const FRAME_FILE_URL = /download|preview|getfile|showfile|viewfile|attach|fujian|\/file(s)?\b/i;

/**
 * The first `url(…)` of a computed `background-image`, absolute; null for none, gradients
 * only, or SVG pictures.
 *
 * @example backgroundImageUrl('url("/t/17.jpg"), linear-gradient(red, blue)', 'https://a.cn/') // 'https://a.cn/t/17.jpg'
 */
export function backgroundImageUrl(css: string, base: string): string | null {
  const match = /url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)\s]*))\s*\)/.exec(css);
  if (!match) return null;
  const raw = (match[1] ?? match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1');
  if (!raw || /\.svg(\?|$)/i.test(raw) || raw.startsWith('data:image/svg')) return null;
  return absolute(raw, base);
}

/** The thumbnail sizes a background image is read at (CSS pixels): attachment-sized, not a page banner or a texture. */
export function isAttachmentSized(width: number, height: number): boolean {
  if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE) return false;
  if (width > 1600 || height > 2400) return false;
  return Math.max(width, height) / Math.min(width, height) <= 3;
}

/**
 * Whether a canvas is shaped like a letter page or its photo: both sides at least
 * 2 × {@link MIN_IMAGE_SIDE} and a long side 1.15–1.6 times the short one (A4 is 1.41,
 * 4:3 photos 1.33); charts (16:9 and wider) and square icons are left alone.
 */
export function isLetterSizedCanvas(width: number, height: number): boolean {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  if (short < 2 * MIN_IMAGE_SIDE) return false;
  const ratio = long / short;
  return ratio >= 1.15 && ratio <= 1.6;
}

/** Origins of the page's frames other than its own (http(s) only), for naming those not enabled. */
export function frameOrigins(doc: Document = globalThis.document): string[] {
  const own = new URL(doc.baseURI).origin;
  const out = new Set<string>();
  for (const el of doc.querySelectorAll('iframe[src], frame[src]')) {
    const url = absolute(el.getAttribute('src'), doc.baseURI);
    if (!url?.startsWith('http')) continue;
    const origin = new URL(url).origin;
    if (origin !== own) out.add(origin);
  }
  return [...out];
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
  const pageUrl = doc.URL;
  for (const el of doc.querySelectorAll('img, a[href], embed[src], object[data], iframe[src], frame[src]')) {
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
      if (!url) continue;
      const viewed = viewerFileOf(url);
      const known = isDocumentLink(a, url);
      const probe = !known && !viewed && isAttachmentLookingLink(a, url, pageUrl);
      if (!known && !viewed && !probe) continue;
      const download = a.getAttribute('download')?.trim();
      const fileUrl = viewed ?? url;
      if (download) downloadNames.set(fileUrl, download.slice(0, 200));
      const text = a.textContent?.trim();
      const name = download || (probe ? text : '') || lastPart(fileUrl) || text || 'document';
      add({ url: fileUrl, name: name.slice(0, 200), source: 'link', element: a, ...(probe ? { probe } : {}) });
    } else {
      const attr = tag === 'object' ? 'data' : 'src';
      const url = absolute(el.getAttribute(attr), base);
      if (!url) continue;
      const viewed = viewerFileOf(url);
      if (viewed) {
        add({ url: viewed, name: lastPart(viewed) || 'document.pdf', source: 'embed', element: el });
        continue;
      }
      if (isPdfFrame(el, url)) {
        add({ url, name: lastPart(url) || 'document.pdf', source: 'embed', element: el });
        continue;
      }
      // An extensionless download or preview endpoint in a frame of this origin: decided from the response.
      if (isSameOrigin(url, new URL(pageUrl).origin) && url.startsWith('http') && !PAGE_EXTENSIONS.test(pathOf(url))) {
        const address = url.slice(new URL(url).origin.length);
        if (FRAME_FILE_URL.test(address) && !ACTION_WORDS.test(address))
          add({ url, name: lastPart(url) || 'document', source: 'embed', element: el, probe: true });
      }
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

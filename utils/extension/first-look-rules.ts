/**
 * The first look's rule (entrypoints/first-look.ts): whether a page has anything the full
 * content script should read. A superset of document-discovery.ts's rules, made of selectors
 * and one regex per link with no URL parsing, so a page without documents costs almost
 * nothing; the full script then applies the real rules (action links and all).
 */
import { MIN_IMAGE_SIDE } from './document-discovery.ts';

/** Elements that always deserve the full script: it decides what they hold. */
const WAKE_SELECTOR = 'canvas, input[type="file"], iframe, frame, embed, object, [style*="url("]';
/** Attachment lists (as in document-discovery.ts): any link inside one wakes the full script. */
const LIST_LINKS =
  ':is([class*="upload-list"], [class*="attach"], [class*="file-list"], [class*="filelist"], [class*="fujian"], [id*="attach"], [id*="fujian"]) a[href]';
const FILE_PATH = /\.(pdf|png|jpe?g|webp|gif|bmp|tiff?)$/i;
const VIEWER_QUERY = /[?&](file|url|src|pdf|fileUrl|path)=/i;
const PAGE_PATH = /\.(html?|css|js|mjs|json|xml|txt|svg|zip|rar|7z|docx?|xlsx?|pptx?)$/i;
const WORDS = /附件|授权书|委托书|介绍信|扫描件|原件|下载|预览|查看文件|download|attachment|preview/i;

function bigImage(img: HTMLImageElement): boolean {
  const w = img.naturalWidth || Number.parseInt(img.getAttribute('width') ?? '', 10) || 0;
  const h = img.naturalHeight || Number.parseInt(img.getAttribute('height') ?? '', 10) || 0;
  return w >= MIN_IMAGE_SIDE && h >= MIN_IMAGE_SIDE;
}

/**
 * Whether the page (a frame's document) has something worth the full content script.
 *
 * @example worthReading(document) // false on a notice list with only links to .html pages
 */
export function worthReading(doc: Document = globalThis.document): boolean {
  if (doc.querySelector(WAKE_SELECTOR) || doc.querySelector(LIST_LINKS)) return true;
  const here = doc.defaultView?.location ?? globalThis.location;
  if (VIEWER_QUERY.test(here.search)) return true;
  const images = doc.getElementsByTagName('img');
  const links = doc.getElementsByTagName('a');
  for (let i = 0; i < images.length; i++) if (bigImage(images[i] as HTMLImageElement)) return true;
  for (let i = 0; i < links.length; i++) {
    const a = links[i] as HTMLAnchorElement;
    if (!a.hasAttribute('href')) continue;
    const path = a.pathname;
    if (FILE_PATH.test(path) || VIEWER_QUERY.test(a.search) || a.hasAttribute('download') || a.type) return true;
    if (a.origin === here.origin && !PAGE_PATH.test(path) && WORDS.test(a.textContent ?? '')) return true;
  }
  return false;
}

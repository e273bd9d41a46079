/**
 * Which site a browser download came from, and whether it is worth reading: the `downloads`
 * API tells what the user saved, not which tab offered it, so the site is the download's own
 * origin (a `blob:` URL carries its creator's), else the page that referred to it.
 */

/** File types that are never letters: not read at all (a 2 GB installer must not be fetched twice). */
const NEVER_DOCUMENT =
  /\.(zip|rar|7z|gz|tar|exe|msi|apk|dmg|iso|docx?|xlsx?|pptx?|wps|et|csv|txt|xml|json|html?|mp4|avi|mov|mp3)$/i;
/** The most a download may weigh to be read again (the content script's own limit). */
export const MAX_DOWNLOAD_BYTES = 40 * 1024 * 1024;

export interface DownloadLike {
  url: string;
  finalUrl?: string;
  referrer?: string;
  filename?: string;
  mime?: string;
  fileSize?: number;
  totalBytes?: number;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.startsWith('blob:') ? url.slice(5) : url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * The origin a download came from and the URL to read it at, or null when it is none of ours
 * to read (a data: URL, a file type that is never a letter, a very large file).
 *
 * @example downloadSource({ url: 'https://a.cn/download?id=17', mime: 'application/pdf' })
 * // { origin: 'https://a.cn', url: 'https://a.cn/download?id=17', name: 'download' }
 */
export function downloadSource(item: DownloadLike): { origin: string; url: string; name: string } | null {
  const url = item.finalUrl || item.url;
  const origin = originOf(url) ?? (url.startsWith('data:') ? null : originOf(item.referrer));
  if (!origin || url.startsWith('data:')) return null;
  const name = (item.filename ?? '').split(/[\\/]/).pop() || lastPart(url);
  if (NEVER_DOCUMENT.test(name)) return null;
  const mime = (item.mime ?? '').toLowerCase();
  if (mime && !(mime === 'application/pdf' || mime.startsWith('image/') || mime === 'application/octet-stream'))
    return null;
  const size = Math.max(item.fileSize ?? 0, item.totalBytes ?? 0);
  if (size > MAX_DOWNLOAD_BYTES) return null;
  return { origin, url, name: name.slice(0, 200) };
}

function lastPart(url: string): string {
  if (url.startsWith('blob:')) return 'download';
  try {
    const parts = new URL(url).pathname.split('/');
    return decodeURIComponent(parts[parts.length - 1] || 'download');
  } catch {
    return 'download';
  }
}

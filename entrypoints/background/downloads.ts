/**
 * Checks what the user downloads from an enabled site (`downloads` API), so a letter the
 * portal offers only as a download button is judged too. The download is read again as the
 * page would read it: by the tab's content script (the page's cookies, its own `blob:` URLs),
 * or, when no tab of the site answers, by the background with the site's host permission.
 * Only GET, only the URL the user just downloaded, only if its first bytes are a document's.
 */
import { browser } from 'wxt/browser';
import { type DownloadLike, downloadSource, MAX_DOWNLOAD_BYTES } from '../../utils/extension/download-source.ts';
import type { Envelope } from '../../utils/extension/messages.ts';
import { readDocumentResponse } from '../../utils/extension/read-response.ts';
import { submitDocument } from './documents.ts';
import { injectIntoFrame, originPattern, wantedMatches } from './sites.ts';

async function askTab(tabId: number, url: string, name: string): Promise<boolean> {
  const envelope: Envelope<'download.check'> = { yz: 1, type: 'download.check', data: { url, name } };
  try {
    const answer = (await browser.tabs.sendMessage(tabId, envelope, { frameId: 0 })) as { ok?: boolean } | undefined;
    return answer?.ok === true;
  } catch {
    return false;
  }
}

export async function checkDownload(item: DownloadLike): Promise<void> {
  const source = downloadSource(item);
  if (!source) return;
  const pattern = originPattern(source.origin);
  if (!pattern || !(await wantedMatches()).includes(pattern)) return;
  const tabs = await browser.tabs.query({ url: pattern });
  const site = tabs.filter((t) => t.id !== undefined && t.url && new URL(t.url).origin === source.origin);
  // The tab the user is looking at first: that is where the download button was.
  site.sort((a, b) => Number(b.active) - Number(a.active));
  for (const tab of site) if (await askTab(tab.id as number, source.url, source.name)) return;
  // A page with nothing else to read has only the first-look script: bring the full one, then ask again.
  for (const tab of site)
    if ((await injectIntoFrame(tab.id as number, 0)) && (await askTab(tab.id as number, source.url, source.name)))
      return;
  if (source.url.startsWith('blob:')) return;
  const tab = site[0];
  let read: Awaited<ReturnType<typeof readDocumentResponse>>;
  try {
    const response = await fetch(source.url, { credentials: 'include', signal: AbortSignal.timeout(30_000) });
    read = await readDocumentResponse(response, { maxBytes: MAX_DOWNLOAD_BYTES });
  } catch {
    return;
  }
  if (!read.ok) return;
  await submitDocument({
    tabId: tab?.id ?? null,
    pageUrl: tab?.url ?? '',
    name: read.name ?? source.name,
    url: source.url,
    source: 'download',
    bytes: read.bytes,
    wantsMarker: false,
  });
}

/** Listens for downloads (when the browser has the API: the permission is in the manifest). */
export function watchDownloads(): void {
  const downloads = (browser as unknown as { downloads?: typeof browser.downloads }).downloads;
  downloads?.onCreated.addListener((item) => {
    void checkDownload(item as DownloadLike).catch(() => undefined);
  });
}

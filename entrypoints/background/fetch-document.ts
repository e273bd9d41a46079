/**
 * Fetches a document for a content script when it is cross-origin to the page (the
 * extension's host permission lets the background read it; the page's own fetch could not).
 * Cookies go with it, as the user's own browser would send them when opening the link.
 */
import { MAX_DOCUMENT_BYTES } from '../../utils/extension/messages.ts';

export type DocumentFetch = { ok: true; bytes: Uint8Array } | { ok: false; detail: string };

export async function fetchDocument(url: string, signal?: AbortSignal): Promise<DocumentFetch> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, detail: 'bad URL' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { ok: false, detail: parsed.protocol };
  try {
    const response = await fetch(parsed, { credentials: 'include', signal: signal ?? AbortSignal.timeout(30_000) });
    if (!response.ok) return { ok: false, detail: `HTTP ${response.status}` };
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > MAX_DOCUMENT_BYTES) return { ok: false, detail: 'too large' };
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > MAX_DOCUMENT_BYTES) return { ok: false, detail: 'too large' };
    return { ok: true, bytes };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

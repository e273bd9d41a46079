/**
 * Decides from a response, not from its URL, whether it is a document: portals serve letters
 * from `/download?id=17` as `application/pdf`, or a JPEG as `application/octet-stream`. The
 * body is read only as far as its magic bytes; anything else (an HTML page, a JSON answer) is
 * cancelled there, so a link that merely looked like an attachment costs one GET of a few
 * kilobytes and nothing is kept. The name comes from `Content-Disposition` when the server
 * gives one.
 */
import { type DocumentKind, sniffKind } from '../document/sniff-kind.ts';
import { parseContentDisposition } from './content-disposition.ts';

/** `%PDF-` may sit anywhere in the first 1024 bytes (see sniffKind). */
const SNIFF_BYTES = 1024;

export type ResponseDocument =
  | { ok: true; bytes: Uint8Array; kind: DocumentKind; name: string | null; contentType: string }
  | { ok: false; reason: 'http-status' | 'not-a-document' | 'too-large' | 'no-body'; detail: string };

function joined(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Reads a response as a document, or stops at its first bytes when it is none.
 *
 * @example const doc = await readDocumentResponse(await fetch('/download?id=17'), { maxBytes: 40 << 20 });
 * // { ok: true, kind: 'pdf', name: '授权书.pdf', … }
 */
export async function readDocumentResponse(
  response: Response,
  options: { maxBytes: number },
): Promise<ResponseDocument> {
  const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'http-status', detail: `HTTP ${response.status}` };
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'too-large', detail: `${declared} bytes` };
  }
  const reader = response.body?.getReader();
  if (!reader) return { ok: false, reason: 'no-body', detail: 'no body' };
  const chunks: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (!done && length < SNIFF_BYTES) {
    const next = await reader.read();
    done = next.done;
    if (next.value) {
      chunks.push(next.value);
      length += next.value.length;
    }
  }
  const kind = sniffKind(joined(chunks, length).subarray(0, SNIFF_BYTES));
  if (!kind) {
    await reader.cancel().catch(() => undefined);
    return { ok: false, reason: 'not-a-document', detail: contentType || 'no content type' };
  }
  while (!done) {
    const next = await reader.read();
    done = next.done;
    if (next.value) {
      chunks.push(next.value);
      length += next.value.length;
      if (length > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too-large', detail: `over ${options.maxBytes} bytes` };
      }
    }
  }
  const name = parseContentDisposition(response.headers.get('content-disposition')).filename;
  return { ok: true, bytes: joined(chunks, length), kind, name, contentType };
}

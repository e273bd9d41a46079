import { describe, expect, it } from 'vitest';
import { readDocumentResponse } from '../../../utils/extension/read-response.ts';

const PDF = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1]);
const HTML = new TextEncoder().encode(`<!doctype html><html><body>${'登录 '.repeat(2000)}</body></html>`);

/** A response whose body comes in `chunk`-byte pieces, counting how many were pulled. */
function response(body: Uint8Array, headers: Record<string, string>, chunk = 512, status = 200) {
  let pulled = 0;
  let cancelled = false;
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= body.length) return controller.close();
      pulled++;
      controller.enqueue(body.slice(at, at + chunk));
      at += chunk;
    },
    cancel() {
      cancelled = true;
    },
  });
  return { res: new Response(stream, { status, headers }), stats: () => ({ pulled, cancelled }) };
}

describe('readDocumentResponse', () => {
  it.each([
    [
      'a PDF from an extensionless download, named by filename*',
      PDF,
      {
        'content-type': 'application/pdf',
        'content-disposition': "attachment; filename*=UTF-8''%E6%8E%88%E6%9D%83%E4%B9%A6.pdf",
      },
      { kind: 'pdf', name: '授权书.pdf' },
    ],
    [
      'a JPEG served as application/octet-stream',
      JPEG,
      { 'content-type': 'application/octet-stream' },
      { kind: 'jpeg', name: null },
    ],
    [
      'a JPEG served as text/html by a careless server',
      JPEG,
      { 'content-type': 'text/html' },
      { kind: 'jpeg', name: null },
    ],
  ])('keeps %s', async (_what, body, headers, expected) => {
    const { res } = response(body, headers);
    const got = await readDocumentResponse(res, { maxBytes: 1 << 20 });
    expect(got).toMatchObject({ ok: true, ...expected });
    if (got.ok) expect([...got.bytes]).toEqual([...body]);
  });

  it('stops at the first bytes of an HTML page and keeps nothing', async () => {
    const { res, stats } = response(HTML, { 'content-type': 'text/html; charset=utf-8' });
    const got = await readDocumentResponse(res, { maxBytes: 1 << 20 });
    expect(got).toEqual({ ok: false, reason: 'not-a-document', detail: 'text/html; charset=utf-8' });
    expect(stats()).toEqual({ pulled: 2, cancelled: true });
  });

  it('refuses a page that calls itself a PDF but is not one', async () => {
    const { res } = response(HTML, { 'content-type': 'application/pdf' });
    expect(await readDocumentResponse(res, { maxBytes: 1 << 20 })).toMatchObject({
      ok: false,
      reason: 'not-a-document',
    });
  });

  it('reads nothing of an error status', async () => {
    const { res, stats } = response(PDF, {}, 512, 403);
    expect(await readDocumentResponse(res, { maxBytes: 1 << 20 })).toMatchObject({
      ok: false,
      reason: 'http-status',
      detail: 'HTTP 403',
    });
    expect(stats().pulled).toBe(0);
  });

  it('refuses a body over the limit, declared or streamed', async () => {
    const big = new Uint8Array(5000);
    big.set(PDF);
    const declared = response(big, { 'content-length': '5000' });
    expect(await readDocumentResponse(declared.res, { maxBytes: 4096 })).toMatchObject({ reason: 'too-large' });
    const streamed = response(big, {});
    expect(await readDocumentResponse(streamed.res, { maxBytes: 4096 })).toMatchObject({ reason: 'too-large' });
    expect(streamed.stats().cancelled).toBe(true);
  });
});

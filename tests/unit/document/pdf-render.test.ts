// The render path that hung in the offscreen document: a window whose requestAnimationFrame
// never fires (as there) must not stop a PDF page from being drawn, and a rendering that
// runs out of time ends the document with its own error instead of waiting.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readDocument } from '../../../utils/document/read-document.ts';
import { DEFAULT_READ_LIMITS } from '../../../utils/document/read-limits.ts';
import { openPdf } from '../../../utils/document/read-pdf.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import {
  imageMaskQrPdf,
  inlineImageQrPdf,
  sampleAl1Text,
  vectorQrPdf,
} from '../../fixtures/documents/make-documents.ts';

const platform = nodeReaderPlatform();
const text = sampleAl1Text(21);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('PDF pages that must be rendered', () => {
  it.each([
    ['a vector-drawn code', () => vectorQrPdf(text)],
    ['an inline image (kept inline by pdf.js)', async () => inlineImageQrPdf(text)],
    ['a 1-bit stencil mask', async () => imageMaskQrPdf(text)],
  ])('reads %s, which pdf.js does not hand over as an image object', async (_name, make) => {
    const bytes = await make();
    const pdf = await openPdf(bytes, platform, DEFAULT_READ_LIMITS);
    expect(await (await pdf.page(0)).images()).toEqual([]);
    await pdf.close();
    const result = await readDocument(bytes, { platform });
    expect(result).toMatchObject({ ok: true, kind: 'pdf', unreadPages: [] });
    expect(result.ok && result.codes.map((c) => c.text)).toEqual([text]);
  });

  it('renders even where a window exists whose requestAnimationFrame never fires', async () => {
    const requestAnimationFrame = vi.fn(() => 1);
    vi.stubGlobal('window', { requestAnimationFrame, cancelAnimationFrame: () => undefined });
    const result = await readDocument(await vectorQrPdf(text), { platform });
    expect(result.ok && result.codes.map((c) => c.text)).toEqual([text]);
    expect(requestAnimationFrame).not.toHaveBeenCalled();
  });

  it('ends with the page-timeout error when the rendering does not finish in time', async () => {
    // A 1 ms budget: the rendering is allowed 3 ms, far less than drawing the page takes.
    const result = await readDocument(await vectorQrPdf(text), { platform, limits: { pageBudgetMs: 1 } });
    expect(result).toEqual({ ok: false, error: { key: 'reader.error.pageTimeout', params: { page: 1, seconds: 0 } } });
  });

  it('stops a rendering when the signal aborts', async () => {
    const controller = new AbortController();
    const pdf = await openPdf(await vectorQrPdf(text), platform, DEFAULT_READ_LIMITS);
    const page = await pdf.page(0);
    const rendering = page.render({ timeoutMs: 30_000, signal: controller.signal });
    controller.abort();
    await expect(rendering).rejects.toMatchObject({ name: 'RenderTimeout' });
    await pdf.close();
  });
});

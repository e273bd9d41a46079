import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkPdfStreams } from '../../../utils/document/pdf-stream-limits.ts';
import { readDocument } from '../../../utils/document/read-document.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../../../utils/document/read-limits.ts';
import { openPdf } from '../../../utils/document/read-pdf.ts';
import { ReaderError } from '../../../utils/document/reader-error.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import {
  blankImage,
  paste,
  qrImage,
  sampleAl1Text,
  scannedPdf,
  vectorQrPdf,
} from '../../fixtures/documents/make-documents.ts';
import { contentBombPdf, hugeMediaBoxPdf, rawPdf } from '../../fixtures/hostile/make-hostile.ts';

const MiB = 1024 * 1024;
const small: ReadLimits = { ...DEFAULT_READ_LIMITS, maxPdfStreamBytes: 1 * MiB, maxPixelsPerPage: 1_000_000 };
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function refusal(bytes: Uint8Array, limits: ReadLimits): string | null {
  try {
    checkPdfStreams(bytes, limits);
    return null;
  } catch (error) {
    return error instanceof ReaderError ? error.key : `unexpected ${String(error)}`;
  }
}

/** One stream object with the given dictionary entries around `data`. */
function withStream(dict: string, data: Uint8Array): Uint8Array {
  const head = latin1(`<< ${dict} >>\nstream\n`);
  const body = new Uint8Array(head.length + data.length + 10);
  body.set(head, 0);
  body.set(data, head.length);
  body.set(latin1('\nendstream'), head.length + data.length);
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    body,
  ]);
}

const zeros = (n: number) => zlibSync(new Uint8Array(n));

describe('PDF decompression bombs are refused before pdf.js inflates them', () => {
  it.each([
    ['a content stream inflating past the limit', () => contentBombPdf(4 * MiB)],
    [
      'an image stream inflating past what its declared size needs',
      () => withStream('/Subtype /Image /Width 1000 /Height 1000 /Filter /FlateDecode', zeros(8 * MiB)),
    ],
    [
      'a content stream dressed as a small image',
      () =>
        withStream(
          `/Subtype /Image /Width 10 /Height 10 /Filter /FlateDecode /Length ${zeros(3 * MiB).length}`,
          zeros(3 * MiB),
        ),
    ],
    ['a bomb behind an indirect /Length', () => withStream('/Filter /FlateDecode /Length 19 0 R', zeros(3 * MiB))],
    ['a bomb behind a false small /Length', () => withStream('/Filter /FlateDecode /Length 12', zeros(3 * MiB))],
    [
      'a bomb behind ASCIIHex',
      () =>
        withStream('/Filter [/ASCIIHexDecode /FlateDecode]', latin1(`${Buffer.from(zeros(3 * MiB)).toString('hex')}>`)),
    ],
    ['a bomb with the abbreviated filter name', () => withStream('/Filter /Fl', zeros(3 * MiB))],
  ])('refuses %s', (_name, make) => {
    expect(refusal(make(), small)).toBe('reader.error.pdfStreamTooLarge');
  });

  it.each([
    ['a content stream under the limit', () => contentBombPdf(MiB / 2)],
    [
      'an image stream of its declared size',
      () => withStream(`/Subtype /Image /Width 500 /Height 500 /Filter /FlateDecode`, zeros(500 * 500 * 3)),
    ],
    ['a stream with no DEFLATE layer', () => withStream('/Length 4', latin1('q Q '))],
    ['a damaged DEFLATE stream', () => withStream('/Filter /FlateDecode', latin1('not deflate at all'))],
  ])('lets through %s', (_name, make) => {
    expect(refusal(make(), small)).toBeNull();
  });

  it('lets through the PDFs the reader is built for (scanned, vector-drawn)', async () => {
    const page = paste(blankImage(900, 1200), qrImage(sampleAl1Text(2), { module: 4 }), 200, 300);
    for (const pdf of [
      await scannedPdf([page]),
      await scannedPdf([page], 'jpeg'),
      await vectorQrPdf(sampleAl1Text(3)),
    ]) {
      expect(refusal(pdf, DEFAULT_READ_LIMITS)).toBeNull();
    }
  });

  it.each([
    ['DEFLATE', '/Filter /FlateDecode'],
    ['JPEG', '/Filter /DCTDecode'],
  ])('refuses a %s image declared over the page pixel limit by name', (_name, filter) => {
    const pdf = withStream(`/Subtype /Image /Width 2000 /Height 2000 ${filter}`, zeros(1000));
    expect(refusal(pdf, small)).toBe('reader.error.pdfImageTooLarge');
  });

  it('gives the reader a clear per-file error for a bomb', async () => {
    const result = await readDocument(contentBombPdf(4 * MiB), { platform: nodeReaderPlatform(), limits: small });
    expect(result).toEqual({ ok: false, error: { key: 'reader.error.pdfStreamTooLarge', params: { max: 1 } } });
  });

  it('renders a page with a huge MediaBox within maxRenderPixels', async () => {
    const limits: ReadLimits = { ...DEFAULT_READ_LIMITS, maxRenderPixels: 2_000_000 };
    const pdf = await openPdf(hugeMediaBoxPdf(), nodeReaderPlatform(), limits);
    try {
      const { image } = await (await pdf.page(0)).render();
      expect(image.width * image.height).toBeLessThanOrEqual(2_000_000);
      expect(image.width * image.height).toBeGreaterThan(1_500_000);
    } finally {
      await pdf.close();
    }
  });
});

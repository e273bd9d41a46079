// A plain scan (one opaque image, nothing else drawn) is not rendered: the rendering would be
// the same pixels, fewer of them, and cost a canvas and a second decode on every page without a
// code. Every other page still is, so a code drawn beside a scan, or an image that only shows
// right when composed on white, is read as before.
import { PDFDocument, rgb } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { readDocument } from '../../../utils/document/read-document.ts';
import { DEFAULT_READ_LIMITS } from '../../../utils/document/read-limits.ts';
import { openPdf } from '../../../utils/document/read-pdf.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import {
  blankImage,
  paste,
  qrImage,
  qrMatrix,
  sampleAl1Text,
  scannedPdf,
  toJpeg,
  toPng,
} from '../../fixtures/documents/make-documents.ts';
import { UNTIMED } from './untimed.ts';

const platform = nodeReaderPlatform();
const text = sampleAl1Text(31);

/** A 400x500 grey page image; with alpha 0 in its top half when `transparent`. */
function pageImage(transparent = false) {
  const image = blankImage(400, 500);
  for (let p = 0; p < image.data.length; p += 4) {
    image.data[p] = image.data[p + 1] = image.data[p + 2] = 200;
    if (transparent && p < image.data.length / 2) image.data[p + 3] = 0;
  }
  return image;
}

/** One page: the scan image filling it, then `extra` drawn on top. */
async function pdfWith(extra: (page: ReturnType<PDFDocument['addPage']>, pdf: PDFDocument) => Promise<void>) {
  const pdf = await PDFDocument.create();
  const scan = await pdf.embedJpg(toJpeg(pageImage(), 85));
  const page = pdf.addPage([144, 180]);
  page.drawImage(scan, { x: 0, y: 0, width: 144, height: 180 });
  await extra(page, pdf);
  return pdf.save();
}

describe('whether a PDF page is rendered besides its images', () => {
  it.each([
    { name: 'a plain JPEG scan', rendersMore: false, make: () => scannedPdf([pageImage()], 'jpeg') },
    { name: 'a plain PNG scan without alpha', rendersMore: false, make: () => scannedPdf([pageImage()], 'png') },
    {
      name: 'a scan with alpha (composed on white only by rendering)',
      rendersMore: true,
      make: () => scannedPdf([pageImage(true)], 'png'),
    },
    {
      name: 'a scan with text drawn beside it',
      rendersMore: true,
      make: () => pdfWith(async (page) => page.drawText('x', { x: 10, y: 10, size: 8 })),
    },
    {
      name: 'a scan with a second image',
      rendersMore: true,
      make: () =>
        pdfWith(async (page, pdf) => {
          const second = await pdf.embedPng(toPng(pageImage()));
          page.drawImage(second, { x: 10, y: 10, width: 100, height: 100 });
        }),
    },
  ])('$name: rendersMore $rendersMore', async ({ make, rendersMore }) => {
    const pdf = await openPdf(await make(), platform, DEFAULT_READ_LIMITS);
    const page = await pdf.page(0);
    expect(page.rendersMore()).toBe(true);
    expect((await page.images()).length).toBeGreaterThan(0);
    expect(page.rendersMore()).toBe(rendersMore);
    await pdf.close();
  });

  it('reads a code in a plain scan, and reports a plain scan without one as unread', async () => {
    const withCode = paste(blankImage(900, 1100), qrImage(text, { module: 4 }), 200, 300);
    const result = await readDocument(await scannedPdf([withCode, pageImage()], 'jpeg'), { platform, limits: UNTIMED });
    expect(result).toMatchObject({ ok: true, pages: 2, unreadPages: [2] });
    expect(result.ok && result.codes.map((c) => [c.text, c.page])).toEqual([[text, 1]]);
  });

  it('still renders a scan page with a vector code drawn beside the image, and reads it', async () => {
    const bytes = await pdfWith(async (page) => {
      const matrix = qrMatrix(text);
      const module = 100 / matrix.length;
      matrix.forEach((row, r) => {
        row.forEach((dark, c) => {
          if (dark)
            page.drawRectangle({
              x: 20 + c * module,
              y: 160 - (r + 1) * module,
              width: module,
              height: module,
              color: rgb(0, 0, 0),
            });
        });
      });
    });
    const result = await readDocument(bytes, { platform, limits: UNTIMED });
    expect(result.ok && result.codes.map((c) => c.text)).toEqual([text]);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { bilevel, resample, rotateWith, scannerOptics } from '../../../scripts/bench/corpus/capture.ts';
import { MAX_GIF_FRAMES } from '../../../utils/document/decode-raster.ts';
import type { RgbaImage } from '../../../utils/document/image-types.ts';
import { type ReadProgress, readDocument } from '../../../utils/document/read-document.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import {
  blankImage,
  encryptedPdf,
  paste,
  qrImage,
  qrMatrix,
  sampleAl1Text,
  scannedPdf,
  toBmp,
  toGif,
  toJpeg,
  toPng,
  toTiff,
  toWebp,
  vectorQrPdf,
} from '../../fixtures/documents/make-documents.ts';
import { UNTIMED } from './untimed.ts';

const platform = nodeReaderPlatform();
const text = sampleAl1Text(11);
const other = sampleAl1Text(12);

/** A 900x1200 "page" with the code at (200, 300). */
const page = (payload = text): RgbaImage => paste(blankImage(900, 1200), qrImage(payload, { module: 4 }), 200, 300);
const read = (bytes: Uint8Array, extra: Partial<Parameters<typeof readDocument>[1]> = {}) =>
  readDocument(bytes, { platform, limits: UNTIMED, ...extra });

const documents = {
  png: () => toPng(page()),
  jpeg: () => toJpeg(page(), 85),
  webp: () => toWebp(page()),
  gif: () => toGif(page()),
  bmp: () => toBmp(page()),
  tiff: () => toTiff([page()]),
  pdf: () => scannedPdf([page()]),
} as const;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('readDocument input types', () => {
  it.each(Object.entries(documents))('reads the code in a %s', async (kind, make) => {
    const result = await read(await make());
    expect(result).toMatchObject({ ok: true, kind, pages: 1, unreadPages: [] });
    if (!result.ok) return;
    expect(result.codes.map((c) => [c.text, c.page])).toEqual([[text, 1]]);
    expect(result.codes[0]?.ms).toBeGreaterThanOrEqual(0);
  });

  it('gives the code position in image pixels', async () => {
    const result = await read(toPng(page()));
    expect(result.ok && result.codes[0]?.position).toMatchObject({
      x: expect.closeTo(216, 0),
      y: expect.closeTo(316, 0),
    });
  });

  it.each([
    [3, { x: 900 - 216 - 340, y: 1200 - 316 - 340 }],
    [6, { x: 1200 - 316 - 340, y: 216 }],
    [8, { x: 316, y: 900 - 216 - 340 }],
  ])('applies EXIF orientation %i before reading, so positions are in the picture as seen', async (orientation, at) => {
    const result = await read(toJpeg(page(), 90, orientation));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.codes[0]?.text).toBe(text);
    expect(result.codes[0]?.position?.x).toBeCloseTo(at.x, -1);
    expect(result.codes[0]?.position?.y).toBeCloseTo(at.y, -1);
  });

  it("shows a TIFF page as its Orientation tag says, so positions are in the displayed page's pixels", async () => {
    // Orientation 6: stored as fed, shown turned a quarter clockwise (the code's corner at (216, 316) moves right).
    const result = await read(toTiff([page()], 6));
    expect(result).toMatchObject({ ok: true, kind: 'tiff', codes: [{ text }] });
    const box = result.ok ? result.codes[0]?.position : null;
    expect(box?.x).toBeGreaterThan(500);
    expect(box?.y).toBeCloseTo(216, -1);
  });

  it('reads the frames of an animated GIF after the first, as pages', async () => {
    const result = await read(toGif(blankImage(900, 1200), page()));
    expect(result).toMatchObject({ ok: true, kind: 'gif', pages: 2, unreadPages: [1] });
    expect(result.ok && result.codes.map((c) => [c.page, c.text])).toEqual([[2, text]]);
  });

  it('reads at most MAX_GIF_FRAMES frames of a long animation', async () => {
    const small = blankImage(60, 60);
    const result = await read(toGif(small, ...Array.from({ length: MAX_GIF_FRAMES + 4 }, () => small)));
    expect(result).toMatchObject({ ok: true, kind: 'gif', pages: MAX_GIF_FRAMES });
  });

  it('reads every page of a multi-page TIFF and lists the page without a code', async () => {
    const progress: ReadProgress[] = [];
    const result = await read(toTiff([page(), blankImage(600, 800), page(other)]), {
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ ok: true, kind: 'tiff', pages: 3, unreadPages: [2] });
    expect(result.ok && result.codes.map((c) => [c.page, c.text])).toEqual([
      [1, text],
      [3, other],
    ]);
    expect(progress).toEqual([
      { page: 1, pages: 3 },
      { page: 2, pages: 3 },
      { page: 3, pages: 3 },
    ]);
  });

  it('reads a scanned PDF from its embedded page images, page by page', async () => {
    const progress: ReadProgress[] = [];
    const result = await read(await scannedPdf([page(), page(other)], 'jpeg'), { onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ ok: true, kind: 'pdf', pages: 2, unreadPages: [] });
    expect(result.ok && result.codes.map((c) => [c.page, c.text, c.position])).toEqual([
      [1, text, null],
      [2, other, null],
    ]);
    expect(progress).toEqual([
      { page: 1, pages: 2 },
      { page: 2, pages: 2 },
    ]);
  });

  it('reads a QR drawn as vector rectangles in a PDF by rendering the page, with its position in points', async () => {
    const result = await read(await vectorQrPdf(text, 130, 230, 500));
    expect(result).toMatchObject({ ok: true, kind: 'pdf', pages: 1, unreadPages: [] });
    if (!result.ok) return;
    expect(result.codes[0]?.text).toBe(text);
    expect(result.codes[0]?.position?.x).toBeCloseTo(230, -1);
    expect(result.codes[0]?.position?.y).toBeCloseTo(500, -1);
  });

  it('reports both texts when a page carries two different codes', async () => {
    const two = paste(paste(blankImage(1400, 900), qrImage(text), 50, 50), qrImage(other), 750, 300);
    const result = await read(toPng(two));
    expect(result.ok && result.codes.map((c) => c.text).sort()).toEqual([text, other].sort());
  });

  it('returns any QR text, not only AL1 codes, for the caller to filter', async () => {
    const result = await read(toPng(page('https://example.org/not-a-letter')));
    expect(result.ok && result.codes.map((c) => c.text)).toEqual(['https://example.org/not-a-letter']);
  });

  it('lists a page with no code as unread instead of failing', async () => {
    expect(await read(toPng(blankImage(300, 300)))).toMatchObject({ ok: true, codes: [], unreadPages: [1] });
  });
});

describe('readDocument on captures clinics receive', () => {
  it.each([
    [
      'a flatbed scan fed 2.2 degrees askew at 2 px a module',
      () =>
        scannerOptics(
          rotateWith(paste(blankImage(900, 1200), qrImage(text, { module: 2 }), 200, 300), 2.2, 'nearest'),
          3,
          5,
        ),
    ],
    [
      'a bilevel fax, a little askew, at 2 px a module',
      () => bilevel(rotateWith(resample(page(), 450, 600), 1.5, 'bilinear'), 128, 9),
    ],
  ])('reads %s', async (_, make) => {
    const result = await read(toPng(make()));
    expect(result.ok && result.codes.map((c) => c.text)).toEqual([text]);
  });

  it('says where a code is that it found but could not read, and reads no text from it', async () => {
    const spoilt = paste(blankImage(900, 1200), qrImage(text, { module: 3 }), 200, 300);
    // Ink over the middle quarter of the code (its first module at (212, 312)): past level M.
    const side = qrMatrix(text).length * 3;
    for (let y = 312 + Math.round(side / 4); y < 312 + Math.round((3 * side) / 4); y++)
      for (let x = 212 + Math.round(side / 4); x < 212 + Math.round((3 * side) / 4); x++)
        spoilt.data.fill((x * 7 + y * 13) % 5 < 2 ? 0 : 255, (y * 900 + x) * 4, (y * 900 + x) * 4 + 3);
    const result = await read(toPng(spoilt));
    expect(result).toMatchObject({ ok: true, codes: [], unreadable: [{ page: 1 }] });
  });
});

describe('readDocument errors and limits', () => {
  const errorOf = async (bytes: Uint8Array | Promise<Uint8Array>, extra = {}) => {
    const result = await read(await bytes, extra);
    return result.ok ? null : result.error;
  };

  it.each([
    ['a text file', new TextEncoder().encode('AL1:abc\n'), 'notes.txt', '.txt'],
    ['a ZIP archive', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), 'letters.zip', '.zip'],
    ['a file without a name', new Uint8Array([1, 2, 3]), undefined, '?'],
  ])('refuses %s as an unsupported file type', async (_, bytes, fileName, name) => {
    expect(await errorOf(bytes, { fileName })).toEqual({ key: 'reader.error.unsupported', params: { name } });
  });

  it.each([
    ['random bytes named .pdf', 'scan.pdf', 'reader.error.damagedPdf'],
    ['random bytes named .PNG', 'photo.PNG', 'reader.error.damagedImage'],
    ['random bytes named .jpeg', 'letter.jpeg', 'reader.error.damagedImage'],
  ])('calls %s damaged, not an unsupported type', async (_, fileName, key) => {
    const junk = new Uint8Array(256).map((_, i) => (i * 73 + 11) & 0xff);
    expect(await errorOf(junk, { fileName })).toEqual({ key });
  });

  it('refuses an empty file', async () => {
    expect(await errorOf(new Uint8Array(0))).toEqual({ key: 'reader.error.empty' });
  });

  it('refuses a file over the size limit before looking inside', async () => {
    expect(await errorOf(toPng(page()), { limits: { maxFileBytes: 1000 } })).toMatchObject({
      key: 'reader.error.tooLarge',
      params: { max: 0 },
    });
  });

  it('refuses a PNG that declares more pixels than allowed, from its header alone (decompression bomb)', async () => {
    const bytes = toPng(blankImage(16, 16));
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setUint32(16, 60_000);
    view.setUint32(20, 60_000);
    expect(await errorOf(bytes)).toEqual({
      key: 'reader.error.tooManyPixels',
      params: { page: 1, megapixels: 3600, max: 40 },
    });
  });

  it.each([
    ['jpeg', () => toJpeg(page())],
    ['gif', () => toGif(page())],
    ['bmp', () => toBmp(page())],
    ['webp', () => toWebp(page())],
    ['tiff', () => toTiff([page()])],
  ])('applies the per-page pixel limit to a %s', async (_, make) => {
    expect(await errorOf(make(), { limits: { maxPixelsPerPage: 500_000 } })).toMatchObject({
      key: 'reader.error.tooManyPixels',
      params: { page: 1, megapixels: 1.1, max: 0.5 },
    });
  });

  it('refuses a TIFF with more pages than allowed', async () => {
    const small = blankImage(30, 30);
    expect(await errorOf(toTiff([small, small, small]), { limits: { maxPages: 2 } })).toEqual({
      key: 'reader.error.tooManyPages',
      params: { pages: 3, max: 2 },
    });
  });

  it('refuses a PDF with more pages than allowed', async () => {
    const small = blankImage(30, 30);
    expect(await errorOf(scannedPdf([small, small, small]), { limits: { maxPages: 2 } })).toEqual({
      key: 'reader.error.tooManyPages',
      params: { pages: 3, max: 2 },
    });
  });

  it('refuses a PDF whose embedded scan is over the pixel limit by name, rather than reading the page as blank', async () => {
    const result = await read(await scannedPdf([page()]), { limits: { maxPixelsPerPage: 200_000 } });
    expect(result).toEqual({
      ok: false,
      error: { key: 'reader.error.pdfImageTooLarge', params: { megapixels: 1.1, max: 0.2 } },
    });
  });

  it.each([
    ['PNG', () => toPng(page()), 0.5],
    ['GIF', () => toGif(page()), 0.3],
    ['BMP', () => toBmp(page()), 0.5],
    ['TIFF', () => toTiff([page()]), 0.5],
    ['WebP', () => toWebp(page()), 0.5],
  ])('reports a truncated %s as a damaged image', async (_, make, keep) => {
    const bytes = await make();
    expect(await errorOf(bytes.slice(0, Math.floor(bytes.length * keep)))).toEqual({
      key: 'reader.error.damagedImage',
    });
  });

  it('reads what survives of a truncated baseline JPEG, or reports it damaged, and never crashes', async () => {
    const bytes = toJpeg(page());
    const result = await read(bytes.slice(0, Math.floor(bytes.length * 0.4)));
    if (!result.ok) expect(result.error).toEqual({ key: 'reader.error.damagedImage' });
    else expect(result.codes.every((c) => c.text === text)).toBe(true);
  });

  it('reports an encrypted PDF as encrypted', async () => {
    expect(await errorOf(encryptedPdf())).toEqual({ key: 'reader.error.encryptedPdf' });
  });

  it.each([
    ['a PDF header and nothing else', () => new TextEncoder().encode('%PDF-1.7\n')],
    ['a truncated PDF', async () => (await scannedPdf([page()])).slice(0, 600)],
  ])('reports %s as a damaged PDF', async (_, make) => {
    expect(await errorOf(make())).toEqual({ key: 'reader.error.damagedPdf' });
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await errorOf(toPng(page()), { signal: controller.signal })).toEqual({ key: 'reader.error.aborted' });
  });

  it('refuses to run with no local zxing wasm rather than download it', async () => {
    const fetchSpy = vi.fn(async () => {
      throw new Error('network');
    });
    vi.stubGlobal('fetch', fetchSpy);
    const result = await readDocument(toPng(page()), { platform: { ...platform, zxing: {} } });
    expect(result).toMatchObject({ ok: false, error: { key: 'reader.error.internal' } });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
  it('falls back to the JavaScript JPEG decoder when the MozJPEG wasm cannot be loaded, and still reads the code', async () => {
    const missing = '/nonexistent/reader/mozjpeg_dec.wasm';
    const fetchSpy = vi.fn(async () => {
      throw new Error('network');
    });
    vi.stubGlobal('fetch', fetchSpy);
    const result = await readDocument(toJpeg(page(), 85), {
      platform: { ...platform, jpeg: { locateFile: () => missing } },
    });
    expect(result).toMatchObject({ ok: true, kind: 'jpeg', unreadPages: [] });
    expect(result.ok && result.codes.map((c) => c.text)).toEqual([text]);
    for (const [url] of fetchSpy.mock.calls as unknown as [unknown][]) expect(String(url)).toBe(missing);
  });
});

describe('readDocument offline', () => {
  it('reads every input type without calling fetch', async () => {
    const fetchSpy = vi.fn(async () => {
      throw new Error('the reader must not touch the network');
    });
    vi.stubGlobal('fetch', fetchSpy);
    const inputs = [...Object.values(documents).map((make) => make()), vectorQrPdf(text)];
    for (const bytes of inputs) {
      const result = await read(await bytes);
      expect(result.ok && result.codes.map((c) => c.text)).toEqual([text]);
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

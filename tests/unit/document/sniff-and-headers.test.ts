import { describe, expect, it } from 'vitest';
import { decodeBmp } from '../../../utils/document/decode-bmp.ts';
import { headerDimensions } from '../../../utils/document/header-dimensions.ts';
import { ReaderError } from '../../../utils/document/reader-error.ts';
import { sniffKind } from '../../../utils/document/sniff-kind.ts';
import {
  blankImage,
  qrImage,
  scannedPdf,
  toBmp,
  toGif,
  toJpeg,
  toPng,
  toTiff,
  toWebp,
} from '../../fixtures/documents/make-documents.ts';

const image = { ...blankImage(37, 23) };

describe('sniffKind', () => {
  it.each([
    ['png', () => toPng(image)],
    ['jpeg', () => toJpeg(image)],
    ['gif', () => toGif(image)],
    ['bmp', () => toBmp(image)],
    ['tiff', () => toTiff([image])],
    ['webp', () => toWebp(image)],
    ['pdf', () => scannedPdf([image])],
  ] as const)('recognizes %s from its leading bytes', async (kind, make) => {
    expect(sniffKind(await make())).toBe(kind);
  });

  it('accepts a PDF whose header comes after some leading junk', () => {
    expect(sniffKind(new TextEncoder().encode('\r\n\r\n%PDF-1.7\n'))).toBe('pdf');
  });

  it.each([
    ['plain text', 'AL1:abc'],
    ['an HTML page', '<!doctype html>'],
    ['a ZIP archive', 'PK\x03\x04'],
  ])('recognizes nothing in %s', (_, text) => {
    expect(sniffKind(new TextEncoder().encode(text))).toBeNull();
  });
});

describe('headerDimensions', () => {
  it.each([
    ['png', () => toPng(image)],
    ['jpeg', () => toJpeg(image)],
    ['gif', () => toGif(image)],
    ['bmp', () => toBmp(image)],
    ['webp', () => toWebp(image)],
  ] as const)('reads the size of a %s from its header', async (kind, make) => {
    expect(headerDimensions(await make(), kind)).toEqual({ width: 37, height: 23 });
  });

  it('reports a JPEG without a frame header as damaged', () => {
    expect(() => headerDimensions(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0]), 'jpeg')).toThrowError(
      ReaderError,
    );
  });
});

describe('decodeBmp', () => {
  const qr = qrImage('AL1:bmp', { module: 2 });

  it.each([
    ['24-bit', false],
    ['8-bit grey palette', true],
  ])('decodes a %s bottom-up BMP pixel for pixel', (_, grey) => {
    const decoded = decodeBmp(toBmp(qr, grey));
    expect(decoded.width).toBe(qr.width);
    expect(decoded.height).toBe(qr.height);
    expect([...decoded.data]).toEqual([...qr.data]);
  });

  it('decodes a top-down BMP (negative height)', () => {
    const bytes = toBmp(qr);
    const view = new DataView(bytes.buffer);
    view.setInt32(22, -qr.height, true);
    const decoded = decodeBmp(bytes);
    // Rows are now read in file order, so the picture is upside down relative to the original.
    expect(decoded.data.subarray(0, qr.width * 4)).toEqual(qr.data.subarray((qr.height - 1) * qr.width * 4));
  });

  it.each([
    ['RLE-compressed', (b: Uint8Array) => new DataView(b.buffer).setUint32(30, 1, true)],
    ['truncated', (b: Uint8Array) => b.fill(0, 0, 0)],
  ])('refuses a %s BMP as damaged', (name, change) => {
    let bytes = toBmp(qr);
    change(bytes);
    if (name === 'truncated') bytes = bytes.slice(0, 200);
    expect(() => decodeBmp(bytes)).toThrowError(expect.objectContaining({ key: 'reader.error.damagedImage' }));
  });
});

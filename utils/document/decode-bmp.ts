import type { RgbaImage } from './image-types.ts';
import { ReaderError } from './reader-error.ts';

/**
 * Decodes a Windows BMP: 1, 4, 8-bit palette, 16 (5-5-5 or bit fields), 24 and 32-bit,
 * bottom-up or top-down rows (BITMAPINFOHEADER and its V4/V5 extensions, and the old
 * OS/2 core header). RLE-compressed BMPs, which scanners do not write, are refused as
 * damaged rather than misread.
 *
 * @example decodeBmp(bytes).width
 */
export function decodeBmp(bytes: Uint8Array): RgbaImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = () => new ReaderError('reader.error.damagedImage');
  if (bytes.length < 26) throw fail();
  const dataOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  const core = headerSize === 12;
  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = core ? view.getInt16(20, true) : view.getInt32(22, true);
  const bpp = view.getUint16(core ? 24 : 28, true);
  const compression = core ? 0 : view.getUint32(30, true);
  const height = Math.abs(rawHeight);
  const topDown = rawHeight < 0;
  if (width <= 0 || height <= 0 || ![1, 4, 8, 16, 24, 32].includes(bpp)) throw fail();
  // 0 = BI_RGB, 3 = BI_BITFIELDS, 6 = BI_ALPHABITFIELDS; 1, 2 are RLE.
  if (compression !== 0 && compression !== 3 && compression !== 6) throw fail();

  let masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0xff00, 0xff, bpp === 32 ? 0xff000000 : 0];
  if (compression !== 0) {
    const at = 14 + 40; // right after BITMAPINFOHEADER's 40 bytes, inside a V2+ header or following it
    if (at + 12 > bytes.length) throw fail();
    masks = [view.getUint32(at, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true), 0];
    if (headerSize >= 56 || compression === 6) masks[3] = view.getUint32(at + 12, true);
  }
  const paletteAt = 14 + headerSize;
  const entry = core ? 3 : 4;
  const rowBytes = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + rowBytes * height > bytes.length) throw fail();

  const channel = (value: number, mask: number) => {
    if (mask === 0) return 255;
    let m = mask >>> 0;
    let shift = 0;
    while ((m & 1) === 0) {
      m >>>= 1;
      shift++;
    }
    return Math.round((((value >>> 0) & mask) >>> shift) * (255 / m));
  };

  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (bpp <= 8) {
        const bit = x * bpp;
        const index = ((bytes[row + (bit >> 3)] ?? 0) >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        const p = paletteAt + index * entry;
        out[o] = bytes[p + 2] ?? 0;
        out[o + 1] = bytes[p + 1] ?? 0;
        out[o + 2] = bytes[p] ?? 0;
        out[o + 3] = 255;
      } else if (bpp === 24) {
        const p = row + x * 3;
        out[o] = bytes[p + 2] ?? 0;
        out[o + 1] = bytes[p + 1] ?? 0;
        out[o + 2] = bytes[p] ?? 0;
        out[o + 3] = 255;
      } else {
        const value = bpp === 16 ? view.getUint16(row + x * 2, true) : view.getUint32(row + x * 4, true);
        out[o] = channel(value, masks[0] ?? 0);
        out[o + 1] = channel(value, masks[1] ?? 0);
        out[o + 2] = channel(value, masks[2] ?? 0);
        // Most 32-bit BMPs leave the alpha byte 0 and mean opaque.
        out[o + 3] = compression === 0 && bpp === 32 ? 255 : channel(value, masks[3] ?? 0);
      }
    }
  }
  return { width, height, data: out };
}

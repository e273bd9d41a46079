import { ReaderError } from './reader-error.ts';
import type { DocumentKind } from './sniff-kind.ts';

export interface Dimensions {
  width: number;
  height: number;
}

const damaged = () => new ReaderError('reader.error.damagedImage');

const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number) => u16le(b, i) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number) => u16be(b, i) * 0x10000 + u16be(b, i + 2);
const i32le = (b: Uint8Array, i: number) => u16le(b, i) | (u16le(b, i + 2) << 16);

/** PNG: IHDR is the first chunk (PNG spec 11.2.2). */
function png(b: Uint8Array): Dimensions {
  if (b.length < 24) throw damaged();
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

/** JPEG: walk the markers up to the first SOFn frame header (ITU T.81, B.2.2). */
function jpeg(b: Uint8Array): Dimensions {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: u16be(b, i + 7), height: u16be(b, i + 5) };
    }
    i += 2 + u16be(b, i + 2);
  }
  throw damaged();
}

/** WebP: lossy `VP8 `, lossless `VP8L` or extended `VP8X` first chunk (RFC 9649, 2.5-2.7). */
function webp(b: Uint8Array): Dimensions {
  const tag = String.fromCharCode(...b.subarray(12, 16));
  if (tag === 'VP8X' && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (tag === 'VP8L' && b.length >= 25) {
    const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (tag === 'VP8 ' && b.length >= 30) return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  throw damaged();
}

/** GIF: the logical screen descriptor bounds every frame (GIF89a section 18). */
function gif(b: Uint8Array): Dimensions {
  if (b.length < 10) throw damaged();
  return { width: u16le(b, 6), height: u16le(b, 8) };
}

/** BMP: BITMAPINFOHEADER width and height (height negative for top-down rows). */
function bmp(b: Uint8Array): Dimensions {
  if (b.length < 26) throw damaged();
  if (i32le(b, 14) === 12) return { width: u16le(b, 18), height: u16le(b, 20) };
  return { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
}

/**
 * Reads an image's pixel size from its header alone, before any pixel is decoded,
 * so a decompression bomb (a few KB of PNG that inflates to gigabytes) is refused
 * before it costs memory. TIFF and PDF are checked per page by their own readers.
 *
 * @example headerDimensions(pngBytes, 'png') // { width: 2480, height: 3508 }
 */
export function headerDimensions(bytes: Uint8Array, kind: Exclude<DocumentKind, 'tiff' | 'pdf'>): Dimensions {
  const dims = { png, jpeg, webp, gif, bmp }[kind](bytes);
  if (dims.width <= 0 || dims.height <= 0) throw damaged();
  return dims;
}

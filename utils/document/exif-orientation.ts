import type { RgbaImage } from './image-types.ts';

/**
 * Reads the EXIF Orientation tag (0x0112) of a JPEG: 1 to 8, or 1 when absent or
 * unreadable. Phones store pixels as the sensor saw them and record the turn here
 * (EXIF 2.32, 4.6.4 A; JEITA CP-3451), so a portrait photo of a letter is stored
 * sideways; a reader that ignores the tag crops and scales the wrong way round.
 *
 * @example exifOrientation(jpegBytes) // 6 (stored turned; show rotated 90° clockwise)
 */
export function exifOrientation(bytes: Uint8Array): number {
  let i = 2;
  while (i + 4 <= bytes.length && bytes[i] === 0xff) {
    const marker = bytes[i + 1] ?? 0;
    const length = ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0);
    if (marker === 0xda || marker === 0xd9 || length < 2) return 1; // image data starts: no more metadata
    if (marker === 0xe1 && length >= 16 && readAscii(bytes, i + 4, 6) === 'Exif\0\0') {
      return orientationFromTiff(bytes.subarray(i + 10, i + 2 + length));
    }
    i += 2 + length;
  }
  return 1;
}

function readAscii(bytes: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + n));
}

function orientationFromTiff(tiff: Uint8Array): number {
  const little = readAscii(tiff, 0, 2) === 'II';
  if (!little && readAscii(tiff, 0, 2) !== 'MM') return 1;
  const u16 = (at: number) =>
    little ? (tiff[at] ?? 0) | ((tiff[at + 1] ?? 0) << 8) : ((tiff[at] ?? 0) << 8) | (tiff[at + 1] ?? 0);
  const u32 = (at: number) => (little ? u16(at) + u16(at + 2) * 0x10000 : u16(at) * 0x10000 + u16(at + 2));
  const ifd = u32(4);
  const count = u16(ifd);
  for (let n = 0; n < count; n++) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/**
 * Turns stored pixels into the picture as it should be seen, for EXIF orientation
 * 1 to 8 (2, 4, 5, 7 also mirror). Returns the input itself for 1.
 *
 * @example applyOrientation(image, 6).width === image.height // true
 */
export function applyOrientation(image: RgbaImage, orientation: number): RgbaImage {
  if (orientation < 2 || orientation > 8) return image;
  const { width: w, height: h, data } = image;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Uint8ClampedArray(ow * oh * 4);
  // For each output pixel (x, y), the source pixel it shows.
  const source: (x: number, y: number) => number = {
    2: (x: number, y: number) => y * w + (w - 1 - x),
    3: (x: number, y: number) => (h - 1 - y) * w + (w - 1 - x),
    4: (x: number, y: number) => (h - 1 - y) * w + x,
    5: (x: number, y: number) => x * w + y,
    6: (x: number, y: number) => (h - 1 - x) * w + y,
    7: (x: number, y: number) => (h - 1 - x) * w + (w - 1 - y),
    8: (x: number, y: number) => x * w + (w - 1 - y),
  }[orientation as 2 | 3 | 4 | 5 | 6 | 7 | 8];
  let o = 0;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++, o += 4) {
      const s = source(x, y) * 4;
      out[o] = data[s] ?? 0;
      out[o + 1] = data[s + 1] ?? 0;
      out[o + 2] = data[s + 2] ?? 0;
      out[o + 3] = data[s + 3] ?? 0;
    }
  }
  return { width: ow, height: oh, data: out };
}

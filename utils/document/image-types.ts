/**
 * The two raster shapes the reader works on. Decoders produce RGBA (4 bytes a pixel,
 * like canvas `ImageData`); the QR steps work on one grey byte a pixel, a quarter of
 * the memory, which matters on 40-megapixel scanner pages.
 */

/** 8-bit RGBA pixels, row-major, no padding: `data.length === width * height * 4`. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** 8-bit grey pixels, row-major, no padding: `data.length === width * height`. */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** An axis-aligned rectangle in pixels of some image. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

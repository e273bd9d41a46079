/**
 * Opens raster images (every accepted type but PDF) into pages of RGBA pixels, with
 * each page's size checked against the limits before its pixels are decoded. All
 * decoders are pure JavaScript or local wasm, identical in Node and the browser.
 *
 * JPEG and PNG go through wasm (MozJPEG, Rust `png`): on a 300-DPI page they are several
 * times faster than jpeg-js and fast-png, which dominated the reader's time per page. In the
 * extension's reader workers the browser's own decoders go first (`codecs.nativeImages`,
 * decode-native.ts), with the same rules: size checked from the header first, our EXIF
 * orientation, white under transparency; wherever they decline, the wasm decoders decode.
 */
import mozjpegFactory from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import initSquooshPng, { decode as decodeSquooshPng } from '@jsquash/png/codec/pkg/squoosh_png.js';
import decodeWebp, { init as initWebp } from '@jsquash/webp/decode.js';
import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { GifReader } from 'omggif';
import UTIF from 'utif';
import { decodeBmp } from './decode-bmp.ts';
import { applyOrientation, exifOrientation } from './exif-orientation.ts';
import { type Dimensions, headerDimensions } from './header-dimensions.ts';
import type { RgbaImage } from './image-types.ts';
import { checkPageCount, checkPixels, type ReadLimits } from './read-limits.ts';
import { ReaderError } from './reader-error.ts';
import type { ReaderPlatform, WasmSource } from './reader-platform.ts';
import type { DocumentKind } from './sniff-kind.ts';

/** A decoded document's pages, decoded one at a time so only one page is in memory. */
export interface RasterPages {
  pages: number;
  page(index: number): Promise<RgbaImage>;
}

const damaged = () => new ReaderError('reader.error.damagedImage');

/** Runs a third-party decoder and turns whatever it throws on bad bytes into "damaged". */
async function guarded<T>(decode: () => T | Promise<T>): Promise<T> {
  try {
    return await decode();
  } catch (error) {
    if (error instanceof ReaderError) throw error;
    throw damaged();
  }
}

/**
 * Paints transparent pixels onto white paper. A QR drawn black on a transparent PNG is
 * black on black (0,0,0,0) if alpha is ignored, and no binarizer can see it.
 */
export function flattenOnWhite(image: RgbaImage): RgbaImage {
  const d = image.data;
  for (let p = 3; p < d.length; p += 4) {
    const a = d[p] ?? 255;
    if (a === 255) continue;
    const k = a / 255;
    d[p - 3] = (d[p - 3] ?? 0) * k + 255 * (1 - k);
    d[p - 2] = (d[p - 2] ?? 0) * k + 255 * (1 - k);
    d[p - 1] = (d[p - 1] ?? 0) * k + 255 * (1 - k);
    d[p] = 255;
  }
  return image;
}

/** Spreads 1 to 4 channels of 8-bit samples into RGBA. */
function toRgba(width: number, height: number, samples: ArrayLike<number>, channels: number): RgbaImage {
  const out = new Uint8ClampedArray(width * height * 4);
  const n = width * height;
  if (samples.length < n * channels) throw damaged();
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    const o = i * 4;
    const g = samples[s] ?? 0;
    const colour = channels >= 3;
    out[o] = g;
    out[o + 1] = colour ? (samples[s + 1] ?? 0) : g;
    out[o + 2] = colour ? (samples[s + 2] ?? 0) : g;
    out[o + 3] = channels === 2 ? (samples[s + 1] ?? 255) : channels === 4 ? (samples[s + 3] ?? 255) : 255;
  }
  return { width, height, data: out };
}

const pngReady = new WeakMap<WasmSource, Promise<boolean>>();
/** The decoders' WebAssembly memories, for `rasterHeapBytes`. */
let pngMemory: WebAssembly.Memory | null = null;
let jpegModule: { HEAPU8?: Uint8Array } | null = null;

/**
 * Bytes of the wasm PNG and JPEG decoders' memories now. Like zxing's they only grow (to
 * the largest image decoded: 4 bytes a pixel), so the reader pool replaces a worker whose
 * decoders grew past its bound once that worker is idle.
 */
export function rasterHeapBytes(): number {
  return (pngMemory?.buffer.byteLength ?? 0) + (jpegModule?.HEAPU8?.byteLength ?? 0);
}

/**
 * Whether the wasm PNG decoder is loaded from the given source; false if its wasm cannot
 * be loaded, and fast-png, the fallback, decodes instead.
 */
function loadSquooshPng(source: WasmSource): Promise<boolean> {
  let ready = pngReady.get(source);
  if (!ready) {
    const input = source.wasmBinary ?? source.locateFile?.('squoosh_png_bg.wasm', '');
    ready =
      input === undefined
        ? Promise.resolve(false)
        : initSquooshPng(input).then(
            (exports) => {
              pngMemory = (exports as { memory?: WebAssembly.Memory }).memory ?? null;
              return true;
            },
            () => false,
          );
    pngReady.set(source, ready);
  }
  return ready;
}

async function pngImage(bytes: Uint8Array, codecs: RasterCodecs, size: Dimensions): Promise<RgbaImage> {
  const native = await codecs.nativeImages?.(bytes, 'png', size);
  if (native) return native;
  const source = codecs.png;
  if (!(await loadSquooshPng(source))) return png(bytes);
  const decoded = decodeSquooshPng(bytes);
  // Already a copy out of wasm memory (wasm-bindgen copies on the way out): keep it as is.
  const { width, height, data } = decoded;
  if (width * height * 4 > data.length) throw damaged();
  return { width, height, data };
}

/** Fallback only, for when the wasm PNG decoder cannot be loaded. */
function png(bytes: Uint8Array): RgbaImage {
  const image = decodePng(bytes);
  const { width, height, depth } = image;
  if (image.palette) {
    const rgb = convertIndexedToRgb(image);
    return toRgba(width, height, rgb, rgb.length / (width * height));
  }
  const channels = image.channels;
  if (depth === 16) {
    const wide = image.data;
    const narrow = new Uint8Array(wide.length);
    for (let i = 0; i < wide.length; i++) narrow[i] = (wide[i] ?? 0) >> 8;
    return toRgba(width, height, narrow, channels);
  }
  if (depth === 8) return toRgba(width, height, image.data, channels);
  // 1, 2 or 4-bit grey (bilevel scans): rows are packed and start on a byte boundary.
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const max = (1 << depth) - 1;
  const samples = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width * channels; x++) {
      const bit = x * depth;
      const byte = image.data[y * rowBytes + (bit >> 3)] ?? 0;
      samples[y * width * channels + x] = (((byte >> (8 - depth - (bit & 7))) & max) * 255) / max;
    }
  }
  return toRgba(width, height, samples, channels);
}

/** The wasm decoders `openRaster` uses, each loaded from the platform's local files. */
export type RasterCodecs = Pick<ReaderPlatform, 'webp' | 'jpeg' | 'png' | 'nativeImages'>;

/** The part of the emscripten module we call (see `codec/dec/mozjpeg_dec.d.ts`). */
interface MozJpeg {
  decode(data: BufferSource, preserveOrientation: boolean): RgbaImage | null;
}
// Its declared type names a global namespace that the package's entry points never reference.
const createMozJpeg = mozjpegFactory as unknown as (overrides: object) => Promise<MozJpeg>;
const jpegReady = new WeakMap<WasmSource, Promise<MozJpeg | null>>();

/**
 * MozJPEG from the given source, or null if its wasm cannot be loaded (missing file,
 * CSP without 'wasm-unsafe-eval'): then jpeg-js, the fallback, decodes instead.
 */
function loadMozJpeg(source: WasmSource): Promise<MozJpeg | null> {
  let ready = jpegReady.get(source);
  if (!ready) {
    // libjpeg reports recoverable damage ("Premature end of JPEG file") on stderr and
    // carries on; the reader shows what it could decode, so those lines are dropped.
    const quiet = () => {};
    ready = createMozJpeg({ noInitialRun: true, print: quiet, printErr: quiet, ...source }).then(
      (module) => {
        jpegModule = module as { HEAPU8?: Uint8Array };
        return module;
      },
      () => null,
    );
    jpegReady.set(source, ready);
  }
  return ready;
}

async function jpegImage(
  bytes: Uint8Array,
  limits: ReadLimits,
  codecs: RasterCodecs,
  size: Dimensions,
): Promise<RgbaImage> {
  // The native decoder leaves the EXIF tag alone (decode-native.ts), so the turn is ours here too.
  const native = await codecs.nativeImages?.(bytes, 'jpeg', size);
  if (native) return applyOrientation(native, exifOrientation(bytes));
  const mozjpeg = await loadMozJpeg(codecs.jpeg);
  if (!mozjpeg) return jpegImageJs(bytes, limits);
  // Orientation is ours (applyOrientation), so the decoder must not rotate too.
  const decoded = mozjpeg.decode(bytes as Uint8Array<ArrayBuffer>, false);
  if (!decoded || decoded.width * decoded.height * 4 > decoded.data.length) throw damaged();
  // The module already copied the pixels out of wasm memory into a fresh array.
  return applyOrientation(decoded, exifOrientation(bytes));
}

/** Fallback only, for when MozJPEG's wasm cannot be loaded: several times slower. */
function jpegImageJs(bytes: Uint8Array, limits: ReadLimits): RgbaImage {
  const decoded = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: limits.maxPixelsPerPage / 1_000_000,
    maxMemoryUsageInMB: Math.ceil((limits.maxPixelsPerPage * 8) / (1024 * 1024)) + 64,
  });
  const image = { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data.buffer) };
  return applyOrientation(image, exifOrientation(bytes));
}

/**
 * Frames of an animated GIF read as pages, at most this many: a letter forwarded as a GIF
 * may show the code only after a title frame; a long animation is not a document.
 */
export const MAX_GIF_FRAMES = 8;

/**
 * An animated GIF's frames as pages (the first `MAX_GIF_FRAMES`), each composited as a
 * viewer shows it: frames are drawn over the ones before (only their own rectangle, with
 * transparency), and a frame whose disposal is 2 clears its rectangle for the next.
 */
function gif(bytes: Uint8Array, limits: ReadLimits): RasterPages {
  const reader = new GifReader(bytes);
  const frames = Math.min(reader.numFrames(), MAX_GIF_FRAMES);
  if (frames < 1) throw damaged();
  const { width, height } = reader;
  return {
    pages: frames,
    page: (index) =>
      guarded(() => {
        checkPixels(index + 1, width, height, limits);
        const data = new Uint8ClampedArray(width * height * 4);
        for (let i = 0; i <= index; i++) {
          reader.decodeAndBlitFrameRGBA(i, data as unknown as Uint8Array);
          const info = reader.frameInfo(i);
          if (i < index && info.disposal === 2) {
            for (let y = info.y; y < Math.min(height, info.y + info.height); y++)
              data.fill(0, (y * width + info.x) * 4, (y * width + Math.min(width, info.x + info.width)) * 4);
          }
        }
        return flattenOnWhite({ width, height, data });
      }),
  };
}

const webpReady = new WeakMap<WasmSource, Promise<void>>();

async function webp(bytes: Uint8Array, source: WasmSource): Promise<RgbaImage> {
  let ready = webpReady.get(source);
  if (!ready) {
    ready = initWebp({ ...source } as Parameters<typeof initWebp>[0]);
    webpReady.set(source, ready);
  }
  await ready;
  const copy = bytes.slice().buffer;
  const image = await decodeWebp(copy);
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
}

/** The IFDs that are pages: TIFF 6.0 NewSubfileType bit 0 marks reduced-resolution previews. */
function tiffPages(bytes: Uint8Array): UTIF.IFD[] {
  const buffer = bytes.slice().buffer;
  const ifds = UTIF.decode(buffer);
  return ifds.filter((ifd) => {
    const kind = ifd.t254 as number[] | undefined;
    return Array.isArray(ifd.t256) && Array.isArray(ifd.t257) && ((kind?.[0] ?? 0) & 1) === 0;
  });
}

function tiff(bytes: Uint8Array, limits: ReadLimits): RasterPages {
  const buffer = bytes.slice().buffer;
  const ifds = tiffPages(bytes);
  if (ifds.length === 0) throw damaged();
  checkPageCount(ifds.length, limits);
  return {
    pages: ifds.length,
    page: (index) =>
      guarded(() => {
        const ifd = ifds[index];
        if (!ifd) throw damaged();
        const width = Number((ifd.t256 as number[])[0]);
        const height = Number((ifd.t257 as number[])[0]);
        checkPixels(index + 1, width, height, limits);
        // A truncated file declares strips or tiles past its end; UTIF would read zeros there.
        const offsets = (ifd.t273 ?? ifd.t324 ?? []) as number[];
        const counts = (ifd.t279 ?? ifd.t325 ?? []) as number[];
        offsets.forEach((offset, i) => {
          if (offset + (counts[i] ?? 0) > bytes.length) throw damaged();
        });
        UTIF.decodeImage(buffer, ifd);
        const rgba = UTIF.toRGBA8(ifd);
        if (rgba.length < width * height * 4) throw damaged();
        const image = flattenOnWhite({
          width,
          height,
          data: new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, width * height * 4),
        });
        // TIFF 6.0 Orientation (274) has the same eight values as EXIF's: a scanner may
        // store the page as fed and say how to show it.
        return applyOrientation(image, Number((ifd.t274 as number[] | undefined)?.[0] ?? 1));
      }),
  };
}

/**
 * Opens an image document. Every page's pixel count is checked from headers before
 * decoding; decoder failures on truncated or corrupt bytes become `reader.error.damagedImage`.
 *
 * @example const { pages, page } = await openRaster(bytes, 'tiff', limits, platform); await page(0)
 */
export async function openRaster(
  bytes: Uint8Array,
  kind: Exclude<DocumentKind, 'pdf'>,
  limits: ReadLimits,
  codecs: RasterCodecs,
): Promise<RasterPages> {
  if (kind === 'tiff') return guarded(() => tiff(bytes, limits));
  if (kind === 'gif') return guarded(() => gif(bytes, limits));
  const size = await guarded(() => headerDimensions(bytes, kind));
  checkPixels(1, size.width, size.height, limits);
  const decode = (): RgbaImage | Promise<RgbaImage> => {
    switch (kind) {
      case 'png':
        return pngImage(bytes, codecs, size);
      case 'jpeg':
        return jpegImage(bytes, limits, codecs, size);
      case 'bmp':
        return decodeBmp(bytes);
      case 'webp':
        return webp(bytes, codecs.webp);
    }
  };
  return {
    pages: 1,
    page: async () => flattenOnWhite(await guarded(decode)),
  };
}

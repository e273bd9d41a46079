/**
 * PNG and JPEG decoded by the browser's own decoders, in the reader workers of the offscreen
 * document, through WebCodecs' `ImageDecoder` (Chromium 94+; the floor is 109). Measured as
 * process CPU per image in a worker of headless Chromium 156, both ways in one run: 0.6× the
 * wasm decoders (decode-raster.ts) on the demo page's 760×1000 PNG letters, 0.65-1.0× on
 * 300-DPI pages, pixels identical (a 4:4:4 colour JPEG within one level). `createImageBitmap`
 * + OffscreenCanvas `getImageData` was measured too and not taken: 0.7× on a small PNG but
 * 1.1-1.3× on JPEGs and 300-DPI pages (drawing and reading the canvas back cost more than the
 * decode saves).
 *
 * It only ever answers "here are the pixels, exactly as the wasm decoders give them" or null
 * ("decode it yourself"): null whenever a piece is missing (a fork may lack WebCodecs), when
 * the browser refuses the bytes, or when its answer could differ from ours. The reader's
 * rules stay in decode-raster.ts:
 *
 * - Sizes are checked from the header before this runs (openRaster), and a picture of
 *   another size than the header said is thrown away: it never decodes what the limits refuse.
 * - EXIF orientation is applied by our own code. Each decoder asks the browser once, with a
 *   2×1 JPEG tagged orientation 6, whether it turns the pixels itself; where it does (or the
 *   question cannot be asked), files that carry orientation metadata are left to the wasm
 *   decoders (JPEG Exif; a PNG's eXIf is always left to them).
 * - No colour management (`colorSpaceConversion: 'none'`), as the wasm decoders: an ICC
 *   profile or gAMA chunk does not shift the grey levels the binarizer sees.
 * - Only pictures whose pixels come out exact: a PNG whose pixels are all opaque (whether
 *   the browser premultiplies alpha is not specified; an RGBA PNG with a transparent pixel
 *   goes to the wasm decoder), not animated; a JPEG without chroma subsampling or CMYK, and
 *   only where the browser converts its YUV to RGBA itself (`VideoFrame.copyTo` with
 *   `format`, Chromium 127+; 4:2:0 is upsampled differently from libjpeg's, up to 87 levels
 *   apart on colour edges).
 */
import type { Dimensions } from './header-dimensions.ts';
import type { RgbaImage } from './image-types.ts';

export type NativeKind = 'png' | 'jpeg';

/** Pixels of a PNG or JPEG of the given header size, or null: decode it with the wasm decoders. */
export type NativeImageDecoder = (bytes: Uint8Array, kind: NativeKind, size: Dimensions) => Promise<RgbaImage | null>;

/** How the decodes went in this context: the reader worker reports it for tests and benches. */
export interface NativeDecodeCounts {
  native: number;
  /** Left to the wasm decoders: a piece missing, the bytes refused, or a picture that might not come out exact. */
  declined: number;
}

interface Frame {
  format: string | null;
  codedWidth: number;
  codedHeight: number;
  copyTo(destination: Uint8Array | Uint8ClampedArray, options?: { format?: string }): Promise<unknown>;
  close(): void;
}
interface Decoder {
  decode(options: { frameIndex: number }): Promise<{ image: Frame }>;
  close(): void;
}
interface Canvas {
  getContext(kind: '2d'): { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void } | null;
  convertToBlob?(options?: { type?: string }): Promise<Blob>;
}
/** The globals this needs; looked up on every call, so a context that lacks one still reads. */
export interface NativeScope {
  ImageDecoder?: new (init: object) => Decoder;
  VideoFrame?: new (data: BufferSource, init: object) => Frame;
  OffscreenCanvas?: new (width: number, height: number) => Canvas;
}

const MIME: Record<NativeKind, string> = { png: 'image/png', jpeg: 'image/jpeg' };
const INTERLEAVED = new Set(['RGBA', 'RGBX', 'BGRA', 'BGRX']);
/** Byte order of this machine, for the pixel words below (every machine a browser of ours runs on is little-endian). */
const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

async function decodeFrame(scope: NativeScope, bytes: Uint8Array, type: string): Promise<Frame | null> {
  const { ImageDecoder } = scope;
  if (typeof ImageDecoder !== 'function') return null;
  let decoder: Decoder | null = null;
  try {
    decoder = new ImageDecoder({ data: bytes, type, colorSpaceConversion: 'none', preferAnimation: false });
    return (await decoder.decode({ frameIndex: 0 })).image;
  } catch {
    return null;
  } finally {
    decoder?.close();
  }
}

/** The APP1 segment of a JPEG with EXIF Orientation `value`: "Exif\0\0", a little-endian TIFF header, one IFD0 entry. */
function orientationApp1(value: number): Uint8Array {
  const tiff = [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, value, 0, 0, 0, 0, 0, 0, 0];
  const body = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  return Uint8Array.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]);
}

/**
 * Whether this browser's decoder leaves the pixels as stored whatever the EXIF tag says: a
 * 2×1 JPEG it encodes itself, tagged orientation 6 (turned 90°), must come back 2×1. False
 * when it comes back turned, or when the question cannot be asked (no JPEG encoder here).
 */
async function ignoresOrientation(scope: NativeScope): Promise<boolean> {
  const { OffscreenCanvas } = scope;
  if (typeof OffscreenCanvas !== 'function') return false;
  try {
    const canvas = new OffscreenCanvas(2, 1);
    const context = canvas.getContext('2d');
    if (!context || typeof canvas.convertToBlob !== 'function') return false;
    context.fillStyle = '#000';
    context.fillRect(0, 0, 1, 1);
    const jpeg = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg' })).arrayBuffer());
    if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return false;
    const app1 = orientationApp1(6);
    const tagged = new Uint8Array(jpeg.length + app1.length);
    tagged.set(jpeg.subarray(0, 2));
    tagged.set(app1, 2);
    tagged.set(jpeg.subarray(2), 2 + app1.length);
    const frame = await decodeFrame(scope, tagged, 'image/jpeg');
    if (!frame) return false;
    const kept = frame.codedWidth === 2 && frame.codedHeight === 1;
    frame.close();
    return kept;
  } catch {
    return false;
  }
}

/**
 * Whether `copyTo` converts to the format asked for: a 1×1 BGRA frame must come out RGBA.
 * Before Chromium 127 the option is an unknown member, ignored: the bytes come out as stored.
 */
async function convertsOnCopy(scope: NativeScope): Promise<boolean> {
  const { VideoFrame } = scope;
  if (typeof VideoFrame !== 'function') return false;
  try {
    const frame = new VideoFrame(Uint8Array.from([1, 2, 3, 255]), {
      format: 'BGRA',
      codedWidth: 1,
      codedHeight: 1,
      timestamp: 0,
    });
    const out = new Uint8Array(4);
    await frame.copyTo(out, { format: 'RGBA' });
    frame.close();
    return out[0] === 3 && out[1] === 2 && out[2] === 1;
  } catch {
    return false;
  }
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);

/** What a JPEG's headers say, up to its image data; null when they cannot be walked that far. */
export function jpegTraits(b: Uint8Array): { exif: boolean; components: number; subsampled: boolean } | null {
  let exif = false;
  let frame: { components: number; subsampled: boolean } | null = null;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xda) return frame && { exif, ...frame };
    if (marker === 0xd9) return null;
    const length = u16be(b, i + 2);
    if (length < 2) return null;
    if (marker === 0xe1 && ascii(b, i + 4, 4) === 'Exif') exif = true;
    // SOFn (not DHT C4, JPG C8, DAC CC): Nf components, each with its sampling factors (ITU T.81 B.2.2).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && !frame) {
      const components = b[i + 9] ?? 0;
      const factors = new Set<number>();
      for (let c = 0; c < components; c++) factors.add(b[i + 11 + c * 3] ?? 0);
      frame = { components, subsampled: factors.size > 1 };
    }
    i += 2 + length;
  }
  return null;
}

/** What a PNG's chunks before its image data say (PNG 3rd edition); null when they cannot be walked that far. */
export function pngTraits(b: Uint8Array): { exif: boolean; animated: boolean } | null {
  let exif = false;
  let animated = false;
  let i = 8;
  while (i + 8 <= b.length) {
    const length = u16be(b, i) * 0x10000 + u16be(b, i + 2);
    const type = ascii(b, i + 4, 4);
    if (type === 'eXIf') exif = true;
    if (type === 'acTL') animated = true;
    if (type === 'IDAT') return { exif, animated };
    if (type === 'IEND') return null;
    i += 12 + length;
  }
  return null;
}

/**
 * A native decoder for one global scope (a reader worker's `globalThis`). Every missing
 * piece, refusal or doubt gives null, and the caller decodes with its wasm decoders.
 *
 * @example const decode = nativeImageDecoder(globalThis); (await decode(bytes, 'png', { width, height })) ?? wasm()
 */
export function nativeImageDecoder(scope: NativeScope, counts?: NativeDecodeCounts): NativeImageDecoder {
  let orientationSafe: Promise<boolean> | undefined;
  let converts: Promise<boolean> | undefined;
  const declined = () => {
    if (counts) counts.declined++;
    return null;
  };
  return async (bytes, kind, { width, height }) => {
    if (typeof scope.ImageDecoder !== 'function') return declined();
    if (kind === 'png') {
      const traits = pngTraits(bytes);
      if (!traits || traits.exif || traits.animated) return declined();
    } else {
      const traits = jpegTraits(bytes);
      if (!traits || traits.subsampled || (traits.components !== 1 && traits.components !== 3)) return declined();
      converts ??= convertsOnCopy(scope);
      if (!(await converts)) return declined();
      if (traits.exif) {
        orientationSafe ??= ignoresOrientation(scope);
        if (!(await orientationSafe)) return declined();
      }
    }
    const frame = await decodeFrame(scope, bytes, MIME[kind]);
    if (!frame) return declined();
    try {
      // The header's size was checked against the limits; any other size is not what was checked.
      if (frame.codedWidth !== width || frame.codedHeight !== height) return declined();
      const format = frame.format ?? '';
      const data = new Uint8ClampedArray(width * height * 4);
      // One 32-bit word a pixel (little-endian: alpha is the top byte, R or B the bottom one).
      const words = new Uint32Array(data.buffer);
      if (kind === 'jpeg') {
        await frame.copyTo(data, { format: 'RGBA' });
        for (let p = 0; p < words.length; p++) words[p] = (words[p] ?? 0) | 0xff000000;
      } else {
        // A PNG comes out as 8-bit interleaved pixels: converted by the browser where it can, else
        // copied as stored and put in order here (Chromium 109-126).
        if (!INTERLEAVED.has(format) || !littleEndian) return declined();
        converts ??= convertsOnCopy(scope);
        const converted = await converts;
        await frame.copyTo(data, converted ? { format: 'RGBA' } : {});
        const blueFirst = !converted && format.startsWith('B');
        const opaque = format.endsWith('X') ? 0xff000000 : 0;
        for (let p = 0; p < words.length; p++) {
          let v = (words[p] ?? 0) | opaque;
          // Premultiplied or not is the browser's choice: a see-through pixel is the wasm decoder's to read.
          if (v >>> 24 !== 0xff) return declined();
          if (blueFirst) v = (v & 0xff00ff00) | ((v >>> 16) & 0xff) | ((v & 0xff) << 16);
          words[p] = v;
        }
      }
      if (counts) counts.native++;
      return { width, height, data };
    } catch {
      return declined();
    } finally {
      frame.close();
    }
  };
}

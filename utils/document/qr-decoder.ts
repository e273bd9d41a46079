import { prepareZXingModule, purgeZXingModule, type ReaderOptions, readBarcodes } from 'zxing-wasm/reader';
import type { GreyImage, Rect } from './image-types.ts';
import type { Quad } from './qr-grid.ts';
import type { WasmSource } from './reader-platform.ts';
import { releasePixels } from './release-pixels.ts';

/**
 * The settings that read best on this project's documents (issue #3): QR only, at native
 * resolution with zxing's own downscaling as a fallback (downscaling first loses codes
 * below about 3 pixels per module), the local-average binarizer for uneven scans.
 * Rotation and inversion tries are off: QR finder patterns are rotation-free, and a
 * printed letter is never white-on-black.
 */
export const QR_READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  binarizer: 'LocalAverage',
  tryDownscale: true,
  tryRotate: false,
  tryInvert: false,
  maxNumberOfSymbols: 8,
};

/** One text the decoder produced, with the bounding box of its corners in the image's pixels. */
export interface DecodedQr {
  text: string;
  box: Rect;
}

export type QrDecoder = (image: GreyImage, options?: ReaderOptions) => Promise<DecodedQr[]>;

/** A QR symbol zxing located but could not decode: its corners and its size in modules. */
export interface QrDetection {
  quad: Quad;
  /** Modules a side, 21 to 177. */
  size: number;
}

/** Locates QR symbols that did not decode (zxing's `returnErrors`), for the grid reader. */
export type QrDetector = (image: GreyImage) => Promise<QrDetection[]>;

/** For a code redrawn from its modules: one clean, upright symbol with a quiet zone. */
export const PURE_QR_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  isPure: true,
  binarizer: 'FixedThreshold',
  tryHarder: false,
  tryDownscale: false,
  tryRotate: false,
  tryInvert: false,
  maxNumberOfSymbols: 1,
};

/**
 * One RGBA buffer reused for every call: zxing-wasm takes RGBA and turns it back into
 * grey, so a grey page would otherwise cost a fresh 4-bytes-a-pixel copy (36 MB at
 * 300 DPI) on every rung of the ladder. Alpha is never read (zxing's RGBToLum), so only
 * R, G and B are written. readBarcodes awaits its module before it copies the pixels, so
 * calls are queued one at a time (`exclusive`): two documents read at once must never
 * see each other's pixels. The wasm is single-threaded, so the queue costs nothing.
 */
let scratch = new Uint8ClampedArray(0);
let queue: Promise<unknown> = Promise.resolve();

function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

function asRgba(image: GreyImage): ImageData {
  const length = image.width * image.height * 4;
  if (scratch.length < length) scratch = new Uint8ClampedArray(length);
  const data = scratch.subarray(0, length);
  const src = image.data;
  for (let i = 0, p = 0; i < src.length; i++, p += 4) {
    const v = src[i] ?? 0;
    data[p] = v;
    data[p + 1] = v;
    data[p + 2] = v;
  }
  // zxing-wasm takes any { width, height, data } shaped like ImageData (Node has no ImageData).
  return { width: image.width, height: image.height, data } as unknown as ImageData;
}

/** Lets the shared RGBA buffer go once a document is done, so an idle reader holds no page. */
export function releaseScratch(): void {
  void exclusive(async () => {
    // Freed now, not at the worker's next collection (36 MB at 300 DPI; see release-pixels.ts).
    releasePixels(scratch);
    scratch = new Uint8ClampedArray(0);
  });
}

let heap: { HEAPU8: Uint8Array } | null = null;

/**
 * Bytes of zxing's WebAssembly memory now (0 before it is loaded). It only grows, to the
 * size the largest page needed, so a reader pool uses this to replace a worker that grew.
 */
export function qrHeapBytes(): number {
  return heap?.HEAPU8.byteLength ?? 0;
}

/**
 * Instantiates zxing-wasm from the platform's local wasm (never its CDN default) and
 * returns a decoder over grey images. A failed instantiation is cached by zxing-wasm,
 * so it is purged before the error goes up, letting a later call try again.
 *
 * @example const decode = await loadQrDecoder({ wasmBinary }); await decode(page)
 */
export async function loadQrDecoder(source: WasmSource): Promise<QrDecoder> {
  if (!source.wasmBinary && !source.locateFile) throw new Error('zxing-wasm needs a local wasm source');
  try {
    const module = await prepareZXingModule({ overrides: { ...source }, fireImmediately: true });
    // Emscripten keeps `HEAPU8` current as the memory grows (zxing-wasm reads it too); not in its types.
    const withHeap = module as unknown as { HEAPU8?: Uint8Array };
    heap = withHeap.HEAPU8 ? (withHeap as { HEAPU8: Uint8Array }) : null;
  } catch (error) {
    purgeZXingModule();
    throw error;
  }
  return decodeQr;
}

/**
 * Decodes the QR codes in a grey image (the module must be prepared: `loadQrDecoder`).
 */
async function decodeQr(image: GreyImage, options: ReaderOptions = QR_READER_OPTIONS): Promise<DecodedQr[]> {
  {
    if (image.width < 21 || image.height < 21) return []; // smaller than a version 1 code
    const results = await exclusive(() => readBarcodes(asRgba(image), options));
    return results.filter((r) => r.isValid && r.text.length > 0).map(decoded);
  }
}

type ZxingResult = Awaited<ReturnType<typeof readBarcodes>>[number];

function decoded(r: ZxingResult): DecodedQr {
  const { topLeft, topRight, bottomLeft, bottomRight } = r.position;
  const xs = [topLeft.x, topRight.x, bottomLeft.x, bottomRight.x];
  const ys = [topLeft.y, topRight.y, bottomLeft.y, bottomRight.y];
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { text: r.text, box: { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y } };
}

/** A failed result as a detection: only square QR symbols of a valid size. */
function detection(r: ZxingResult): QrDetection | null {
  const size = r.symbol.width;
  if (size !== r.symbol.height || size < 21 || size > 177 || (size - 17) % 4 !== 0) return null;
  const { topLeft, topRight, bottomRight, bottomLeft } = r.position;
  return { quad: [topLeft, topRight, bottomRight, bottomLeft].map(({ x, y }) => ({ x, y })) as Quad, size };
}

/**
 * Symbols zxing found but could not decode (a checksum or format error), with their
 * corners; only square QR symbols of a valid size. Never a text: these are hints where
 * to look, for `readGrid`.
 */
export async function detectQr(image: GreyImage): Promise<QrDetection[]> {
  if (image.width < 21 || image.height < 21) return [];
  const options = { ...QR_READER_OPTIONS, tryDownscale: false, returnErrors: true };
  const results = await exclusive(() => readBarcodes(asRgba(image), options));
  const out: QrDetection[] = [];
  for (const r of results) {
    const found = r.isValid ? null : detection(r);
    if (found) out.push(found);
  }
  return out;
}

/** One pass that both decodes and locates: the texts read, and the symbols located but not read. */
export type QrScanner = (image: GreyImage) => Promise<{ codes: DecodedQr[]; failed: QrDetection[] }>;

/**
 * The first pass's decode with zxing's `returnErrors`, at the cost of one pass: the same
 * texts as `decode`, plus where zxing saw a symbol it could not read (a second, damaged
 * code on the page; a code too small or blurred), so the ladder knows to look on.
 */
export async function scanQr(image: GreyImage): Promise<{ codes: DecodedQr[]; failed: QrDetection[] }> {
  if (image.width < 21 || image.height < 21) return { codes: [], failed: [] };
  const options = { ...QR_READER_OPTIONS, returnErrors: true };
  const results = await exclusive(() => readBarcodes(asRgba(image), options));
  const codes: DecodedQr[] = [];
  const failed: QrDetection[] = [];
  for (const r of results) {
    if (r.isValid && r.text.length > 0) codes.push(decoded(r));
    else if (!r.isValid) {
      const found = detection(r);
      if (found) failed.push(found);
    }
  }
  return { codes, failed };
}

/**
 * The decoder and the detector together, from one instantiated module.
 *
 * @example const { decode, detect } = await loadQrReader({ wasmBinary })
 */
export async function loadQrReader(
  source: WasmSource,
): Promise<{ decode: QrDecoder; detect: QrDetector; scan: QrScanner }> {
  return { decode: await loadQrDecoder(source), detect: detectQr, scan: scanQr };
}

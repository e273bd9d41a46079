/**
 * The grid reader, the ladder's answer to phone photos: a code located in a crop that no
 * binarizer reads because its modules are 2 to 3 pixels and blurred together.
 *
 * zxing locates the symbol on a sharpened, locally thresholded enlargement of the crop
 * (its corners survive where its modules do not); `qr-grid.ts` then fits the module grid
 * to the crop's own grey pixels, classifies every module, and the redrawn code goes back
 * to zxing. Every text comes from zxing's decoder with its Reed-Solomon check passed.
 */
import { localThreshold, unsharpMask, upscale } from './image-ops.ts';
import type { GreyImage, Rect } from './image-types.ts';
import { type DecodedQr, PURE_QR_OPTIONS, type QrDecoder, type QrDetection, type QrDetector } from './qr-decoder.ts';
import { classifyModules, fitGrid, knownModules, type Quad, renderModules, sampleModules } from './qr-grid.ts';
import { guessGrids, MAX_OUTLINE_PX, outlineQuad } from './qr-outline.ts';
import { rectify } from './rectify.ts';

/** Largest enlargement handed to the detector, in pixels a side: bounds one try's time. */
const MAX_SIDE = 1600;

/**
 * Ways to show zxing's detector a blurred code: enlarge by `factor`, optionally sharpen
 * (unsharp mask of radius `sharpen` modules-ish, times `factor`), then threshold against
 * the mean over `window` x `factor` pixels. No single one locates every photo; these
 * few, chosen on synthetic phone photos (not on the benchmark corpus), locate nearly all.
 */
const LOCATORS: { factor: number; sharpen: number; amount: number; window: number; offset: number }[] = [
  { factor: 2, sharpen: 2, amount: 4, window: 2, offset: 2 },
  { factor: 2, sharpen: 0, amount: 0, window: 2, offset: 6 },
  { factor: 3, sharpen: 2, amount: 4, window: 3, offset: 2 },
  { factor: 3, sharpen: 1, amount: 1.5, window: 3, offset: 2 },
  { factor: 4, sharpen: 1, amount: 1.5, window: 3, offset: 2 },
];

/**
 * How many crop pixels' worth of enlargements `readByGrid` makes of a crop whose longer
 * side is `side` (the sum of the squared factors of the locators it tries): its cost.
 */
export function gridEnlargement(side: number): number {
  return LOCATORS.reduce((sum, { factor }) => (side * factor > MAX_SIDE ? sum : sum + factor * factor), 0);
}

/** Where zxing finds symbols in the crop under one locator; corners in crop pixels. */
async function locate(crop: GreyImage, detect: QrDetector, how: (typeof LOCATORS)[number]): Promise<QrDetection[]> {
  const { factor, sharpen, amount, window, offset } = how;
  const big = upscale(crop, factor);
  const sharp = amount > 0 ? unsharpMask(big, sharpen * factor, amount) : big;
  const found = await detect(localThreshold(sharp, window * factor, offset));
  return found.map(({ quad, size }) => ({
    size,
    quad: quad.map((p) => ({ x: p.x / factor, y: p.y / factor })) as Quad,
  }));
}

/**
 * Reads the codes in a crop through their module grids. Boxes are in crop pixels.
 * `stop` is asked between tries so the page budget holds.
 *
 * @example const codes = await readByGrid(crop(page, region), decode, detect, () => now() > deadline)
 */
export async function readByGrid(
  crop: GreyImage,
  decode: QrDecoder,
  detect: QrDetector,
  stop: () => boolean = () => false,
  onDetect: (detection: QrDetection) => void = () => {},
): Promise<DecodedQr[]> {
  const side = Math.max(crop.width, crop.height);
  for (const how of LOCATORS) {
    if (side * how.factor > MAX_SIDE) continue;
    if (stop()) break;
    for (const detection of (await locate(crop, detect, how)).slice(0, 2)) {
      onDetect(detection);
      const found = await readDetected(crop, detection.quad, detection.size, decode);
      if (found.length > 0) return found;
    }
  }
  return [];
}

/** Pixels a module in the rectified code: enough for zxing's sampler, never fewer than the crop has. */
function rectifyScale(quad: Quad, size: number): number {
  const across = Math.hypot(quad[1].x - quad[0].x, quad[1].y - quad[0].y) / size;
  return Math.min(8, Math.max(4, Math.round(across)));
}

const boxOf = (quad: Quad) => {
  const xs = quad.map((p) => p.x);
  const ys = quad.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
};

/**
 * Reads a located symbol turned upright: its corners fitted to the code's fixed patterns,
 * the code resampled (bicubic) square at 4 to 8 pixels a module, and zxing binarizes,
 * samples and decodes that as any clean scan. Box in crop pixels.
 *
 * @example const found = await readRectified(crop, detection, decode)
 */
export async function readRectified(crop: GreyImage, detection: QrDetection, decode: QrDecoder): Promise<DecodedQr[]> {
  const { quad, size } = detection;
  const fit = fitGrid(crop, quad, (size - 17) / 4);
  const upright = rectify(crop, fit.quad, size, rectifyScale(fit.quad, size));
  if (!upright) return [];
  const box = boxOf(fit.quad);
  return (await decode(upright)).map(({ text }) => ({ text, box }));
}

async function readDetected(crop: GreyImage, quad: Quad, size: number, decode: QrDecoder): Promise<DecodedQr[]> {
  const upright = await readRectified(crop, { quad, size }, decode);
  if (upright.length > 0) return upright;
  const version = (size - 17) / 4;
  const fit = fitGrid(crop, quad, version);
  const box = boxOf(fit.quad);
  const samples = sampleModules(crop, fit.quad, size);
  if (!samples) return [];
  // The later feedback passes are the likelier reads: try them first.
  for (const bits of classifyModules(samples, knownModules(version), 3).reverse()) {
    const found = await decode(renderModules(bits, size, 3), PURE_QR_OPTIONS);
    if (found.length > 0) return found.map(({ text }) => ({ text, box }));
  }
  return [];
}

/**
 * Below this agreement of the fixed patterns no grid is read: right grids of the corpus's
 * codes agree 0.64-0.99, wrong versions, turns and outlines of text 0.16-0.53. It only
 * saves the classifying (Reed-Solomon would refuse those grids anyway).
 */
const MIN_AGREEMENT = 0.55;

/** A second grid is tried only when it agrees nearly as well as the best (right grids: 0.6-0.75, next ones 0.2-0.4 lower). */
const CLOSE_SECOND = 0.85;

/** The largest crop `readByOutline` works on: a code of 177 modules at the largest pitch, its quiet zone and the region's margin. */
export const MAX_OUTLINE_CROP = (177 + 24) * MAX_OUTLINE_PX;

/** Pixels a module of the redrawn code handed to zxing's pure-symbol reader. */
const REDRAWN_PX = 4;

/**
 * Reads a code that zxing cannot even locate (1.1 to 1.6 pixels a module, blurred): its
 * grid found from the code's outline and fixed patterns (`qr-outline.ts`), every module
 * classified from the grey samples, and the clean code redrawn for zxing. Each grid tried
 * gives at most a few redrawn codes; zxing's Reed-Solomon check accepts or rejects each,
 * so a wrong grid yields nothing, never a text. Box in crop pixels; `onLocate` hears of
 * a grid that agrees with a code's fixed patterns, read or not.
 *
 * @example const codes = await readByOutline(crop(page, region), decode)
 */
export async function readByOutline(
  crop: GreyImage,
  decode: QrDecoder,
  stop: () => boolean = () => false,
  onLocate: (box: Rect) => void = () => {},
): Promise<DecodedQr[]> {
  if (Math.min(crop.width, crop.height) > MAX_OUTLINE_CROP) return [];
  const rough = outlineQuad(crop);
  if (!rough) return [];
  const guesses = guessGrids(crop, rough);
  const best = Math.max(MIN_AGREEMENT, guesses[0]?.score ?? 0);
  // Fixed patterns agreeing this well are a QR code: if it stays unread, the page says so.
  const [first] = guesses;
  if (first && first.score >= MIN_AGREEMENT) onLocate(boxOf(first.quad));
  for (const guess of guesses) {
    // A grid that agrees clearly worse than the best is a wrong version or turn of it.
    if (stop() || guess.score < best * CLOSE_SECOND) break;
    const size = 17 + 4 * guess.version;
    const samples = sampleModules(crop, guess.quad, size);
    if (!samples) continue;
    const box = boxOf(guess.quad);
    for (const bits of classifyModules(samples, knownModules(guess.version), 3).reverse()) {
      const found = await decode(renderModules(bits, size, REDRAWN_PX), PURE_QR_OPTIONS);
      if (found.length > 0) return found.map(({ text }) => ({ text, box }));
    }
  }
  return [];
}

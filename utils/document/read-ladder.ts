/**
 * Reading one page image: a first pass at native resolution, then, only when it finds
 * nothing, a ladder of cheap, bounded retries, stopped by a per-page time budget.
 *
 * The order puts the likeliest cure first for what defeats the first pass on real
 * letters: a red seal (red channel), faint or noisy scans (contrast, median), small or
 * soft codes (crops around likely code regions, sharpened or upscaled, and for phone
 * photos the grid reader). Crops come before whole-page variants because a crop is a few
 * hundred thousand pixels, a page millions.
 *
 * The budget holds inside the ladder too: each step declares how many pixels it works
 * on, and a step that cannot finish in the time left (at the rate this page's own first
 * pass ran) is skipped rather than started.
 */
import { findCodeRegions } from './code-regions.ts';
import {
  contrastStretch,
  crop,
  downscale,
  hasColour,
  luminance,
  median3,
  redChannel,
  sharpen,
  upscale,
} from './image-ops.ts';
import type { GreyImage, Rect, RgbaImage } from './image-types.ts';
import type { DecodedQr, QrDecoder, QrDetector } from './qr-decoder.ts';
import { readByGrid } from './read-grid.ts';
import { ReaderError } from './reader-error.ts';

/** One rung: a name (for the benchmark and tests), its size, and what it reads. */
export interface LadderStep {
  name: string;
  /**
   * About how many pixel-passes the step costs (image size times passes of filtering
   * and decoding), so the ladder can skip a step that cannot finish in the time left.
   */
  cost: number;
  /** Runs the step: the codes it decoded, boxes in page pixels. */
  run: () => Promise<DecodedQr[]>;
}

export interface LadderOptions {
  decode: QrDecoder;
  /** Locates symbols that do not decode, for the grid reader; without it that step is skipped. */
  detect?: QrDetector | undefined;
  /** The clock, injected so tests can drive the budget deterministically. */
  now: () => number;
  budgetMs: number;
  signal?: AbortSignal | undefined;
}

/** What reading one page found: texts with boxes in page pixels, and the step that found them. */
export interface PageReading {
  codes: DecodedQr[];
  /** `first` for the first pass, a ladder step's name, or null when nothing was read. */
  step: string | null;
  /** True when the budget ran out before every step was tried. */
  timedOut: boolean;
}

/** Upscales a small crop so that a module spans enough pixels for the detector. */
function enlarge(image: GreyImage): { image: GreyImage; scale: number } {
  const side = Math.min(image.width, image.height);
  if (side > 0 && side < 360) return { image: upscale(image, 3), scale: 3 };
  if (side < 720) return { image: upscale(image, 2), scale: 2 };
  return { image, scale: 1 };
}

function toPage(codes: DecodedQr[], offsetX: number, offsetY: number, scale: number): DecodedQr[] {
  return codes.map(({ text, box }) => ({
    text,
    box: {
      x: offsetX + box.x / scale,
      y: offsetY + box.y / scale,
      width: box.width / scale,
      height: box.height / scale,
    },
  }));
}

/** The tools a ladder's steps use; `stop` tells a long step that the budget is spent. */
export interface LadderTools {
  decode: QrDecoder;
  detect?: QrDetector | undefined;
  stop?: () => boolean;
}

const nothing: QrDecoder = async () => [];

/** Clamps a region to whole pixels inside the image (the same rounding `crop` uses). */
function clampRect(rect: Rect, width: number, height: number): Rect {
  const x = Math.max(0, Math.floor(rect.x));
  const y = Math.max(0, Math.floor(rect.y));
  return {
    x,
    y,
    width: Math.min(width, Math.ceil(rect.x + rect.width)) - x,
    height: Math.min(height, Math.ceil(rect.y + rect.height)) - y,
  };
}

/**
 * The ladder for one page, built lazily: each step computes its image only when it runs.
 * Whole-page filters are skipped on very large pages, where one pass would cost more than
 * the budget allows.
 *
 * @example ladderSteps(rgba, luminance(rgba), { decode }).map((s) => s.name)
 */
export function ladderSteps(rgba: RgbaImage, lum: GreyImage, tools: LadderTools = { decode: nothing }): LadderStep[] {
  const { decode, detect } = tools;
  const stop = tools.stop ?? (() => false);
  const colour = hasColour(rgba);
  let red: GreyImage | undefined;
  const redImage = () => {
    red ??= redChannel(rgba);
    return red;
  };
  const base = () => (colour ? redImage() : lum);
  const pixels = lum.width * lum.height;
  const steps: LadderStep[] = [];
  const wholeStep = (name: string, cost: number, make: () => GreyImage, scale = 1) =>
    steps.push({ name, cost, run: async () => toPage(await decode(make()), 0, 0, scale) });

  if (colour) wholeStep('red', 2 * pixels, redImage);

  // Regions are found once, on the red channel when there is colour (a seal is then paper).
  let regions: Rect[] | undefined;
  const regionsOf = () => {
    regions ??= findCodeRegions(base()).map((r) => clampRect(r, lum.width, lum.height));
    return regions;
  };
  const regionCost = (index: number) => {
    const rect = regionsOf()[index];
    if (!rect) return 0;
    const side = Math.min(rect.width, rect.height);
    const factor = side < 360 ? 3 : side < 720 ? 2 : 1;
    return rect.width * rect.height * factor * factor * 3;
  };
  const cropStep = (index: number, name: string, filter: (g: GreyImage) => GreyImage) => {
    steps.push({
      name: `region${index + 1}-${name}`,
      get cost() {
        return regionCost(index);
      },
      run: async () => {
        const rect = regionsOf()[index];
        if (!rect || rect.width < 21 || rect.height < 21) return [];
        const big = enlarge(crop(base(), rect));
        return toPage(await decode(filter(big.image)), rect.x, rect.y, big.scale);
      },
    });
  };
  const gridStep = (index: number) => {
    if (!detect) return;
    steps.push({
      name: `region${index + 1}-grid`,
      get cost() {
        return regionCost(index) * 4;
      },
      run: async () => {
        const rect = regionsOf()[index];
        if (!rect || rect.width < 21 || rect.height < 21) return [];
        return toPage(await readByGrid(crop(base(), rect), decode, detect, stop), rect.x, rect.y, 1);
      },
    });
  };
  // Ordered by what read the most pages per millisecond on printed letters: the first
  // region's crop with each filter, then whole-page sharpening and median (blur and
  // fax noise spread over the page), then the grid reader (phone photos; the costliest
  // step, useless on other failures), then a second region in case the first was a logo.
  cropStep(0, 'plain', (g) => g);
  cropStep(0, 'median', median3);
  cropStep(0, 'sharpen', sharpen);
  cropStep(0, 'stretch', contrastStretch);
  cropStep(0, 'median-stretch', (g) => contrastStretch(median3(g)));
  if (pixels <= 12_000_000) wholeStep('sharpen', 2 * pixels, () => sharpen(base()));
  if (pixels <= 12_000_000) wholeStep('median', 4 * pixels, () => median3(base()));
  gridStep(0);
  cropStep(1, 'plain', (g) => g);
  cropStep(1, 'median', median3);
  gridStep(1);
  wholeStep('stretch', 2 * pixels, () => contrastStretch(base()));
  wholeStep('half', pixels / 2, () => downscale(base(), 2), 0.5);
  if (pixels <= 3_000_000) wholeStep('upscale', 8 * pixels, () => upscale(base(), 2), 2);
  return steps;
}

const distinct = (codes: DecodedQr[]) => codes.filter((c, i) => codes.findIndex((d) => d.text === c.text) === i);

/**
 * Reads the QR codes on one page image: the first pass, then the ladder until a step
 * reads something, the steps run out, or the page's time budget is spent. Every text
 * returned is exactly what the decoder produced; nothing is merged or repaired.
 *
 * `mode` runs only the first pass or only the ladder, so a PDF page can try the first pass
 * on every candidate image before spending its budget on any one of them.
 *
 * @example const { codes, step } = await readPageImage(rgba, { decode, now: () => performance.now(), budgetMs: 1500 })
 */
export async function readPageImage(
  rgba: RgbaImage,
  options: LadderOptions,
  mode: 'first' | 'ladder' | 'both' = 'both',
): Promise<PageReading> {
  const start = options.now();
  const lum = luminance(rgba);
  const pixels = lum.width * lum.height;
  // Milliseconds a pixel costs on this machine: measured on the first pass, else a cautious guess.
  let rate = 40e-6;
  if (mode !== 'ladder') {
    const first = await options.decode(lum);
    if (first.length > 0) return { codes: distinct(first), step: 'first', timedOut: false };
    if (mode === 'first') return { codes: [], step: null, timedOut: false };
    const spent = options.now() - start;
    if (spent > 0 && pixels > 0) rate = spent / pixels;
  }
  const left = () => options.budgetMs - (options.now() - start);
  const steps = ladderSteps(rgba, lum, { decode: options.decode, detect: options.detect, stop: () => left() <= 0 });
  let skipped = false;
  for (const step of steps) {
    if (options.signal?.aborted) throw new ReaderError('reader.error.aborted');
    if (left() <= 0) return { codes: [], step: null, timedOut: true };
    // A step that would overrun the budget is skipped; a cheaper one later may still fit.
    if (step.cost * rate > left()) {
      skipped = true;
      continue;
    }
    const found = await step.run();
    if (found.length > 0) return { codes: distinct(found), step: step.name, timedOut: false };
  }
  return { codes: [], step: null, timedOut: skipped };
}

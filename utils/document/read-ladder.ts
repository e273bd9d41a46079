/**
 * Reading one page image: a first pass at native resolution, then, only when it finds
 * nothing, a ladder of cheap, bounded retries, stopped by a per-page time budget.
 *
 * The order puts the likeliest cure first for what defeats the first pass on real
 * letters: a red seal (red channel), faint or noisy scans (contrast, median), small or
 * soft codes (crops around likely code regions, sharpened or upscaled). Crops come before
 * whole-page variants because a crop is a few hundred thousand pixels, a page millions.
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
import type { DecodedQr, QrDecoder } from './qr-decoder.ts';
import { ReaderError } from './reader-error.ts';

/** One rung: a name (for the benchmark and tests), and the grey image it produces. */
export interface LadderStep {
  name: string;
  /** Produces the image to decode, and how to map its pixels back onto the page. */
  make: () => { image: GreyImage; offsetX: number; offsetY: number; scale: number };
}

export interface LadderOptions {
  decode: QrDecoder;
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

const whole = (image: GreyImage) => ({ image, offsetX: 0, offsetY: 0, scale: 1 });

/** Upscales a small crop so that a module spans enough pixels for the detector. */
function enlarge(image: GreyImage): { image: GreyImage; scale: number } {
  const side = Math.min(image.width, image.height);
  if (side > 0 && side < 360) return { image: upscale(image, 3), scale: 3 };
  if (side < 720) return { image: upscale(image, 2), scale: 2 };
  return { image, scale: 1 };
}

/**
 * The ladder for one page, built lazily: each step computes its image only when it runs.
 * Whole-page filters are skipped on very large pages, where one pass would cost more than
 * the budget allows.
 *
 * @example ladderSteps(rgba, luminance(rgba)).map((s) => s.name)
 */
export function ladderSteps(rgba: RgbaImage, lum: GreyImage): LadderStep[] {
  const colour = hasColour(rgba);
  let red: GreyImage | undefined;
  const redImage = () => {
    red ??= redChannel(rgba);
    return red;
  };
  const pixels = lum.width * lum.height;
  const steps: LadderStep[] = [];
  if (colour) steps.push({ name: 'red', make: () => whole(redImage()) });

  let regions: Rect[] | undefined;
  const regionsOf = () => {
    regions ??= findCodeRegions(colour ? redImage() : lum);
    return regions;
  };
  const cropStep = (index: number, name: string, filter: (g: GreyImage) => GreyImage, source: () => GreyImage) => ({
    name: `region${index + 1}-${name}`,
    make: () => {
      const rect = regionsOf()[index];
      if (!rect) return whole({ width: 0, height: 0, data: new Uint8ClampedArray(0) });
      const big = enlarge(crop(source(), rect));
      return {
        image: filter(big.image),
        offsetX: Math.max(0, Math.floor(rect.x)),
        offsetY: Math.max(0, Math.floor(rect.y)),
        scale: big.scale,
      };
    },
  });
  const base = () => (colour ? redImage() : lum);
  for (let i = 0; i < 2; i++) {
    steps.push(cropStep(i, 'plain', (g) => g, base));
    steps.push(cropStep(i, 'median', median3, base));
    steps.push(cropStep(i, 'stretch', contrastStretch, base));
    steps.push(cropStep(i, 'sharpen', sharpen, base));
    steps.push(cropStep(i, 'median-stretch', (g) => contrastStretch(median3(g)), base));
  }
  steps.push({ name: 'stretch', make: () => whole(contrastStretch(base())) });
  if (pixels <= 12_000_000) steps.push({ name: 'median', make: () => whole(median3(base())) });
  steps.push({
    name: 'half',
    make: () => ({ image: downscale(base(), 2), offsetX: 0, offsetY: 0, scale: 0.5 }),
  });
  if (pixels <= 12_000_000) steps.push({ name: 'sharpen', make: () => whole(sharpen(base())) });
  if (pixels <= 3_000_000) steps.push({ name: 'upscale', make: () => whole(upscale(base(), 2)) });
  return steps;
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
  if (mode !== 'ladder') {
    const first = await options.decode(lum);
    if (first.length > 0) return { codes: distinct(first), step: 'first', timedOut: false };
    if (mode === 'first') return { codes: [], step: null, timedOut: false };
  }
  for (const step of ladderSteps(rgba, lum)) {
    if (options.signal?.aborted) throw new ReaderError('reader.error.aborted');
    if (options.now() - start >= options.budgetMs) return { codes: [], step: null, timedOut: true };
    const { image, offsetX, offsetY, scale } = step.make();
    if (image.width === 0) continue;
    const found = await options.decode(image);
    if (found.length > 0) {
      return { codes: distinct(toPage(found, offsetX, offsetY, scale)), step: step.name, timedOut: false };
    }
  }
  return { codes: [], step: null, timedOut: false };
}

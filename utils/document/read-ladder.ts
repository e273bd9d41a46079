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
 * The budget holds inside the ladder too: each step declares what it works on, its cost
 * is estimated from that (STEP_COSTS, measured), and a step that cannot finish in the time
 * left (at the rate this page's own first pass ran) is skipped rather than started.
 *
 * Cheap evidence gates the rest, so a page that cannot be read does not run every step:
 * the costly steps (whole-page filters, the grid reader, the second region's median) run
 * only on a page showing a sign of a code, the second region only when it could hold a
 * code, and a region far larger than the code read is not taken for a second one. A code
 * located but unreadable stops the retries that cannot read it: a region's filters after
 * its outline step located the code and failed, the whole-page filters once every sign of
 * a code lies in a region already tried.
 */
import { findScoredRegions } from './code-regions.ts';
import {
  boxMean,
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
import type { DecodedQr, QrDecoder, QrDetection, QrDetector, QrScanner } from './qr-decoder.ts';
import type { Quad } from './qr-grid.ts';
import { gridEnlargement, MAX_OUTLINE_CROP, readByGrid, readByOutline, readRectified } from './read-grid.ts';
import { ReaderError } from './reader-error.ts';

/** What a step's cost is estimated from (see STEP_COSTS). */
export interface StepSize {
  /**
   * `crop-<filter>` (a region's enlarged crop, filtered: `crop-plain`, `crop-smooth`...),
   * `rectify`, `outline`, `grid`, or a whole-page step's name (`red`, `median`...).
   */
  kind: string;
  /** What the step starts from: its region at the page's resolution, or the whole page. */
  width: number;
  height: number;
  /** The enlargement a region's crop gets before it is decoded (1, 2 or 3; 1 for whole-page steps). */
  scale: number;
}

/**
 * A step's estimated cost in pixel-passes of the page's first pass: the ladder skips a
 * step when this many times the first pass's milliseconds a pixel exceeds the time left.
 */
export type StepCosts = (size: StepSize) => number;

/**
 * Pixel-passes a pixel of the enlarged crop, by filter; a filter's pass comes on top of
 * zxing's decode (1.5).
 */
const CROP_PASSES: Record<string, number> = {
  'crop-plain': 1.5,
  'crop-sharpen': 1.9,
  'crop-stretch': 1.8,
  'crop-smooth': 2.5,
  'crop-median': 3.4,
  'crop-median-stretch': 3.9,
};
/** Pixel-passes a page pixel of each whole-page step. */
const PAGE_PASSES: Record<string, number> = {
  red: 0.85,
  sharpen: 1.2,
  stretch: 1.1,
  half: 0.4,
  median: 3.2,
  upscale: 5.7,
};

/**
 * The steps' costs as measured on the generated corpus in CPU time, each step run alone on
 * every page the first pass leaves unfinished (`READER_BENCH_COSTS=1 npm run bench --
 * reader` prints measured against estimated, by kind). A pixel-pass is what one pixel of
 * the page's first pass cost (luminance and zxing's scan: 14-30 CPU ms a megapixel here).
 * - A crop step: zxing's decode of the enlarged crop and the filter, per enlarged pixel.
 * - Rectify: zxing's detector on the enlarged crop (median; when it locates a symbol,
 *   fitting and resampling it add tens of milliseconds).
 * - Outline: finding the outline (3 a region pixel), then fitting grids to the code's
 *   fixed patterns, about the same work whatever the region (7 million: what it costs when
 *   it finds an outline, the case in which it can read; 4-20 million on the corpus); nothing
 *   on a region too large for it (`readByOutline` returns at once).
 * - Grid: each locator's enlargement, sharpening, threshold and detection, 4 a pixel of
 *   every enlargement `readByGrid` makes of the region (`gridEnlargement`).
 * - Whole-page steps: per page pixel.
 * The estimates these replace (a crop 3, rectify 6, outline 1.5, grid 12 a pixel of the
 * enlarged crop) put the outline step at a tenth of its cost and the plain crop at twice
 * its own: under load the ladder skipped the plain crop and spent the rest on the outline.
 */
export const STEP_COSTS: StepCosts = ({ kind, width, height, scale }) => {
  const pixels = width * height;
  const crop = CROP_PASSES[kind];
  if (crop !== undefined) return crop * pixels * scale * scale;
  if (kind === 'rectify') return 1.6 * pixels * scale * scale;
  if (kind === 'outline') return Math.min(width, height) > MAX_OUTLINE_CROP ? 0 : 3 * pixels + 7e6;
  if (kind === 'grid') return 4 * pixels * gridEnlargement(Math.max(width, height));
  return (PAGE_PASSES[kind] ?? 4) * pixels;
};

/** One rung: a name (for the benchmark and tests), its size, and what it reads. */
export interface LadderStep {
  name: string;
  /** What the step works on, from which its cost is estimated (a region step's is known once regions are found). */
  size: StepSize;
  /** Runs the step: the codes it decoded, boxes in page pixels. */
  run: () => Promise<DecodedQr[]>;
  /**
   * A costly step worth its time only on a page that shows a sign of a code (one read, a
   * symbol located, a region standing out): `readPageImage` skips it on a page with none.
   */
  costly?: boolean;
  /** The code region (1 = best) a region step works on; whole-page steps have none. */
  region?: number;
  /**
   * A region step that comes after the region's outline step (a filter of the crop, the
   * grid reader): `readPageImage` skips it when that step located the region's code and
   * could not read it.
   */
  afterOutline?: boolean;
}

export interface LadderOptions {
  decode: QrDecoder;
  /** Locates symbols that do not decode, for the grid reader; without it that step is skipped. */
  detect?: QrDetector | undefined;
  /**
   * Decodes and locates in one pass (the first pass), so a symbol zxing saw but could not
   * read keeps the ladder going after another code was read; without it, `decode`.
   */
  scan?: QrScanner | undefined;
  /**
   * The clock the budget runs on, injected so tests can drive it deterministically (and a
   * bench can run it on CPU time, which a shared machine's load does not move).
   */
  now: () => number;
  /** The steps' cost estimates; without it, STEP_COSTS (a bench compares others). */
  costs?: StepCosts | undefined;
  budgetMs: number;
  signal?: AbortSignal | undefined;
  /**
   * Told after the first pass and after each ladder step that ran, with what it read: the
   * reader bench's per-step profile. The ladder's work does not depend on it.
   */
  onStep?: ((name: string, codes: DecodedQr[]) => void) | undefined;
}

/** What reading one page found: texts with boxes in page pixels, and the step that found them. */
export interface PageReading {
  codes: DecodedQr[];
  /** `first` for the first pass, a ladder step's name, or null when nothing was read. */
  step: string | null;
  /** True when the budget ran out before every step was tried. */
  timedOut: boolean;
  /**
   * QR symbols located on the page (by zxing's detector, in page pixels) that no step
   * could read: a code too small, blurred or damaged. Empty when every one was read.
   */
  unreadable: Rect[];
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
  /** Told of every symbol a step located but could not read, in page pixels. */
  onDetect?: (box: Rect) => void;
  /** The page's likely code regions, best first, when the caller has found them already. */
  regions?: () => Rect[];
  /** True for a region whose code has been read already: its steps are skipped. */
  done?: (rect: Rect) => boolean;
}

/** The bounding box of a detection's corners, mapped by `map` into page pixels. */
function detectionBox(d: QrDetection, map: (p: { x: number; y: number }) => { x: number; y: number }): Rect {
  const points = d.quad.map(map);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
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
  const wholeStep = (name: string, make: () => GreyImage, scale = 1, costly = false) =>
    steps.push({
      name,
      size: { kind: name, width: lum.width, height: lum.height, scale: 1 },
      costly,
      run: async () => toPage(await decode(make()), 0, 0, scale),
    });

  if (colour) wholeStep('red', redImage);

  // Regions are found once, on the red channel when there is colour (a seal is then paper).
  let regions: Rect[] | undefined;
  const regionsOf = () => {
    regions ??= tools.regions?.() ?? findScoredRegions(base()).map((r) => clampRect(r.rect, lum.width, lum.height));
    return regions;
  };
  const done = tools.done ?? (() => false);
  // The same enlargement as `enlarge` gives the region's crop.
  const regionSize = (index: number, kind: string): StepSize => {
    const rect = regionsOf()[index];
    if (!rect) return { kind, width: 0, height: 0, scale: 1 };
    const side = Math.min(rect.width, rect.height);
    return { kind, width: rect.width, height: rect.height, scale: side > 0 && side < 360 ? 3 : side < 720 ? 2 : 1 };
  };
  const cropStep = (
    index: number,
    name: string,
    filter: (g: GreyImage, scale: number) => GreyImage,
    costly = false,
  ) => {
    steps.push({
      name: `region${index + 1}-${name}`,
      region: index + 1,
      costly,
      afterOutline: outlined.has(index),
      get size() {
        return regionSize(index, `crop-${name}`);
      },
      run: async () => {
        const rect = regionsOf()[index];
        if (!rect || rect.width < 21 || rect.height < 21 || done(rect)) return [];
        const big = enlarge(crop(base(), rect));
        return toPage(await decode(filter(big.image, big.scale)), rect.x, rect.y, big.scale);
      },
    });
  };
  const gridStep = (index: number) => {
    if (!detect) return;
    steps.push({
      name: `region${index + 1}-grid`,
      region: index + 1,
      costly: true,
      afterOutline: outlined.has(index),
      get size() {
        return regionSize(index, 'grid');
      },
      run: async () => {
        const rect = regionsOf()[index];
        if (!rect || rect.width < 21 || rect.height < 21 || done(rect)) return [];
        const seen = (d: QrDetection) =>
          tools.onDetect?.(detectionBox(d, (p) => ({ x: p.x + rect.x, y: p.y + rect.y })));
        return toPage(await readByGrid(crop(base(), rect), decode, detect, stop, seen), rect.x, rect.y, 1);
      },
    });
  };
  // The region's code as zxing locates it in the enlarged crop (its finder patterns survive
  // where its modules do not), turned upright and resampled at several pixels a module:
  // a code scanned askew at two pixels a module, whose jagged edges defeat the plain crop.
  const rectifyStep = (index: number) => {
    if (!detect) return;
    steps.push({
      name: `region${index + 1}-rectify`,
      region: index + 1,
      get size() {
        return regionSize(index, 'rectify');
      },
      run: async () => {
        const rect = regionsOf()[index];
        if (!rect || rect.width < 21 || rect.height < 21 || done(rect)) return [];
        const piece = crop(base(), rect);
        const big = enlarge(piece);
        const out: DecodedQr[] = [];
        for (const d of (await detect(big.image)).slice(0, 2)) {
          const quad = d.quad.map((p) => ({ x: p.x / big.scale, y: p.y / big.scale })) as Quad;
          const detection = { size: d.size, quad };
          tools.onDetect?.(detectionBox(detection, (p) => ({ x: p.x + rect.x, y: p.y + rect.y })));
          out.push(...(await readRectified(piece, detection, decode)));
          if (out.length > 0) break;
        }
        return toPage(out, rect.x, rect.y, 1);
      },
    });
  };
  // The region's code found from its outline and read module by module (`readByOutline`):
  // the one step for codes at 1.1 to 1.6 pixels a module, which zxing cannot even locate.
  const outlined = new Set<number>();
  const outlineStep = (index: number) => {
    outlined.add(index);
    steps.push({
      name: `region${index + 1}-outline`,
      region: index + 1,
      get size() {
        return regionSize(index, 'outline');
      },
      run: async () => {
        const rect = regionsOf()[index];
        if (!rect || rect.width < 21 || rect.height < 21 || done(rect)) return [];
        const located = (box: Rect) => tools.onDetect?.({ ...box, x: box.x + rect.x, y: box.y + rect.y });
        return toPage(await readByOutline(crop(base(), rect), decode, stop, located), rect.x, rect.y, 1);
      },
    });
  };
  // Ordered by what read the most pages per millisecond on the generated corpus (the reader
  // bench's READER_BENCH_PROFILE runs every step alone on every page the first pass leaves
  // unread): the first region's crop, the same code turned upright at its own scale (the
  // only cure for a code askew at under two pixels a module), smoothed, read from its
  // outline (1.1-1.6 px a module), then with each filter, then the grid reader (phone
  // photos; costly). Then the second region, in case the first was a logo or holds a second
  // letter. Whole-page filters come last: on that corpus each page one of them read, a
  // region step read too, at a fraction of the pixels (a 9-megapixel median costs more than
  // every region step together); they stay for a code the region finder misses.
  cropStep(0, 'plain', (g) => g);
  rectifyStep(0);
  // The enlarged crop averaged over about 1.7 of the scan's pixels (5x5 at x3, 3x3 at x2):
  // it rounds off the staircase edges of a nearest-neighbour rotation and a fax's bilevel
  // jaggies, which at 2 px a module make zxing's binarizer flip whole modules.
  cropStep(0, 'smooth', (g, scale) => {
    if (scale < 2) return g;
    return { width: g.width, height: g.height, data: new Uint8ClampedArray(boxMean(g, scale >= 3 ? 2 : 1)) };
  });
  outlineStep(0);
  cropStep(0, 'sharpen', sharpen);
  cropStep(0, 'stretch', contrastStretch);
  cropStep(0, 'median', median3);
  cropStep(0, 'median-stretch', (g) => contrastStretch(median3(g)));
  gridStep(0);
  cropStep(1, 'plain', (g) => g);
  rectifyStep(1);
  outlineStep(1);
  cropStep(1, 'median', median3, true);
  gridStep(1);
  // A whole page is millions of pixels: every whole-page step counts as costly.
  if (pixels <= 12_000_000) wholeStep('sharpen', () => sharpen(base()), 1, true);
  wholeStep('stretch', () => contrastStretch(base()), 1, true);
  wholeStep('half', () => downscale(base(), 2), 0.5, true);
  if (pixels <= 12_000_000) wholeStep('median', () => median3(base()), 1, true);
  if (pixels <= 3_000_000) wholeStep('upscale', () => upscale(base(), 2), 2, true);
  return steps;
}

const distinct = (codes: DecodedQr[]) => codes.filter((c, i) => codes.findIndex((d) => d.text === c.text) === i);

/**
 * A region scoring at least this fraction of a read code's region is taken for another
 * code (on the corpus a second letter scores 0.6-1.1 of the first, text and logos under 0.45).
 */
const SECOND_CODE = 0.55;
/** With nothing read, the best region is a code when it scores this many times the next (text: under 1.5; codes: 2.2 and up). */
const STANDS_OUT = 3;
/**
 * A region this many times a read code's side, or smaller than its inverse, is not a
 * second code: a block of text whose area lifted its score (a region is the code and its
 * quiet margin, about 1.3 times the code's side; the corpus's second letters are 1.0-1.4).
 */
const SECOND_CODE_SIDE = 2.5;

const centre = (r: Rect) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
const inside = (p: { x: number; y: number }, r: Rect, slack: number) =>
  p.x >= r.x - slack * r.width &&
  p.x <= r.x + (1 + slack) * r.width &&
  p.y >= r.y - slack * r.height &&
  p.y <= r.y + (1 + slack) * r.height;

/** True when the located symbol `box` is one of the codes read (their boxes overlap at the centre). */
const covered = (box: Rect, codes: DecodedQr[]) =>
  codes.some((c) => inside(centre(box), c.box, 0.25) || inside(centre(c.box), box, 0.25));

/** Located symbols that no code covers, one box for each cluster of overlapping ones. */
function unreadableOf(hints: Rect[], codes: DecodedQr[]): Rect[] {
  const out: Rect[] = [];
  for (const box of hints) {
    if (box.width < 4 || box.height < 4 || covered(box, codes)) continue;
    if (out.some((o) => inside(centre(box), o, 0.25) || inside(centre(o), box, 0.25))) continue;
    out.push(box);
  }
  return out;
}

/**
 * Reads the QR codes on one page image: the first pass, then the ladder until every
 * symbol the detector located has been read, the steps run out, or the page's time budget
 * is spent. A page with two letters, or a second damaged code, keeps the ladder going
 * after the first code is read; what stays unread is reported in `unreadable`. Every text
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
  const hints: Rect[] = [];
  let codes: DecodedQr[] = [];
  let step: string | null = null;
  const add = (found: DecodedQr[], name: string) => {
    if (found.length === 0) return;
    step ??= name;
    codes = distinct([...codes, ...found]);
  };
  let scored: { rect: Rect; score: number }[] | undefined;
  const scoredRegions = () => {
    scored ??= findScoredRegions(hasColour(rgba) ? redChannel(rgba) : lum).map(({ rect, score }) => ({
      rect: clampRect(rect, lum.width, lum.height),
      score,
    }));
    return scored;
  };
  // Regions that look like a code none of the read ones covers: the reason to go on, and,
  // if nothing reads them, what is reported as unreadable.
  const unreadRegions = (): Rect[] => {
    const all = scoredRegions();
    const square = (r: Rect) => Math.min(r.width, r.height) / Math.max(r.width, r.height) >= 0.75;
    const best = Math.max(0, ...all.filter((r) => covered(r.rect, codes)).map((r) => r.score));
    if (best > 0) {
      const side = Math.max(...codes.map((c) => Math.max(c.box.width, c.box.height)));
      const sized = (r: Rect) => {
        const s = Math.max(r.width, r.height);
        return s <= side * SECOND_CODE_SIDE && s * SECOND_CODE_SIDE >= side;
      };
      return all
        .filter((r) => !covered(r.rect, codes) && square(r.rect) && sized(r.rect) && r.score >= best * SECOND_CODE)
        .map((r) => r.rect);
    }
    if (codes.length > 0) return [];
    // Nothing read: the best region is code-like when it stands far above the page's text.
    const [top, next] = all;
    return top && square(top.rect) && top.score >= (next?.score ?? 0) * STANDS_OUT ? [top.rect] : [];
  };
  const pending = () => codes.length === 0 || hints.some((h) => !covered(h, codes)) || unreadRegions().length > 0;
  const result = (timedOut: boolean): PageReading => ({
    codes,
    step,
    timedOut,
    unreadable: unreadableOf([...hints, ...unreadRegions()], codes),
  });
  // Milliseconds a pixel costs on this machine: measured on the first pass, else a cautious guess.
  let rate = 40e-6;
  if (mode !== 'ladder') {
    if (options.scan) {
      const first = await options.scan(lum);
      options.onStep?.('first', first.codes);
      add(first.codes, 'first');
      for (const d of first.failed) hints.push(detectionBox(d, (p) => p));
    } else {
      const first = await options.decode(lum);
      options.onStep?.('first', first);
      add(first, 'first');
    }
    if (!pending() || mode === 'first') return result(false);
    const spent = options.now() - start;
    if (spent > 0 && pixels > 0) rate = spent / pixels;
  }
  const left = () => options.budgetMs - (options.now() - start);
  const steps = ladderSteps(rgba, lum, {
    decode: options.decode,
    detect: options.detect,
    stop: () => left() <= 0,
    onDetect: (box) => hints.push(box),
    regions: () => scoredRegions().map((r) => r.rect),
    done: (rect) => covered(rect, codes),
  });
  // A sign that the page holds a code: one read, a symbol located (by zxing's detector or
  // a code's outline), or a region standing out. A page of text shows none after the first
  // region's cheap steps, and its costly steps would read nothing (see LadderStep.costly).
  const signOfCode = () => codes.length > 0 || hints.length > 0 || unreadRegions().length > 0;
  // With nothing read and the one sign of a code in the best region (every located symbol
  // inside it, or it standing out), the second region is tried only when it could be a
  // code itself (it scores like the first, and is square): else it is a logo or text
  // beside the one code, which the first region's steps failed to read.
  const secondWorthTrying = () => {
    if (codes.length > 0) return true;
    const [first, second] = scoredRegions();
    if (!first || !second) return false;
    if (hints.some((h) => !inside(centre(h), first.rect, 0))) return true;
    if (hints.length === 0 && unreadRegions().length === 0) return true;
    const { width, height } = second.rect;
    return Math.min(width, height) / Math.max(width, height) >= 0.75 && second.score >= first.score * SECOND_CODE;
  };
  // Regions whose outline step ran, and those of them where it located a code (its fixed
  // patterns agreeing with a fitted grid) that it could not read. On the generated corpus
  // (each step run alone on every page the first pass leaves unfinished) no filter of the
  // crop and no grid reader read a code that the plain, rectified, smoothed and outline
  // steps of its region all missed; where the outline located the code, the steps after it
  // only spend the budget (a 100-DPI fax's grid reader: a second of CPU).
  const tried = new Set<number>();
  const locatedUnread = new Set<number>();
  // Every sign of a code (a located symbol not read, a code-like region) lies inside a
  // region whose steps have run: the whole-page filters would only try the same filters on
  // the same code, at a lower enlargement. On the corpus each code a whole-page filter
  // read, a region step read too; they stay for a code the region finder misses.
  const signsTried = () => {
    const signs = [...hints.filter((h) => !covered(h, codes)), ...unreadRegions()];
    const rects = [...tried].map((r) => scoredRegions()[r - 1]?.rect).filter((r): r is Rect => r !== undefined);
    return signs.length > 0 && signs.every((sign) => rects.some((r) => inside(centre(sign), r, 0)));
  };
  let skipped = false;
  for (const ladderStep of steps) {
    if (options.signal?.aborted) throw new ReaderError('reader.error.aborted');
    if (left() <= 0) return result(true);
    if (ladderStep.costly && !signOfCode()) continue;
    if (ladderStep.region === 2 && !secondWorthTrying()) continue;
    if (ladderStep.afterOutline && ladderStep.region !== undefined && locatedUnread.has(ladderStep.region)) continue;
    if (ladderStep.region === undefined && ladderStep.costly && signsTried()) continue;
    // A step that would overrun the budget is skipped; a cheaper one later may still fit.
    if ((options.costs ?? STEP_COSTS)(ladderStep.size) * rate > left()) {
      skipped = true;
      continue;
    }
    const located = hints.length;
    const found = await ladderStep.run();
    options.onStep?.(ladderStep.name, found);
    add(found, ladderStep.name);
    if (ladderStep.region !== undefined && ladderStep.size.kind === 'outline') {
      tried.add(ladderStep.region);
      if (found.length === 0 && hints.length > located) locatedUnread.add(ladderStep.region);
    }
    if (!pending()) return result(false);
  }
  return result(skipped);
}

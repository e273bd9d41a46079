/**
 * The arithmetic of the independent corpus, kept apart from any image tool so a unit test
 * can check it: a seeded random stream, the maps every capture applies to the page (turn,
 * perspective homography, the paper bow's polynomial), the pixels per module that follow,
 * and the rule that says whether a person could still read a page's code by eye.
 */

export interface Point {
  x: number;
  y: number;
}

/** mulberry32: a small seeded stream, so the same seed always draws the same corpus. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [lo, hi) from the stream. */
export const between = (random: () => number, lo: number, hi: number) => lo + (hi - lo) * random();

/** One of the choices, drawn from the stream. */
export function pick<T>(random: () => number, choices: readonly T[]): T {
  const choice = choices[Math.floor(random() * choices.length) % choices.length];
  if (choice === undefined) throw new Error('pick from nothing');
  return choice;
}

/** An affine map [a, b, c, d, e, f]: x' = a x + b y + e, y' = c x + d y + f (ImageMagick's AffineProjection order is sx, rx, ry, sy, tx, ty). */
export type Affine = readonly [number, number, number, number, number, number];

export const applyAffine = (m: Affine, p: Point): Point => ({
  x: m[0] * p.x + m[1] * p.y + m[4],
  y: m[2] * p.x + m[3] * p.y + m[5],
});

/**
 * Turning a width x height page by `degrees` clockwise (y points down) about its centre,
 * onto a canvas just large enough to hold it: the map and the canvas size.
 */
export function turnPage(
  width: number,
  height: number,
  degrees: number,
): { map: Affine; width: number; height: number } {
  const r = (degrees * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  const outW = Math.ceil(Math.abs(width * cos) + Math.abs(height * sin));
  const outH = Math.ceil(Math.abs(width * sin) + Math.abs(height * cos));
  // Centre to centre: p' = R (p - c) + c'.
  const cx = width / 2;
  const cy = height / 2;
  const map: Affine = [cos, -sin, sin, cos, outW / 2 - (cos * cx - sin * cy), outH / 2 - (sin * cx + cos * cy)];
  return { map, width: outW, height: outH };
}

/** A projective map as a row-major 3x3 matrix with h[8] = 1. */
export type Homography = readonly number[];

/** The homography taking the four `from` points onto the four `to` points (a direct 8x8 solve). */
export function homography(from: readonly Point[], to: readonly Point[]): Homography {
  if (from.length !== 4 || to.length !== 4) throw new Error('a homography needs four point pairs');
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i] as Point;
    const { x: u, y: v } = to[i] as Point;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gauss-Jordan with partial pivoting on the 8x9 augmented matrix.
  for (let col = 0; col < 8; col++) {
    let best = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r]?.[col] ?? 0) > Math.abs(rows[best]?.[col] ?? 0)) best = r;
    const pivotRow = rows[best] as number[];
    rows[best] = rows[col] as number[];
    rows[col] = pivotRow;
    const pivot = pivotRow[col] ?? 0;
    if (Math.abs(pivot) < 1e-12) throw new Error('degenerate quadrilateral');
    for (let c = col; c < 9; c++) pivotRow[c] = (pivotRow[c] ?? 0) / pivot;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const row = rows[r] as number[];
      const factor = row[col] ?? 0;
      if (factor === 0) continue;
      for (let c = col; c < 9; c++) row[c] = (row[c] ?? 0) - factor * (pivotRow[c] ?? 0);
    }
  }
  return [...rows.map((r) => r[8] ?? 0), 1];
}

export function applyHomography(h: Homography, p: Point): Point {
  const w = (h[6] ?? 0) * p.x + (h[7] ?? 0) * p.y + (h[8] ?? 1);
  return {
    x: ((h[0] ?? 0) * p.x + (h[1] ?? 0) * p.y + (h[2] ?? 0)) / w,
    y: ((h[3] ?? 0) * p.x + (h[4] ?? 0) * p.y + (h[5] ?? 0)) / w,
  };
}

/**
 * Paper that does not lie flat, as the reverse map the scanner's image implies: the point
 * of the flat page seen at output point q. Quadratic, so ImageMagick's `-distort Polynomial 2`
 * fitted on its own points reproduces it exactly. `bow` is the sag at the middle of the
 * sheet as a share of its height; `flare` widens the bottom (the sheet lifts off the glass).
 */
export function bowReverse(width: number, height: number, bow: number, flare: number): (q: Point) => Point {
  return (q) => {
    const u = q.x / width;
    const v = q.y / height;
    return {
      x: q.x - flare * width * (u - 0.5) * v,
      y: q.y - bow * height * 4 * u * (1 - u),
    };
  };
}

/** The output point where the reverse map `reverse` shows page point p (fixed-point iteration: the map is near the identity). */
export function invertNearIdentity(reverse: (q: Point) => Point, p: Point): Point {
  let q = { ...p };
  for (let i = 0; i < 50; i++) {
    const seen = reverse(q);
    const dx = p.x - seen.x;
    const dy = p.y - seen.y;
    q = { x: q.x + dx, y: q.y + dy };
    if (Math.abs(dx) + Math.abs(dy) < 1e-6) break;
  }
  return q;
}

/** The four corners of a square code, clockwise from top-left. */
export const squareCorners = (x: number, y: number, side: number): Point[] => [
  { x, y },
  { x: x + side, y },
  { x: x + side, y: y + side },
  { x, y: y + side },
];

/**
 * Pixels per module of a code whose corners land at `corners` (clockwise), on its
 * shortest side: a perspective or a fax's halved line rate makes one side the limit.
 */
export function pxPerModule(corners: readonly Point[], modules: number): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < corners.length; i++) {
    const a = corners[i] as Point;
    const b = corners[(i + 1) % corners.length] as Point;
    shortest = Math.min(shortest, Math.hypot(b.x - a.x, b.y - a.y));
  }
  return Math.round((shortest / modules) * 100) / 100;
}

/**
 * Whether a person could still read every module by eye (zoomed in), decided before any
 * reader was run and the same for every category:
 * - at least 1.5 px per module on the shortest side: below it a module is not even 1.5 pixels, and after
 *   the resampling every capture does neighbouring modules merge into grey;
 * - blur (gaussian sigma, motion blur's included) under half a module: past it the finest
 *   pattern (two modules a period) keeps less than a third of its contrast;
 * - ink contrast at least 20% of full scale after fading;
 * - a bilevel page (fax) at least 2 px per module: thresholding below that moves module
 *   edges by up to a pixel, which is half a module, and no eye can undo it.
 */
export interface Legibility {
  pxPerModule: number | null;
  blurPx?: number | undefined;
  contrast?: number | undefined;
  bilevel?: boolean | undefined;
}
export const LEGIBLE_PX = 1.5;
export const LEGIBLE_PX_BILEVEL = 2;
export const LEGIBLE_BLUR_MODULES = 0.5;
export const LEGIBLE_CONTRAST = 0.2;

export function legibleByEye(page: Legibility): boolean {
  const px = page.pxPerModule ?? 0;
  if (px < (page.bilevel ? LEGIBLE_PX_BILEVEL : LEGIBLE_PX)) return false;
  if ((page.blurPx ?? 0) >= LEGIBLE_BLUR_MODULES * px) return false;
  return (page.contrast ?? 1) >= LEGIBLE_CONTRAST;
}

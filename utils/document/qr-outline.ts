/**
 * Finding a QR code's module grid when zxing's detector cannot: at 1.1 to 1.6 pixels a
 * module (a 35 mm code in a 1080-px photo of a whole page, a 100-DPI fax, a 96-ppi
 * screenshot) blur merges a finder pattern's one-module light ring into grey, so no
 * binarizer shows zxing the 1:1:3:1:1 runs it looks for. The grey values still hold the
 * code (fitted to the right grid, `classifyModules` gets nearly every module right);
 * only the grid has to be found another way.
 *
 * The code's outline is what survives: a square blob of ink with a quiet zone around it.
 * Its convex hull gives four rough corners; which corner is the top-left and how many
 * modules a side are then chosen by how well the fixed patterns of that version (finder,
 * timing, alignment, version information) agree with the grey samples, and `fitGrid`
 * moves the corners to sub-pixel precision against those same patterns. Nothing here
 * decides a text: the modules it classifies are redrawn for zxing, whose Reed-Solomon
 * check accepts or rejects them.
 */
import type { GreyImage } from './image-types.ts';
import { agreementAt, fitGrid, type Point, type Quad } from './qr-grid.ts';

/** Otsu's threshold of the image's grey histogram: the level that best splits ink from paper. */
export function otsuThreshold(image: GreyImage): number {
  const hist = new Float64Array(256);
  for (const v of image.data) hist[v] = (hist[v] ?? 0) + 1;
  const total = image.data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * (hist[i] ?? 0);
  let below = 0;
  let sumBelow = 0;
  let best = -1;
  let level = 128;
  for (let t = 0; t < 256; t++) {
    below += hist[t] ?? 0;
    if (below === 0) continue;
    const above = total - below;
    if (above === 0) break;
    sumBelow += t * (hist[t] ?? 0);
    const between = below * above * (sumBelow / below - (sumAll - sumBelow) / above) ** 2;
    if (between > best) {
      best = between;
      level = t;
    }
  }
  return level + 0.5;
}

/** Square dilation (`grow`) or erosion of a 0/1 mask by radius r, via a summed box. */
function morph(mask: Uint8Array, w: number, h: number, r: number, grow: boolean): Uint8Array {
  const rows = new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    let sum = 0;
    for (let x = 0; x <= Math.min(w - 1, r); x++) sum += mask[y * w + x] ?? 0;
    for (let x = 0; x < w; x++) {
      rows[y * w + x] = sum;
      if (x + r + 1 < w) sum += mask[y * w + x + r + 1] ?? 0;
      if (x - r >= 0) sum -= mask[y * w + x - r] ?? 0;
    }
  }
  // Erosion counts the outside as paper: a full window only inside the image.
  const full = (2 * r + 1) * (2 * r + 1);
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let sum = 0;
    for (let y = 0; y <= Math.min(h - 1, r); y++) sum += rows[y * w + x] ?? 0;
    for (let y = 0; y < h; y++) {
      out[y * w + x] = grow ? (sum > 0 ? 1 : 0) : sum === full ? 1 : 0;
      if (y + r + 1 < h) sum += rows[(y + r + 1) * w + x] ?? 0;
      if (y - r >= 0) sum -= rows[(y - r) * w + x] ?? 0;
    }
  }
  return out;
}

/** The pixels of the largest 4-connected component of the mask, as x/y pairs. */
function largestComponent(mask: Uint8Array, w: number, h: number): Int32Array {
  const label = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  let bestLabel = 0;
  let bestCount = 0;
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start]) continue;
    next++;
    let top = 0;
    let count = 0;
    stack[top++] = start;
    label[start] = next;
    while (top > 0) {
      const i = stack[--top] as number;
      count++;
      const x = i % w;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w]) {
        if (j < 0 || j >= mask.length || !mask[j] || label[j]) continue;
        label[j] = next;
        stack[top++] = j;
      }
    }
    if (count > bestCount) {
      bestCount = count;
      bestLabel = next;
    }
  }
  const out = new Int32Array(2 * bestCount);
  let k = 0;
  for (let i = 0; i < label.length; i++) {
    if (label[i] !== bestLabel || bestLabel === 0) continue;
    out[k++] = i % w;
    out[k++] = Math.floor(i / w);
  }
  return out;
}

const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/** Convex hull (Andrew's monotone chain) of pixel squares' outer corners, counter-clockwise in y-down terms. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as Point, lower[lower.length - 1] as Point, p) <= 0)
      lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i] as Point;
    while (upper.length >= 2 && cross(upper[upper.length - 2] as Point, upper[upper.length - 1] as Point, p) <= 0)
      upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/**
 * The four corners of a hull: the smallest-area rectangle around it (one side lies on a
 * hull edge), then for each of its corners the hull vertex nearest to it, which follows a
 * perspective's trapezium where the rectangle would not. Clockwise on screen from the
 * vertex nearest the image's top-left.
 */
export function hullCorners(hull: Point[]): Quad | null {
  if (hull.length < 4) return null;
  let best: { area: number; corners: Point[] } | null = null;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i] as Point;
    const b = hull[(i + 1) % hull.length] as Point;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len === 0) continue;
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    let minU = Number.POSITIVE_INFINITY;
    let maxU = Number.NEGATIVE_INFINITY;
    let minV = Number.POSITIVE_INFINITY;
    let maxV = Number.NEGATIVE_INFINITY;
    for (const p of hull) {
      const u = (p.x - a.x) * ux + (p.y - a.y) * uy;
      const v = -(p.x - a.x) * uy + (p.y - a.y) * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (best && area >= best.area) continue;
    const at = (u: number, v: number) => ({ x: a.x + u * ux - v * uy, y: a.y + u * uy + v * ux });
    best = { area, corners: [at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)] };
  }
  if (!best) return null;
  const snapped = best.corners.map((c) => {
    let near = hull[0] as Point;
    for (const p of hull) if (Math.hypot(p.x - c.x, p.y - c.y) < Math.hypot(near.x - c.x, near.y - c.y)) near = p;
    return near;
  });
  // Clockwise on screen (y down), starting from the corner nearest the image's origin.
  const cx = snapped.reduce((s, p) => s + p.x, 0) / 4;
  const cy = snapped.reduce((s, p) => s + p.y, 0) / 4;
  snapped.sort((p, q) => Math.atan2(p.y - cy, p.x - cx) - Math.atan2(q.y - cy, q.x - cx));
  let first = 0;
  for (let i = 1; i < 4; i++) {
    const p = snapped[i] as Point;
    const f = snapped[first] as Point;
    if (p.x + p.y < f.x + f.y) first = i;
  }
  const quad = [0, 1, 2, 3].map((k) => snapped[(first + k) % 4] as Point) as Quad;
  return new Set(quad.map((p) => `${p.x},${p.y}`)).size === 4 ? quad : null;
}

/**
 * Rough outer corners of the largest ink blob in a crop (a code's outline), or null: ink
 * is darker than Otsu's level, closed by `close` pixels so a code's modules join into one
 * blob while its four-module quiet zone keeps text apart.
 */
export function outlineQuad(crop: GreyImage, close = 1): Quad | null {
  const { width: w, height: h, data } = crop;
  if (w < 21 || h < 21) return null;
  const level = otsuThreshold(crop);
  const ink = new Uint8Array(w * h);
  for (let i = 0; i < ink.length; i++) ink[i] = (data[i] ?? 255) < level ? 1 : 0;
  const closed = close > 0 ? morph(morph(ink, w, h, close, true), w, h, close, false) : ink;
  const pixels = largestComponent(closed, w, h);
  if (pixels.length < 2 * 21 * 21) return null;
  // Each ink pixel is a unit square; only a row's outermost ones can be on the hull.
  const left = new Int32Array(h).fill(w);
  const right = new Int32Array(h).fill(-1);
  for (let k = 0; k < pixels.length; k += 2) {
    const x = pixels[k] ?? 0;
    const y = pixels[k + 1] ?? 0;
    left[y] = Math.min(left[y] ?? w, x);
    right[y] = Math.max(right[y] ?? -1, x);
  }
  const points: Point[] = [];
  for (let y = 0; y < h; y++) {
    const x0 = left[y] ?? w;
    const x1 = (right[y] ?? -1) + 1;
    if (x1 <= x0) continue;
    points.push({ x: x0, y }, { x: x0, y: y + 1 }, { x: x1, y }, { x: x1, y: y + 1 });
  }
  return hullCorners(convexHull(points));
}

/** A grid hypothesis: corners in code order (top-left, top-right, bottom-right, bottom-left) and its version. */
export interface GridGuess {
  quad: Quad;
  version: number;
  /** Agreement of the fixed patterns with the samples, -1..1 (see `fitGrid`). */
  score: number;
}

/**
 * Pixels a module above which a code is left to zxing's own detector and the grid reader
 * (they locate it there); it also bounds how many versions are tried on a large crop.
 */
export const MAX_OUTLINE_PX = 2.6;

/** The four ways a square's corners can be the code's top-left first. */
const turns = (q: Quad): Quad[] => [0, 1, 2, 3].map((k) => [0, 1, 2, 3].map((i) => q[(i + k) % 4]) as Quad);

/**
 * The likeliest grids for the code whose outline is `rough`: every version whose modules
 * would be 0.9 to `MAX_OUTLINE_PX` pixels, in each of the four turns, ranked by how well their fixed
 * patterns agree with the samples; the best `keep` are then fitted (`fitGrid`) and
 * returned best first. The score only orders the tries: Reed-Solomon decides.
 */
export function guessGrids(crop: GreyImage, rough: Quad, keep = 3): GridGuess[] {
  const side = Math.min(
    ...[0, 1, 2, 3].map((i) => {
      const a = rough[i] as Point;
      const b = rough[(i + 1) % 4] as Point;
      return Math.hypot(b.x - a.x, b.y - a.y);
    }),
  );
  const coarse: GridGuess[] = [];
  for (let version = 1; version <= 40; version++) {
    const px = side / (17 + 4 * version);
    if (px > MAX_OUTLINE_PX || px < 0.9) continue;
    for (const quad of turns(rough)) coarse.push({ quad, version, score: agreementAt(crop, quad, version) });
  }
  coarse.sort((a, b) => b.score - a.score);
  // A short fit of each, then the best one fitted to the end: most of the cost is here.
  const fitted = coarse
    .slice(0, keep)
    .map(({ quad, version }) => ({ version, ...fitGrid(crop, quad, version, 120) }))
    .sort((a, b) => b.score - a.score);
  const [first] = fitted;
  if (first) fitted[0] = { version: first.version, ...fitGrid(crop, first.quad, first.version, 400) };
  return fitted.sort((a, b) => b.score - a.score);
}

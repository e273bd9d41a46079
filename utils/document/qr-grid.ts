/**
 * Reading a QR code's module grid ourselves, for codes zxing can locate but not read:
 * phone photos where a module is 2 to 3 pixels and blurred, so zxing's own sampler
 * (one binarized pixel per module) gets too many modules wrong for Reed-Solomon.
 *
 * Given the four corners zxing found for a symbol it could not decode, this fits the
 * perspective (a homography, ISO/IEC 18004 §6.3 modules on a square grid) to the
 * patterns every QR code of that size must contain (finder, timing and alignment
 * patterns, version information: §6.3.2–6.3.6, §6.10), samples the grey value at every
 * module centre, and classifies the modules with a small linear equalizer trained on
 * those same known modules, which undoes much of the blur between neighbours. The
 * result is redrawn as a clean code for zxing to decode: Reed-Solomon still has the
 * last word, so a wrong guess here yields no text, never a wrong one.
 */
import type { GreyImage } from './image-types.ts';

export interface Point {
  x: number;
  y: number;
}

/** A symbol's outer corners in image pixels: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

/** Row-major 3x3 projective transform, h[8] = 1. */
export type Homography = number[];

/**
 * The homography taking the four `from` points onto the four `to` points, or null when
 * they are degenerate (three in a line).
 *
 * @example mapPoint(homography(unitSquare, quad) ?? [], { x: 1, y: 0 }) // quad[1]
 */
export function homography(from: Quad, to: Quad): Homography | null {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i] as Point;
    const { x: u, y: v } = to[i] as Point;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gauss-Jordan elimination with partial pivoting on the 8x9 augmented matrix.
  for (let c = 0; c < 8; c++) {
    let pivot = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[pivot]?.[c] ?? 0)) pivot = r;
    const rowP = a[pivot] as number[];
    if (Math.abs(rowP[c] ?? 0) < 1e-12) return null;
    a[pivot] = a[c] as number[];
    a[c] = rowP;
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const row = a[r] as number[];
      const f = (row[c] ?? 0) / (rowP[c] ?? 1);
      if (f === 0) continue;
      for (let k = c; k < 9; k++) row[k] = (row[k] ?? 0) - f * (rowP[k] ?? 0);
    }
  }
  const h = a.map((row, i) => (row[8] ?? 0) / (row[i] ?? 1));
  h.push(1);
  return h;
}

/** Applies a homography to a point. */
export function mapPoint(h: Homography, p: Point): Point {
  const d = (h[6] ?? 0) * p.x + (h[7] ?? 0) * p.y + (h[8] ?? 1);
  return {
    x: ((h[0] ?? 0) * p.x + (h[1] ?? 0) * p.y + (h[2] ?? 0)) / d,
    y: ((h[3] ?? 0) * p.x + (h[4] ?? 0) * p.y + (h[5] ?? 0)) / d,
  };
}

/** Centre coordinates of the alignment patterns of a version (ISO/IEC 18004 Annex E). */
export function alignmentCentres(version: number): number[] {
  if (version < 2) return [];
  const size = 17 + 4 * version;
  const count = Math.floor(version / 7) + 2;
  const step = version === 32 ? 26 : Math.ceil((size - 13) / (2 * count - 2)) * 2;
  const out = [6];
  for (let pos = size - 7, i = 0; i < count - 1; i++, pos -= step) out.splice(1, 0, pos);
  return out;
}

/** The 18-bit version information word: the version and its BCH(18,6) remainder (§6.10, Annex D). */
export function versionBits(version: number): number {
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >> 11) * 0x1f25);
  return (version << 12) | (rem & 0xfff);
}

/**
 * The modules every code of `version` has regardless of its content: +1 dark, -1 light,
 * 0 unknown (data, error correction and format information, which depends on the mask).
 * Indexed `y * size + x`.
 *
 * @example knownModules(1)[0] // 1: the top-left finder's corner is dark
 */
export function knownModules(version: number): Int8Array {
  const size = 17 + 4 * version;
  const known = new Int8Array(size * size);
  const set = (x: number, y: number, dark: boolean) => {
    if (x >= 0 && y >= 0 && x < size && y < size) known[y * size + x] = dark ? 1 : -1;
  };
  for (let i = 8; i < size - 8; i++) {
    set(i, 6, i % 2 === 0);
    set(6, i, i % 2 === 0);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        set(cx + dx, cy + dy, d !== 2 && d !== 4);
      }
    }
  }
  const centres = alignmentCentres(version);
  const last = centres.length - 1;
  for (const [i, cy] of centres.entries()) {
    for (const [j, cx] of centres.entries()) {
      // The three corners where a finder pattern sits have no alignment pattern.
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, dark);
      set(b, a, dark);
    }
  }
  set(8, size - 8, true); // the dark module (§6.9)
  return known;
}

function bilinear(image: GreyImage, x: number, y: number): number {
  const { width: w, height: h, data } = image;
  const cx = Math.min(w - 1.001, Math.max(0, x - 0.5));
  const cy = Math.min(h - 1.001, Math.max(0, y - 0.5));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const fx = cx - x0;
  const fy = cy - y0;
  const i = y0 * w + x0;
  const top = (data[i] ?? 0) * (1 - fx) + (data[i + 1] ?? 0) * fx;
  const bottom = (data[i + w] ?? 0) * (1 - fx) + (data[i + w + 1] ?? 0) * fx;
  return top * (1 - fy) + bottom * fy;
}

const unitQuad = (size: number): Quad => [
  { x: 0, y: 0 },
  { x: size, y: 0 },
  { x: size, y: size },
  { x: 0, y: size },
];

/**
 * The grey value at every module centre of a `size` x `size` grid whose outer corners
 * are `quad` (pixel centres at half-integers, as zxing reports positions).
 */
export function sampleModules(image: GreyImage, quad: Quad, size: number, only?: Int8Array): Float32Array | null {
  const h = homography(unitQuad(size), quad);
  if (!h) return null;
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (only && only[y * size + x] === 0) continue;
      const p = mapPoint(h, { x: x + 0.5, y: y + 0.5 });
      out[y * size + x] = bilinear(image, p.x, p.y);
    }
  }
  return out;
}

/** How well the samples match the known modules: Pearson correlation of darkness with +1/-1. */
function agreement(samples: Float32Array, known: Int8Array): number {
  let n = 0;
  let sk = 0;
  let ss = 0;
  let sss = 0;
  let ssk = 0;
  for (let i = 0; i < known.length; i++) {
    const k = known[i] ?? 0;
    if (k === 0) continue;
    const s = -(samples[i] ?? 0);
    n++;
    sk += k;
    ss += s;
    sss += s * s;
    ssk += s * k;
  }
  if (n < 2) return -1;
  const cov = ssk / n - (ss / n) * (sk / n);
  const varS = sss / n - (ss / n) ** 2;
  const varK = 1 - (sk / n) ** 2;
  return varS > 0 && varK > 0 ? cov / Math.sqrt(varS * varK) : -1;
}

/** How well a `version` grid with outer corners `quad` agrees with the image's fixed patterns (-1..1). */
export function agreementAt(image: GreyImage, quad: Quad, version: number): number {
  const known = knownModules(version);
  const samples = sampleModules(image, quad, 17 + 4 * version, known);
  return samples ? agreement(samples, known) : -1;
}

/**
 * Moves the four corners, a fraction of a module at a time, to where the sampled grid
 * agrees best with the code's fixed patterns (coordinate ascent, at most `maxEvaluations`
 * samplings of the ~700 fixed modules). Returns the fitted corners and their agreement (-1..1).
 */
export function fitGrid(
  image: GreyImage,
  start: Quad,
  version: number,
  maxEvaluations = 400,
): { quad: Quad; score: number } {
  const size = 17 + 4 * version;
  const known = knownModules(version);
  const coords = start.flatMap((p) => [p.x, p.y]);
  const quadOf = (c: number[]): Quad => [0, 1, 2, 3].map((i) => ({ x: c[2 * i] ?? 0, y: c[2 * i + 1] ?? 0 })) as Quad;
  const score = (c: number[]) => {
    const samples = sampleModules(image, quadOf(c), size, known);
    return samples ? agreement(samples, known) : -1;
  };
  let best = score(coords);
  let evaluations = 1;
  const pixelsPerModule = Math.hypot((start[1].x - start[0].x) / size, (start[1].y - start[0].y) / size);
  for (let step = pixelsPerModule; step >= pixelsPerModule / 8 && evaluations < maxEvaluations; step /= 2) {
    let improved = true;
    while (improved && evaluations < maxEvaluations) {
      improved = false;
      for (let k = 0; k < 8 && evaluations < maxEvaluations; k++) {
        for (const sign of [1, -1]) {
          const trial = [...coords];
          trial[k] = (trial[k] ?? 0) + sign * step;
          const s = score(trial);
          evaluations++;
          if (s > best) {
            best = s;
            coords[k] = trial[k] ?? 0;
            improved = true;
            break;
          }
        }
      }
    }
  }
  return { quad: quadOf(coords), score: best };
}

/** Solves the normal equations of a small least-squares problem (Gaussian elimination). */
function leastSquares(rows: number[][], targets: number[]): number[] | null {
  const m = rows[0]?.length ?? 0;
  const a = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
  for (const [r, row] of rows.entries()) {
    for (let i = 0; i < m; i++) {
      const ai = a[i] as number[];
      for (let j = 0; j < m; j++) ai[j] = (ai[j] ?? 0) + (row[i] ?? 0) * (row[j] ?? 0);
      ai[m] = (ai[m] ?? 0) + (row[i] ?? 0) * (targets[r] ?? 0);
    }
  }
  for (let i = 0; i < m; i++) (a[i] as number[])[i] = ((a[i] as number[])[i] ?? 0) + 1e-6; // ridge
  for (let c = 0; c < m; c++) {
    let pivot = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[pivot]?.[c] ?? 0)) pivot = r;
    const rowP = a[pivot] as number[];
    if (Math.abs(rowP[c] ?? 0) < 1e-12) return null;
    a[pivot] = a[c] as number[];
    a[c] = rowP;
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const row = a[r] as number[];
      const f = (row[c] ?? 0) / (rowP[c] ?? 1);
      for (let k = c; k <= m; k++) row[k] = (row[k] ?? 0) - f * (rowP[k] ?? 0);
    }
  }
  return a.map((row, i) => (row[m] ?? 0) / (row[i] ?? 1));
}

/** Mean of the samples over a (2r+1)-module square around each module, clamped at the edges. */
function localMean(samples: Float32Array, size: number, r: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sum = 0;
      let n = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(size - 1, y + r); yy++) {
        for (let xx = Math.max(0, x - r); xx <= Math.min(size - 1, x + r); xx++) {
          sum += samples[yy * size + xx] ?? 0;
          n++;
        }
      }
      out[y * size + x] = sum / n;
    }
  }
  return out;
}

/**
 * Decides dark or light for every module from its grey sample. A linear equalizer
 * (weights for the module, its 4 and 4 diagonal neighbours, and the local mean) is
 * fitted by least squares to the known modules, so it learns this photo's blur and
 * contrast; `feedback` passes then add the neighbours' decisions as a feature, which
 * cancels the blur a dark neighbour spills onto a light module (decision feedback).
 * Returns one variant a pass (1 = dark), best guess first.
 *
 * @example classifyModules(sampleModules(img, quad, 93) ?? new Float32Array(), knownModules(19), 2)
 */
export function classifyModules(samples: Float32Array, known: Int8Array, feedback = 3): Uint8Array[] {
  const size = Math.round(Math.sqrt(samples.length));
  const mean = localMean(samples, size, 4);
  // Neighbour rings by distance: the 4 edge neighbours, the 4 diagonal ones, the 4 two modules away.
  const rings = [
    [
      [-1, 0],
      [1, 0],
      [0, -1],
      [0, 1],
    ],
    [
      [-1, -1],
      [1, -1],
      [-1, 1],
      [1, 1],
    ],
    [
      [-2, 0],
      [2, 0],
      [0, -2],
      [0, 2],
    ],
  ];
  const features = (i: number, decisions: Float32Array | null): number[] => {
    const x = i % size;
    const y = (i - x) / size;
    const m = mean[i] ?? 0;
    const f = [1, (samples[i] ?? 0) - m];
    for (const ring of rings) {
      let sum = 0;
      for (const [dx = 0, dy = 0] of ring) {
        const xx = x + dx;
        const yy = y + dy;
        sum += xx < 0 || yy < 0 || xx >= size || yy >= size ? 0 : (samples[yy * size + xx] ?? m) - m;
      }
      f.push(sum);
    }
    if (decisions) {
      for (const ring of rings) {
        let sum = 0;
        // Outside the symbol is the light quiet zone.
        for (const [dx = 0, dy = 0] of ring) {
          const xx = x + dx;
          const yy = y + dy;
          sum += xx < 0 || yy < 0 || xx >= size || yy >= size ? -1 : (decisions[yy * size + xx] ?? 0);
        }
        f.push(sum);
      }
    }
    return f;
  };
  const variants: Uint8Array[] = [];
  let decisions: Float32Array | null = null;
  for (let pass = 0; pass <= feedback; pass++) {
    const rows: number[][] = [];
    const targets: number[] = [];
    for (let i = 0; i < known.length; i++) {
      const k = known[i] ?? 0;
      // The first pass learns from the known modules only; later passes also from every
      // decided module (decision-directed training), which covers the data's patterns.
      const target = k !== 0 ? k : decisions ? (decisions[i] ?? 0) : 0;
      if (target === 0) continue;
      rows.push(features(i, decisions));
      targets.push(target);
    }
    const w = leastSquares(rows, targets);
    if (!w) break;
    const next = new Float32Array(size * size);
    const bits = new Uint8Array(size * size);
    for (let i = 0; i < bits.length; i++) {
      const k = known[i] ?? 0;
      let v = 0;
      for (const [j, f] of features(i, decisions).entries()) v += (w[j] ?? 0) * f;
      // Known modules keep their known value: they feed the next pass's neighbours exactly.
      const dark = k !== 0 ? k > 0 : v > 0;
      bits[i] = dark ? 1 : 0;
      next[i] = dark ? 1 : -1;
    }
    variants.push(bits);
    decisions = next;
  }
  return variants;
}

/**
 * Draws a module matrix as a clean black-on-white code, `scale` pixels a module, with
 * the four-module quiet zone the standard asks for (§6.3.8).
 *
 * @example renderModules(bits, 93, 3).width // (93 + 8) * 3
 */
export function renderModules(bits: Uint8Array, size: number, scale = 3): GreyImage {
  const side = (size + 8) * scale;
  const data = new Uint8ClampedArray(side * side).fill(255);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!bits[y * size + x]) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = ((y + 4) * scale + dy) * side + (x + 4) * scale;
        data.fill(0, row, row + scale);
      }
    }
  }
  return { width: side, height: side, data };
}

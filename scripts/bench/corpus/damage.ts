/**
 * Damage for the reader benchmark's corpus, modelled on how letters reach clinics:
 * scanner skew and orientation, blur, sensor and fax noise, portal re-compression, faded
 * toner, uneven lighting, phone photos at an angle, and a red seal across the code.
 * Every function is seeded and pure: the same corpus is built on every machine.
 */
import type { RgbaImage } from '../../../utils/document/image-types.ts';

export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const blank = (width: number, height: number, fill = 255): RgbaImage => {
  const data = new Uint8ClampedArray(width * height * 4).fill(fill);
  for (let p = 3; p < data.length; p += 4) data[p] = 255;
  return { width, height, data };
};

function sample(img: RgbaImage, x: number, y: number, out: number[], background: number[]): void {
  if (x < 0 || y < 0 || x > img.width - 1 || y > img.height - 1) {
    out[0] = background[0] ?? 255;
    out[1] = background[1] ?? 255;
    out[2] = background[2] ?? 255;
    return;
  }
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(img.width - 1, x0 + 1);
  const y1 = Math.min(img.height - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  for (let k = 0; k < 3; k++) {
    const a = img.data[(y0 * img.width + x0) * 4 + k] ?? 0;
    const b = img.data[(y0 * img.width + x1) * 4 + k] ?? 0;
    const c = img.data[(y1 * img.width + x0) * 4 + k] ?? 0;
    const d = img.data[(y1 * img.width + x1) * 4 + k] ?? 0;
    out[k] = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
  }
}

/** Rotation by any angle (degrees, clockwise) onto a canvas large enough to hold the page; white fill. */
export function rotate(img: RgbaImage, degrees: number): RgbaImage {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const w = Math.round(Math.abs(img.width * cos) + Math.abs(img.height * sin));
  const h = Math.round(Math.abs(img.width * sin) + Math.abs(img.height * cos));
  const out = blank(w, h);
  const px = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x - w / 2;
      const dy = y - h / 2;
      sample(img, cos * dx + sin * dy + img.width / 2, -sin * dx + cos * dy + img.height / 2, px, [255, 255, 255]);
      const o = (y * w + x) * 4;
      out.data[o] = px[0] ?? 0;
      out.data[o + 1] = px[1] ?? 0;
      out.data[o + 2] = px[2] ?? 0;
    }
  }
  return out;
}

/**
 * Gaussian blur of standard deviation `sigma` pixels, by a separable sampled kernel
 * (radius 3 sigma). An earlier version used three box blurs of radius at least 1, which
 * made every sigma under about 1.4 px a sigma of 1.41 px: the corpus's "blur 0.7" photos
 * were twice as soft as their label, past what a person could read by eye.
 */
export function blur(img: RgbaImage, sigma: number): RgbaImage {
  if (sigma <= 0) return img;
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const weights = kernel.map((k) => k / total);
  return convolvePass(convolvePass(img, weights, true), weights, false);
}

function convolvePass(img: RgbaImage, weights: number[], horizontal: boolean): RgbaImage {
  const { width: w, height: h } = img;
  const out = { width: w, height: h, data: new Uint8ClampedArray(img.data) };
  const r = (weights.length - 1) / 2;
  const lines = horizontal ? h : w;
  const length = horizontal ? w : h;
  const index = (line: number, i: number) => (horizontal ? line * w + i : i * w + line) * 4;
  for (let line = 0; line < lines; line++) {
    for (let i = 0; i < length; i++) {
      for (let k = 0; k < 3; k++) {
        let sum = 0;
        for (let t = -r; t <= r; t++)
          sum += (weights[t + r] ?? 0) * (img.data[index(line, Math.min(length - 1, Math.max(0, i + t))) + k] ?? 0);
        out.data[index(line, i) + k] = sum;
      }
    }
  }
  return out;
}

/** Additive gaussian noise of standard deviation `sigma` grey levels (sensor noise). */
export function gaussianNoise(img: RgbaImage, sigma: number, seed: number): RgbaImage {
  const random = seeded(seed);
  const out = { ...img, data: new Uint8ClampedArray(img.data) };
  for (let p = 0; p < out.data.length; p += 4) {
    const n = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()) * sigma;
    out.data[p] = (out.data[p] ?? 0) + n;
    out.data[p + 1] = (out.data[p + 1] ?? 0) + n;
    out.data[p + 2] = (out.data[p + 2] ?? 0) + n;
  }
  return out;
}

/** Salt-and-pepper: a fraction of pixels set to pure black or white (fax, dusty scanner glass). */
export function saltAndPepper(img: RgbaImage, fraction: number, seed: number): RgbaImage {
  const random = seeded(seed);
  const out = { ...img, data: new Uint8ClampedArray(img.data) };
  for (let p = 0; p < out.data.length; p += 4) {
    if (random() >= fraction) continue;
    const v = random() < 0.5 ? 0 : 255;
    out.data[p] = v;
    out.data[p + 1] = v;
    out.data[p + 2] = v;
  }
  return out;
}

/** Faded toner on grey paper: black becomes `low`, white becomes `high`. */
export function lowContrast(img: RgbaImage, low = 120, high = 200): RgbaImage {
  const out = { ...img, data: new Uint8ClampedArray(img.data) };
  for (let p = 0; p < out.data.length; p++)
    if (p % 4 !== 3) out.data[p] = low + ((img.data[p] ?? 0) * (high - low)) / 255;
  return out;
}

/** A lamp on one side: brightness falls from 100% to `darkest` across the page, with a soft shadow. */
export function unevenLighting(img: RgbaImage, darkest = 0.45): RgbaImage {
  const out = { ...img, data: new Uint8ClampedArray(img.data) };
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const t = (x / img.width + y / img.height) / 2;
      const shade = 1 - (1 - darkest) * t ** 1.5;
      const o = (y * img.width + x) * 4;
      for (let k = 0; k < 3; k++) out.data[o + k] = (img.data[o + k] ?? 0) * shade;
    }
  }
  return out;
}

/** Solves the 3x3 homography mapping four source points onto four destination points. */
function homography(src: number[][], dst: number[][]): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i] as [number, number];
    const [u, v] = dst[i] as [number, number];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < 8; c++) {
    let pivot = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[pivot]?.[c] ?? 0)) pivot = r;
    [a[c], a[pivot]] = [a[pivot] as number[], a[c] as number[]];
    [b[c], b[pivot]] = [b[pivot] as number, b[c] as number];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = (a[r]?.[c] ?? 0) / (a[c]?.[c] ?? 1);
      for (let k = c; k < 8; k++) (a[r] as number[])[k] = (a[r]?.[k] ?? 0) - f * (a[c]?.[k] ?? 0);
      b[r] = (b[r] ?? 0) - f * (b[c] ?? 0);
    }
  }
  return [...b.map((v, i) => v / (a[i]?.[i] ?? 1)), 1];
}

/**
 * A phone photo of the page: the sheet seen at an angle (keystone and a small turn) on a
 * desk, `width` pixels wide, with the soft focus, noise and lamp light of a phone camera.
 */
export function phonePhoto(page: RgbaImage, width: number, seed: number): RgbaImage {
  return phonePhotoMapped(page, width, seed).image;
}

/** Sub-pixel offsets at which a photo pixel samples the page (its area, in thirds). */
const SUBPIXEL = [-1 / 3, 0, 1 / 3];

/** `phonePhoto`, with where each page point lands in the photo (to measure the code there). */
export function phonePhotoMapped(
  page: RgbaImage,
  width: number,
  seed: number,
  blurSigma = 0.7,
): { image: RgbaImage; toPhoto: (x: number, y: number) => { x: number; y: number } } {
  const random = seeded(seed);
  const height = Math.round((width * 4) / 3);
  const j = () => (random() - 0.5) * 0.06;
  // Where the page's corners land in the photo (fractions of the frame): wider at the bottom.
  const corners = [
    [0.16 + j(), 0.08 + j()],
    [0.86 + j(), 0.1 + j()],
    [0.95 + j(), 0.93 + j()],
    [0.05 + j(), 0.9 + j()],
  ].map(([x, y]) => [(x ?? 0) * width, (y ?? 0) * height]);
  const src = [
    [0, 0],
    [page.width, 0],
    [page.width, page.height],
    [0, page.height],
  ];
  const h = homography(corners, src); // photo pixel -> page pixel
  const g = homography(src, corners);
  const toPhoto = (x: number, y: number) => {
    const d = (g[6] ?? 0) * x + (g[7] ?? 0) * y + 1;
    return {
      x: ((g[0] ?? 0) * x + (g[1] ?? 0) * y + (g[2] ?? 0)) / d,
      y: ((g[3] ?? 0) * x + (g[4] ?? 0) * y + (g[5] ?? 0)) / d,
    };
  };
  const out = blank(width, height);
  const px = [0, 0, 0];
  const desk = [120, 105, 90];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // A sensor pixel integrates the light over its area (and a phone's 12 MP frame is
      // area-averaged down to the width sent): 3x3 samples over the pixel, not one point,
      // which would alias the page's fine print and modules as no camera does.
      let r = 0;
      let gr = 0;
      let b = 0;
      for (const oy of SUBPIXEL) {
        for (const ox of SUBPIXEL) {
          const e = (h[6] ?? 0) * (x + ox) + (h[7] ?? 0) * (y + oy) + 1;
          const ux = ((h[0] ?? 0) * (x + ox) + (h[1] ?? 0) * (y + oy) + (h[2] ?? 0)) / e;
          const uy = ((h[3] ?? 0) * (x + ox) + (h[4] ?? 0) * (y + oy) + (h[5] ?? 0)) / e;
          sample(page, ux, uy, px, desk);
          r += px[0] ?? 0;
          gr += px[1] ?? 0;
          b += px[2] ?? 0;
        }
      }
      const n = SUBPIXEL.length * SUBPIXEL.length;
      const o = (y * width + x) * 4;
      out.data[o] = r / n;
      out.data[o + 1] = gr / n;
      out.data[o + 2] = b / n;
    }
  }
  return { image: gaussianNoise(unevenLighting(blur(out, blurSigma), 0.7), 5, seed + 1), toPhoto };
}

/** Averages `factor` x `factor` blocks (how a scanner or camera integrates light at a lower resolution). */
export function shrink(img: RgbaImage, factor: number): RgbaImage {
  if (factor <= 1) return img;
  const w = Math.floor(img.width / factor);
  const h = Math.floor(img.height / factor);
  const out = blank(w, h);
  const f = Math.floor(factor);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < 3; k++) {
        let sum = 0;
        for (let dy = 0; dy < f; dy++)
          for (let dx = 0; dx < f; dx++) sum += img.data[((y * f + dy) * img.width + x * f + dx) * 4 + k] ?? 0;
        out.data[(y * w + x) * 4 + k] = sum / (f * f);
      }
    }
  }
  return out;
}

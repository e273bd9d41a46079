/**
 * How a printed letter becomes the pixels a clinic receives, for the reader benchmark's
 * corpus (issue #8): a code redrawn at a chosen printed size, scanner skew turned in
 * software (nearest-neighbour or bilinear), resampling to a chat app's 1280 px with JPEG
 * recompression, bilevel fax, faded toner, paper curl, a PDF viewer's screenshot.
 * Every function is seeded and pure. None knows anything about any reader.
 */
import jpeg from 'jpeg-js';
import { toJpeg } from '../../../tests/fixtures/documents/make-documents.ts';
import type { RgbaImage } from '../../../utils/document/image-types.ts';
import { seeded } from './damage.ts';

export const blankPage = (width: number, height: number, fill = 255): RgbaImage => {
  const data = new Uint8ClampedArray(width * height * 4).fill(fill);
  for (let p = 3; p < data.length; p += 4) data[p] = 255;
  return { width, height, data };
};

const copy = (img: RgbaImage): RgbaImage => ({ ...img, data: new Uint8ClampedArray(img.data) });

/**
 * Paints a QR matrix with its top-left module corner at (x0, y0), `module` pixels a module,
 * each pixel the exact fraction of its area that dark modules cover (an ideal scanner's
 * integration over its sensor cell), after first whitening the code's quiet zone.
 */
export function drawCode(img: RgbaImage, matrix: boolean[][], x0: number, y0: number, module: number): RgbaImage {
  const out = copy(img);
  const n = matrix.length;
  const side = n * module;
  const q = 4 * module;
  const px0 = Math.max(0, Math.floor(x0 - q));
  const py0 = Math.max(0, Math.floor(y0 - q));
  const px1 = Math.min(img.width, Math.ceil(x0 + side + q));
  const py1 = Math.min(img.height, Math.ceil(y0 + side + q));
  // Coverage of pixel interval [p, p+1) by module interval [m, m+1) along one axis.
  const overlap = (p: number, m: number, origin: number) => {
    const a = Math.max(p, origin + m * module);
    const b = Math.min(p + 1, origin + (m + 1) * module);
    return Math.max(0, b - a);
  };
  for (let y = py0; y < py1; y++) {
    const my0 = Math.max(0, Math.floor((y - y0) / module));
    const my1 = Math.min(n - 1, Math.floor((y + 1 - y0) / module));
    for (let x = px0; x < px1; x++) {
      const mx0 = Math.max(0, Math.floor((x - x0) / module));
      const mx1 = Math.min(n - 1, Math.floor((x + 1 - x0) / module));
      let dark = 0;
      for (let my = my0; my <= my1; my++) {
        const oy = overlap(y, my, y0);
        if (oy <= 0) continue;
        const row = matrix[my];
        for (let mx = mx0; mx <= mx1; mx++) if (row?.[mx]) dark += oy * overlap(x, mx, x0);
      }
      const v = 255 * (1 - Math.min(1, dark));
      const o = (y * img.width + x) * 4;
      out.data[o] = v;
      out.data[o + 1] = v;
      out.data[o + 2] = v;
    }
  }
  return out;
}

/** Resamples to `width` x `height` by area averaging (what a downscaling scanner or a chat app's resize does). */
export function resample(img: RgbaImage, width: number, height: number): RgbaImage {
  const axis = (from: number, to: number) => {
    const scale = from / to;
    return Array.from({ length: to }, (_, i) => {
      const a = i * scale;
      const b = (i + 1) * scale;
      const taps: [number, number][] = [];
      for (let s = Math.floor(a); s < Math.ceil(b) && s < from; s++) {
        const w = Math.min(b, s + 1) - Math.max(a, s);
        if (w > 0) taps.push([s, w / scale]);
      }
      return taps;
    });
  };
  const xs = axis(img.width, width);
  const ys = axis(img.height, height);
  const rows = new Float32Array(width * img.height * 3);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      for (const [s, w] of xs[x] ?? []) {
        const i = (y * img.width + s) * 4;
        const o = (y * width + x) * 3;
        rows[o] = (rows[o] ?? 0) + w * (img.data[i] ?? 0);
        rows[o + 1] = (rows[o + 1] ?? 0) + w * (img.data[i + 1] ?? 0);
        rows[o + 2] = (rows[o + 2] ?? 0) + w * (img.data[i + 2] ?? 0);
      }
    }
  }
  const out = blankPage(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [s, w] of ys[y] ?? []) {
        const i = (s * width + x) * 3;
        r += w * (rows[i] ?? 0);
        g += w * (rows[i + 1] ?? 0);
        b += w * (rows[i + 2] ?? 0);
      }
      const o = (y * width + x) * 4;
      out.data[o] = r;
      out.data[o + 1] = g;
      out.data[o + 2] = b;
    }
  }
  return out;
}

/** Scales so the long side is `long` pixels (never enlarges). */
export function fitLongSide(img: RgbaImage, long: number): RgbaImage {
  const k = long / Math.max(img.width, img.height);
  if (k >= 1) return img;
  return resample(img, Math.round(img.width * k), Math.round(img.height * k));
}

/**
 * Turns the page by `degrees` (clockwise) about its centre onto a canvas that holds it, as
 * scanner software deskews or skews: `nearest` keeps the jagged, duplicated pixel rows of
 * a fast rotation, `bilinear` the softened edges of a careful one.
 */
export function rotateWith(img: RgbaImage, degrees: number, filter: 'nearest' | 'bilinear'): RgbaImage {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const w = Math.round(Math.abs(img.width * cos) + Math.abs(img.height * sin));
  const h = Math.round(Math.abs(img.width * sin) + Math.abs(img.height * cos));
  const out = blankPage(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x + 0.5 - w / 2;
      const dy = y + 0.5 - h / 2;
      const sx = cos * dx + sin * dy + img.width / 2 - 0.5;
      const sy = -sin * dx + cos * dy + img.height / 2 - 0.5;
      const o = (y * w + x) * 4;
      if (sx < -0.5 || sy < -0.5 || sx > img.width - 0.5 || sy > img.height - 0.5) continue;
      if (filter === 'nearest') {
        const i = (Math.min(img.height - 1, Math.round(sy)) * img.width + Math.min(img.width - 1, Math.round(sx))) * 4;
        out.data[o] = img.data[i] ?? 255;
        out.data[o + 1] = img.data[i + 1] ?? 255;
        out.data[o + 2] = img.data[i + 2] ?? 255;
        continue;
      }
      const x0 = Math.max(0, Math.floor(sx));
      const y0 = Math.max(0, Math.floor(sy));
      const x1 = Math.min(img.width - 1, x0 + 1);
      const y1 = Math.min(img.height - 1, y0 + 1);
      const fx = Math.max(0, sx - x0);
      const fy = Math.max(0, sy - y0);
      for (let k = 0; k < 3; k++) {
        const a = img.data[(y0 * img.width + x0) * 4 + k] ?? 0;
        const b = img.data[(y0 * img.width + x1) * 4 + k] ?? 0;
        const c = img.data[(y1 * img.width + x0) * 4 + k] ?? 0;
        const d = img.data[(y1 * img.width + x1) * 4 + k] ?? 0;
        out.data[o + k] = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
      }
    }
  }
  return out;
}

/** Where a page point lands after `rotateWith(img, degrees, …)`. */
export function rotatedPoint(img: RgbaImage, degrees: number, x: number, y: number): { x: number; y: number } {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const w = Math.round(Math.abs(img.width * cos) + Math.abs(img.height * sin));
  const h = Math.round(Math.abs(img.width * sin) + Math.abs(img.height * cos));
  const dx = x - img.width / 2;
  const dy = y - img.height / 2;
  return { x: cos * dx - sin * dy + w / 2, y: sin * dx + cos * dy + h / 2 };
}

/** JPEG at `quality`, decoded again: what a chat app or a portal hands on. */
export function recompress(img: RgbaImage, quality: number): RgbaImage {
  const decoded = jpeg.decode(toJpeg(img, quality), { useTArray: true, formatAsRGBA: true });
  return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data) };
}

/**
 * A fax or a bilevel scanner mode: grey thresholded at `threshold` with a little sensor
 * noise first (so edges break up as they do), then isolated specks of line noise.
 */
export function bilevel(img: RgbaImage, threshold: number, seed: number, specks = 0.002): RgbaImage {
  const random = seeded(seed);
  const out = copy(img);
  for (let p = 0; p < out.data.length; p += 4) {
    const noise = (random() - 0.5) * 40;
    let v =
      (img.data[p] ?? 0) * 0.3 + (img.data[p + 1] ?? 0) * 0.59 + (img.data[p + 2] ?? 0) * 0.11 + noise < threshold;
    if (random() < specks) v = !v;
    const c = v ? 0 : 255;
    out.data[p] = c;
    out.data[p + 1] = c;
    out.data[p + 2] = c;
  }
  return out;
}

/**
 * Faded or low-ink print: toner at `ink` of full darkness (0..1), paper slightly grey,
 * soft light blotches where the drum ran dry, and a pale vertical band.
 */
export function faded(img: RgbaImage, ink: number, seed: number): RgbaImage {
  const random = seeded(seed);
  const out = copy(img);
  const blotches = Array.from({ length: 40 }, () => ({
    x: random() * img.width,
    y: random() * img.height,
    r: (0.01 + random() * 0.04) * img.width,
    k: 0.3 + random() * 0.5,
  }));
  const band = { x: random() * img.width, w: img.width * (0.05 + random() * 0.08) };
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      let strength = ink;
      if (Math.abs(x - band.x) < band.w) strength *= 0.7;
      for (const b of blotches) {
        if (Math.abs(x - b.x) >= b.r || Math.abs(y - b.y) >= b.r) continue;
        const d = Math.hypot(x - b.x, y - b.y);
        if (d < b.r) strength *= 1 - b.k * (1 - d / b.r);
      }
      const o = (y * img.width + x) * 4;
      for (let k = 0; k < 3; k++) {
        const darkness = (255 - (img.data[o + k] ?? 0)) * strength;
        out.data[o + k] = 242 - darkness * (242 / 255) + (random() - 0.5) * 8;
      }
    }
  }
  return out;
}

/**
 * Paper that does not lie flat: the sheet bulges across its width (a curl near a binding
 * or a folded letter), so lines bow by up to `bow` of the height and the columns crowd
 * together at the raised side, which also falls into shadow.
 */
export function warp(img: RgbaImage, bow: number): RgbaImage {
  const { width: w, height: h } = img;
  const out = blankPage(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = x / w;
      // A cylinder seen from above: source x advances faster near the right edge.
      const sx = w * (u + 0.06 * Math.sin(Math.PI * u) * u);
      const sy = y + bow * h * Math.sin(Math.PI * u) * (y / h - 0.5) * 2 * 0.5 + bow * h * 0.3 * u * u;
      const shade = 1 - 0.35 * u ** 3;
      const o = (y * w + x) * 4;
      if (sx < 0 || sy < 0 || sx > w - 1 || sy > h - 1) continue;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let k = 0; k < 3; k++) {
        const a = img.data[(y0 * w + x0) * 4 + k] ?? 0;
        const b = img.data[(y0 * w + x0 + 1) * 4 + k] ?? a;
        const c = img.data[((y0 + 1) * w + x0) * 4 + k] ?? a;
        const d = img.data[((y0 + 1) * w + x0 + 1) * 4 + k] ?? a;
        out.data[o + k] = ((a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy) * shade;
      }
    }
  }
  return out;
}

/** Where a page point lands after `warp(img, bow)` (inverted numerically). */
export function warpedPoint(img: RgbaImage, bow: number, x: number, y: number): { x: number; y: number } {
  const { width: w, height: h } = img;
  let px = x;
  let py = y;
  for (let i = 0; i < 30; i++) {
    const u = px / w;
    const sx = w * (u + 0.06 * Math.sin(Math.PI * u) * u);
    const sy = py + bow * h * Math.sin(Math.PI * u) * (py / h - 0.5) + bow * h * 0.3 * u * u;
    px += (x - sx) * 0.8;
    py += (y - sy) * 0.8;
  }
  return { x: px, y: py };
}

/**
 * A 1920x1080 screenshot of a PDF viewer showing `page` (rendered at the viewer's zoom):
 * dark toolbar, grey backdrop, the page centred and scrolled so that `focusY` (a page
 * pixel row) sits at `at` of the visible height.
 */
export function viewerScreenshot(page: RgbaImage, focusY: number, at = 0.55): RgbaImage {
  const W = 1920;
  const H = 1080;
  const toolbar = 56;
  const out = blankPage(W, H, 82);
  for (let y = 0; y < toolbar; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 4;
      out.data[o] = 50;
      out.data[o + 1] = 54;
      out.data[o + 2] = 57;
    }
  }
  const left = Math.round((W - page.width) / 2);
  const top = Math.round(toolbar + (H - toolbar) * at - focusY);
  for (let y = toolbar; y < H; y++) {
    const sy = y - top;
    if (sy < 0 || sy >= page.height) continue;
    for (let x = Math.max(0, left); x < Math.min(W, left + page.width); x++) {
      const s = (sy * page.width + (x - left)) * 4;
      const o = (y * W + x) * 4;
      out.data[o] = page.data[s] ?? 255;
      out.data[o + 1] = page.data[s + 1] ?? 255;
      out.data[o + 2] = page.data[s + 2] ?? 255;
    }
  }
  return out;
}

/** Grey noise of `sigma` levels and a gentle box blur of radius 1 when `soft`: scanner optics. */
export function scannerOptics(img: RgbaImage, sigma: number, seed: number): RgbaImage {
  const random = seeded(seed);
  const out = copy(img);
  for (let p = 0; p < out.data.length; p += 4) {
    const n = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()) * sigma;
    out.data[p] = (out.data[p] ?? 0) + n;
    out.data[p + 1] = (out.data[p + 1] ?? 0) + n;
    out.data[p + 2] = (out.data[p + 2] ?? 0) + n;
  }
  return out;
}

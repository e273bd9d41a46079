/**
 * Pure pixel operations for the retry ladder. Each takes an image and returns a new one;
 * none keeps state. They are deliberately simple and bounded (at most a few passes over
 * the pixels) so that a failed page costs a predictable amount of time.
 */
import type { GreyImage, Rect, RgbaImage } from './image-types.ts';

const grey = (width: number, height: number): GreyImage => ({
  width,
  height,
  data: new Uint8ClampedArray(width * height),
});

/**
 * Luminance with the integer weights ZXing-C++ uses (RGBToLum), so the first pass sees
 * exactly what zxing-wasm would compute from the RGBA itself.
 *
 * @example luminance({ width: 1, height: 1, data: new Uint8ClampedArray([255, 0, 0, 255]) }).data[0] // 76
 */
export function luminance(image: RgbaImage): GreyImage {
  const out = grey(image.width, image.height);
  const src = image.data;
  const dst = out.data;
  for (let i = 0, p = 0; i < dst.length; i++, p += 4) {
    dst[i] = (306 * (src[p] ?? 0) + 601 * (src[p + 1] ?? 0) + 117 * (src[p + 2] ?? 0) + 512) >> 10;
  }
  return out;
}

/**
 * The red channel as grey. A red seal stamped across a QR code turns dark modules into
 * dark red and light ones into red: in luminance the seal is a dark blot that defeats
 * every binarizer, but in the red channel red ink is nearly as light as paper and the
 * black modules stay black.
 *
 * @example redChannel(sealed).data // the code without the seal
 */
export function redChannel(image: RgbaImage): GreyImage {
  const out = grey(image.width, image.height);
  const src = image.data;
  const dst = out.data;
  for (let i = 0, p = 0; i < dst.length; i++, p += 4) dst[i] = src[p] ?? 0;
  return out;
}

/** True when some pixel is clearly coloured (a seal, a photo), so the red channel adds something. */
export function hasColour(image: RgbaImage, step = 7): boolean {
  const d = image.data;
  for (let p = 0; p + 2 < d.length; p += 4 * step) {
    const r = d[p] ?? 0;
    const g = d[p + 1] ?? 0;
    const b = d[p + 2] ?? 0;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 48) return true;
  }
  return false;
}

/**
 * Stretches the grey levels so that the darkest `clip` of pixels become black and the
 * lightest `clip` white: a faint, low-contrast scan becomes black on white.
 *
 * @example contrastStretch(faint).data // spans 0..255
 */
export function contrastStretch(image: GreyImage, clip = 0.01): GreyImage {
  const histogram = new Uint32Array(256);
  for (const v of image.data) histogram[v] = (histogram[v] ?? 0) + 1;
  const total = image.data.length;
  const cut = Math.floor(total * clip);
  let low = 0;
  for (let seen = 0; low < 255; low++) {
    seen += histogram[low] ?? 0;
    if (seen > cut) break;
  }
  let high = 255;
  for (let seen = 0; high > 0; high--) {
    seen += histogram[high] ?? 0;
    if (seen > cut) break;
  }
  const out = grey(image.width, image.height);
  if (high <= low) {
    out.data.set(image.data);
    return out;
  }
  const table = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) table[v] = ((v - low) * 255) / (high - low);
  for (let i = 0; i < total; i++) out.data[i] = table[image.data[i] ?? 0] ?? 0;
  return out;
}

/**
 * 3x3 median filter: removes salt-and-pepper specks (fax and cheap scanner noise) while
 * keeping the module edges, which a blur would soften. Border pixels are copied.
 *
 * @example median3(speckled).data // the specks gone
 */
export function median3(image: GreyImage): GreyImage {
  const { width: w, height: h, data: s } = image;
  const out = grey(w, h);
  out.data.set(s);
  let t = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      let p0 = s[i - w - 1] ?? 0;
      let p1 = s[i - w] ?? 0;
      let p2 = s[i - w + 1] ?? 0;
      let p3 = s[i - 1] ?? 0;
      let p4 = s[i] ?? 0;
      let p5 = s[i + 1] ?? 0;
      let p6 = s[i + w - 1] ?? 0;
      let p7 = s[i + w] ?? 0;
      let p8 = s[i + w + 1] ?? 0;
      // The 19-exchange median-of-9 network (Paeth, Graphics Gems; Devillard's opt_med9).
      if (p1 > p2) {
        t = p1;
        p1 = p2;
        p2 = t;
      }
      if (p4 > p5) {
        t = p4;
        p4 = p5;
        p5 = t;
      }
      if (p7 > p8) {
        t = p7;
        p7 = p8;
        p8 = t;
      }
      if (p0 > p1) {
        t = p0;
        p0 = p1;
        p1 = t;
      }
      if (p3 > p4) {
        t = p3;
        p3 = p4;
        p4 = t;
      }
      if (p6 > p7) {
        t = p6;
        p6 = p7;
        p7 = t;
      }
      if (p1 > p2) {
        t = p1;
        p1 = p2;
        p2 = t;
      }
      if (p4 > p5) {
        t = p4;
        p4 = p5;
        p5 = t;
      }
      if (p7 > p8) {
        t = p7;
        p7 = p8;
        p8 = t;
      }
      if (p0 > p3) {
        t = p0;
        p0 = p3;
        p3 = t;
      }
      if (p5 > p8) {
        t = p5;
        p5 = p8;
        p8 = t;
      }
      if (p4 > p7) {
        t = p4;
        p4 = p7;
        p7 = t;
      }
      if (p3 > p6) {
        t = p3;
        p3 = p6;
        p6 = t;
      }
      if (p1 > p4) {
        t = p1;
        p1 = p4;
        p4 = t;
      }
      if (p2 > p5) {
        t = p2;
        p2 = p5;
        p5 = t;
      }
      if (p4 > p7) {
        t = p4;
        p4 = p7;
        p7 = t;
      }
      if (p4 > p2) {
        t = p4;
        p4 = p2;
        p2 = t;
      }
      if (p6 > p4) {
        t = p6;
        p6 = p4;
        p4 = t;
      }
      if (p4 > p2) {
        t = p4;
        p4 = p2;
        p2 = t;
      }
      out.data[i] = p4;
    }
  }
  return out;
}

/**
 * Sharpening with the 4-neighbour Laplacian (centre 5, neighbours -1) for a slightly
 * blurred photo or scan: it restores the steps between modules that blur rounds off.
 *
 * @example sharpen(blurred)
 */
export function sharpen(image: GreyImage): GreyImage {
  const { width: w, height: h, data: src } = image;
  const out = grey(w, h);
  out.data.set(src);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      out.data[i] = 5 * (src[i] ?? 0) - (src[i - 1] ?? 0) - (src[i + 1] ?? 0) - (src[i - w] ?? 0) - (src[i + w] ?? 0);
    }
  }
  return out;
}

/**
 * Bilinear upscaling by an integer factor, for codes printed or scanned so small that a
 * module is 2 to 3 pixels: the detector needs a few pixels per module to find the edges.
 *
 * @example upscale(small, 2).width === small.width * 2 // true
 */
export function upscale(image: GreyImage, factor: number): GreyImage {
  const { width: w, height: h, data: src } = image;
  const ow = w * factor;
  const oh = h * factor;
  const out = grey(ow, oh);
  for (let y = 0; y < oh; y++) {
    const sy = Math.min(h - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(h - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < ow; x++) {
      const sx = Math.min(w - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(w - 1, x0 + 1);
      const fx = sx - x0;
      const top = (src[y0 * w + x0] ?? 0) * (1 - fx) + (src[y0 * w + x1] ?? 0) * fx;
      const bottom = (src[y1 * w + x0] ?? 0) * (1 - fx) + (src[y1 * w + x1] ?? 0) * fx;
      out.data[y * ow + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/**
 * Averages `factor` x `factor` blocks: a cheap downscale for finding regions and for
 * reading very large, blurred codes.
 *
 * @example downscale(page, 4).width === Math.floor(page.width / 4) // true
 */
export function downscale(image: GreyImage, factor: number): GreyImage {
  const ow = Math.max(1, Math.floor(image.width / factor));
  const oh = Math.max(1, Math.floor(image.height / factor));
  const out = grey(ow, oh);
  const area = factor * factor;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        const row = (y * factor + dy) * image.width + x * factor;
        for (let dx = 0; dx < factor; dx++) sum += image.data[row + dx] ?? 0;
      }
      out.data[y * ow + x] = sum / area;
    }
  }
  return out;
}

/**
 * Copies a rectangle (clamped to the image) out of a grey image.
 *
 * @example crop(page, { x: 10, y: 10, width: 100, height: 100 }).width // 100
 */
export function crop(image: GreyImage, rect: Rect): GreyImage {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(image.width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(image.height, Math.ceil(rect.y + rect.height));
  const out = grey(Math.max(0, x1 - x0), Math.max(0, y1 - y0));
  for (let y = 0; y < out.height; y++) {
    out.data.set(image.data.subarray((y0 + y) * image.width + x0, (y0 + y) * image.width + x1), y * out.width);
  }
  return out;
}

/**
 * Mean over a (2r+1) x (2r+1) box around every pixel (edges clamped), by running sums:
 * two passes whatever the radius.
 */
export function boxMean(image: GreyImage, r: number): Float32Array {
  const { width: w, height: h, data } = image;
  const rows = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const n = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let sum = 0;
    for (let x = -r; x <= r; x++) sum += data[row + Math.min(w - 1, Math.max(0, x))] ?? 0;
    for (let x = 0; x < w; x++) {
      rows[row + x] = sum / n;
      sum += (data[row + Math.min(w - 1, x + r + 1)] ?? 0) - (data[row + Math.max(0, x - r)] ?? 0);
    }
  }
  for (let x = 0; x < w; x++) {
    let sum = 0;
    for (let y = -r; y <= r; y++) sum += rows[Math.min(h - 1, Math.max(0, y)) * w + x] ?? 0;
    for (let y = 0; y < h; y++) {
      out[y * w + x] = sum / n;
      sum += (rows[Math.min(h - 1, y + r + 1) * w + x] ?? 0) - (rows[Math.max(0, y - r) * w + x] ?? 0);
    }
  }
  return out;
}

/**
 * Unsharp masking: each pixel moves `amount` times its difference from the local mean
 * further away from it. Against the soft focus of a phone photo, where a module is only
 * a few pixels and blur washes light modules grey between dark ones.
 *
 * @example unsharpMask(upscale(crop, 3), 3, 1.5)
 */
export function unsharpMask(image: GreyImage, radius: number, amount: number): GreyImage {
  const mean = boxMean(image, radius);
  const out = grey(image.width, image.height);
  for (let i = 0; i < out.data.length; i++) {
    const v = image.data[i] ?? 0;
    out.data[i] = v + amount * (v - (mean[i] ?? 0));
  }
  return out;
}

/**
 * Black where a pixel is darker than the mean of its (2r+1)-pixel neighbourhood by more
 * than `offset`, white elsewhere: a binarization that follows uneven light across a photo
 * and keeps a module's edges where zxing's fixed 8-pixel blocks smear them.
 *
 * @example localThreshold(unsharpMask(crop, 3, 1.5), 9)
 */
export function localThreshold(image: GreyImage, radius: number, offset = 2): GreyImage {
  const mean = boxMean(image, radius);
  const out = grey(image.width, image.height);
  for (let i = 0; i < out.data.length; i++) out.data[i] = (image.data[i] ?? 0) < (mean[i] ?? 0) - offset ? 0 : 255;
  return out;
}

/** Grey as RGBA with R = G = B, the input shape zxing-wasm takes; its luminance is the grey exactly. */
export function greyToRgba(image: GreyImage): RgbaImage {
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, p = 0; i < image.data.length; i++, p += 4) {
    const v = image.data[i] ?? 0;
    data[p] = v;
    data[p + 1] = v;
    data[p + 2] = v;
    data[p + 3] = 255;
  }
  return { width: image.width, height: image.height, data };
}

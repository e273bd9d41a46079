/**
 * Reading a code at its own angle and scale. zxing samples one pixel a module after
 * binarizing the image as it is: a code turned a few degrees at two pixels a module
 * (a flatbed scan fed askew, a fax) has jagged, half-grey edges on every module, and
 * its binarizer and sampler get too many of them wrong. Turning the region back and
 * resampling it to several pixels a module first gives zxing straight, wide modules.
 *
 * The angle, scale and perspective come from the four corners zxing reports for a symbol
 * it located (its finder patterns) but could not decode, refined against the code's fixed
 * patterns (`fitGrid`); the whole perspective is undone, for phone photos too.
 *
 * Resampling is bicubic (Catmull-Rom), which keeps the step between a dark and a light
 * module steeper than bilinear does; it is what a binary image wants when enlarged.
 * Nothing here decides a module: the resampled image goes to zxing, whose Reed-Solomon
 * check decides the text.
 */
import type { GreyImage } from './image-types.ts';
import { homography, mapPoint, type Quad } from './qr-grid.ts';

function cubicWeights(t: number, out: Float64Array): void {
  const t2 = t * t;
  const t3 = t2 * t;
  out[0] = -0.5 * t3 + t2 - 0.5 * t;
  out[1] = 1.5 * t3 - 2.5 * t2 + 1;
  out[2] = -1.5 * t3 + 2 * t2 + 0.5 * t;
  out[3] = 0.5 * t3 - 0.5 * t2;
}

const wx = new Float64Array(4);
const wy = new Float64Array(4);

/**
 * The grey value at (x, y) in pixel coordinates (pixel centres at half-integers), by
 * Catmull-Rom interpolation; `outside` for points off the image (paper).
 */
export function bicubic(image: GreyImage, x: number, y: number, outside = 255): number {
  const { width: w, height: h, data } = image;
  const fx = x - 0.5;
  const fy = y - 0.5;
  if (fx < -1 || fy < -1 || fx > w || fy > h) return outside;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  cubicWeights(fx - x0, wx);
  cubicWeights(fy - y0, wy);
  let sum = 0;
  for (let j = 0; j < 4; j++) {
    const yy = Math.min(h - 1, Math.max(0, y0 - 1 + j));
    const row = yy * w;
    let line = 0;
    for (let i = 0; i < 4; i++) {
      const xx = Math.min(w - 1, Math.max(0, x0 - 1 + i));
      line += (wx[i] ?? 0) * (data[row + xx] ?? 0);
    }
    sum += (wy[j] ?? 0) * line;
  }
  return sum;
}

/**
 * The code whose `size` x `size` module grid has outer corners `quad` (top-left,
 * top-right, bottom-right, bottom-left in image pixels), redrawn upright at `scale`
 * pixels a module with `margin` modules of the image around it. The grey values are
 * resampled, not decided: zxing still binarizes and decodes the result.
 *
 * @example rectify(crop, detection.quad, detection.size, 4)
 */
export function rectify(image: GreyImage, quad: Quad, size: number, scale: number, margin = 4): GreyImage | null {
  const h = homography(
    [
      { x: 0, y: 0 },
      { x: size, y: 0 },
      { x: size, y: size },
      { x: 0, y: size },
    ],
    quad,
  );
  if (!h) return null;
  const side = Math.round((size + 2 * margin) * scale);
  const out = new Uint8ClampedArray(side * side);
  for (let y = 0; y < side; y++) {
    const v = (y + 0.5) / scale - margin;
    for (let x = 0; x < side; x++) {
      const p = mapPoint(h, { x: (x + 0.5) / scale - margin, y: v });
      out[y * side + x] = bicubic(image, p.x, p.y);
    }
  }
  return { width: side, height: side, data: out };
}

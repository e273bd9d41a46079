import { downscale } from './image-ops.ts';
import type { GreyImage, Rect } from './image-types.ts';

/**
 * Finds rectangles that probably hold a QR code, so the retry ladder can work on a small
 * crop instead of a whole 9-megapixel page. A QR code is a roughly square patch where
 * almost every small cell has strong light-dark edges in both directions; printed text
 * has edges too, but in thin horizontal lines with gaps between them.
 *
 * The page is shrunk to about 256 cells on its long side; each cell's edge density is
 * thresholded, busy cells are grouped by 8-connectivity, and groups are ranked by how
 * filled and how square their bounding box is. Returns up to `max` rectangles in the
 * image's own pixels, each with a quiet margin around it.
 *
 * @example findCodeRegions(page).map((r) => crop(page, r))
 */
export function findCodeRegions(image: GreyImage, max = 3): Rect[] {
  return findScoredRegions(image, max).map((r) => r.rect);
}

/**
 * `findCodeRegions` with each region's score: mean edge energy times squareness, fill
 * and the square root of its area in cells. Comparable between regions of one page
 * (a second code scores like the first; text lines and logos far lower), not between pages.
 */
export function findScoredRegions(image: GreyImage, max = 3): { rect: Rect; score: number }[] {
  const factor = Math.max(1, Math.floor(Math.max(image.width, image.height) / 512));
  const small = factor > 1 ? downscale(image, factor) : image;
  const cell = 2;
  const cw = Math.floor(small.width / cell);
  const ch = Math.floor(small.height / cell);
  if (cw < 4 || ch < 4) return [];
  const energy = new Float32Array(cw * ch);
  const s = small.data;
  const w = small.width;
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let h = 0;
      let v = 0;
      for (let dy = 0; dy < cell; dy++) {
        for (let dx = 0; dx < cell; dx++) {
          const i = (cy * cell + dy) * w + cx * cell + dx;
          h += Math.abs((s[i + 1] ?? s[i] ?? 0) - (s[i] ?? 0));
          v += Math.abs((s[i + w] ?? s[i] ?? 0) - (s[i] ?? 0));
        }
      }
      // Both directions must be busy: text lines are mostly horizontal structure.
      energy[cy * cw + cx] = Math.min(h, v);
    }
  }
  // Smooth over a 7x7 cell window: a code is busy everywhere, text only in strokes.
  const smooth = new Float32Array(cw * ch);
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let sum = 0;
      let n = 0;
      for (let dy = -3; dy <= 3; dy++) {
        for (let dx = -3; dx <= 3; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x < 0 || y < 0 || x >= cw || y >= ch) continue;
          sum += energy[y * cw + x] ?? 0;
          n++;
        }
      }
      smooth[cy * cw + cx] = sum / n;
    }
  }
  let peak = 0;
  for (const e of smooth) peak = Math.max(peak, e);
  if (peak <= 0) return [];
  const busy = new Uint8Array(cw * ch);
  for (let i = 0; i < busy.length; i++) busy[i] = (smooth[i] ?? 0) >= peak * 0.25 ? 1 : 0;

  const seen = new Uint8Array(cw * ch);
  const groups: { rect: Rect; score: number }[] = [];
  const stack: number[] = [];
  for (let start = 0; start < busy.length; start++) {
    if (!busy[start] || seen[start]) continue;
    let x0 = cw;
    let y0 = ch;
    let x1 = 0;
    let y1 = 0;
    let count = 0;
    let weight = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop() ?? 0;
      const x = i % cw;
      const y = (i - x) / cw;
      count++;
      weight += smooth[i] ?? 0;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
          const j = ny * cw + nx;
          if (busy[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (bw < 4 || bh < 4) continue; // a code is at least 21 modules; this is a speck
    const squareness = Math.min(bw, bh) / Math.max(bw, bh);
    const fill = count / (bw * bh);
    const scale = cell * factor;
    const margin = Math.max(bw, bh) * 0.2;
    groups.push({
      rect: {
        x: Math.max(0, (x0 - margin) * scale),
        y: Math.max(0, (y0 - margin) * scale),
        width: Math.min(image.width, (bw + 2 * margin) * scale),
        height: Math.min(image.height, (bh + 2 * margin) * scale),
      },
      score: (weight / count) * squareness * fill * Math.sqrt(count),
    });
  }
  groups.sort((a, b) => b.score - a.score);
  return groups.slice(0, max);
}

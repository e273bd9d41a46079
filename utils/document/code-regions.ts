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
  const energy = cellEnergy(small, cw, ch, cell);
  const smooth = smoothCells(energy, cw, ch, 3);
  let peak = 0;
  for (const e of smooth) peak = Math.max(peak, e);
  if (peak <= 0) return [];
  const busy = new Uint8Array(cw * ch);
  for (let i = 0; i < busy.length; i++) busy[i] = (smooth[i] ?? 0) >= peak * 0.25 ? 1 : 0;

  const seen = new Uint8Array(cw * ch);
  const groups: { rect: Rect; score: number }[] = [];
  // Each cell is pushed at most once, so a flat stack of cw * ch never overflows.
  const stack = new Int32Array(cw * ch);
  for (let start = 0; start < busy.length; start++) {
    if (!busy[start] || seen[start]) continue;
    let x0 = cw;
    let y0 = ch;
    let x1 = 0;
    let y1 = 0;
    let count = 0;
    let weight = 0;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const i = stack[--top] as number;
      const x = i % cw;
      const y = (i - x) / cw;
      count++;
      weight += smooth[i] as number;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      const fromY = y > 0 ? y - 1 : y;
      const toY = y < ch - 1 ? y + 1 : y;
      const fromX = x > 0 ? x - 1 : x;
      const toX = x < cw - 1 ? x + 1 : x;
      for (let ny = fromY; ny <= toY; ny++) {
        for (let nx = fromX; nx <= toX; nx++) {
          const j = ny * cw + nx;
          if (busy[j] && !seen[j]) {
            seen[j] = 1;
            stack[top++] = j;
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

/**
 * Each cell's edge energy: the smaller of its summed horizontal and vertical steps (both
 * directions must be busy: text lines are mostly horizontal structure). A step past the
 * image's last pixel counts as none; one past a row's end reads the next row's first pixel,
 * as a plain index would.
 */
function cellEnergy(small: GreyImage, cw: number, ch: number, cell: number): Float32Array {
  const energy = new Float32Array(cw * ch);
  const s = small.data;
  const w = small.width;
  const n = s.length;
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let h = 0;
      let v = 0;
      for (let dy = 0; dy < cell; dy++) {
        let i = (cy * cell + dy) * w + cx * cell;
        for (let dx = 0; dx < cell; dx++, i++) {
          const here = s[i] as number;
          h += Math.abs((i + 1 < n ? (s[i + 1] as number) : here) - here);
          v += Math.abs((i + w < n ? (s[i + w] as number) : here) - here);
        }
      }
      energy[cy * cw + cx] = Math.min(h, v);
    }
  }
  return energy;
}

/**
 * The mean over a (2r+1)-square window of cells, clipped at the edges (a code is busy
 * everywhere, text only in strokes), from a summed-area table: the same sums as adding the
 * window cell by cell (energies are whole numbers, so exact), at a fixed cost per cell.
 */
export function smoothCells(energy: Float32Array, cw: number, ch: number, r: number): Float32Array {
  const stride = cw + 1;
  const table = new Float64Array(stride * (ch + 1));
  for (let y = 0; y < ch; y++) {
    let row = 0;
    for (let x = 0; x < cw; x++) {
      row += energy[y * cw + x] as number;
      table[(y + 1) * stride + x + 1] = (table[y * stride + x + 1] as number) + row;
    }
  }
  const smooth = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(ch, y + r + 1);
    for (let x = 0; x < cw; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(cw, x + r + 1);
      const sum =
        (table[y1 * stride + x1] as number) -
        (table[y0 * stride + x1] as number) -
        (table[y1 * stride + x0] as number) +
        (table[y0 * stride + x0] as number);
      smooth[y * cw + x] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return smooth;
}

import { describe, expect, it } from 'vitest';
import { findCodeRegions, smoothCells } from '../../../utils/document/code-regions.ts';
import type { GreyImage } from '../../../utils/document/image-types.ts';

/** The window mean the summed-area table replaced: every in-bounds cell added one by one. */
function naiveSmooth(energy: Float32Array, cw: number, ch: number, r: number): Float32Array {
  const out = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
          sum += energy[ny * cw + nx] ?? 0;
          n++;
        }
      }
      out[y * cw + x] = sum / n;
    }
  }
  return out;
}

/** A seeded generator, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('findCodeRegions', () => {
  it('smooths cell energies exactly as adding each window cell by cell, at every size and edge', () => {
    const random = lcg(7);
    for (let round = 0; round < 60; round++) {
      const cw = 1 + Math.floor(random() * 40);
      const ch = 1 + Math.floor(random() * 40);
      // Whole numbers, as cell energies are (sums of absolute steps between 8-bit pixels).
      const energy = Float32Array.from({ length: cw * ch }, () => Math.floor(random() * 2040));
      expect(smoothCells(energy, cw, ch, 3)).toEqual(naiveSmooth(energy, cw, ch, 3));
    }
  });

  it('finds a code-like square patch on a page of text lines, and nothing on a blank page', () => {
    const width = 600;
    const height = 800;
    const data = new Uint8ClampedArray(width * height).fill(255);
    for (let y = 60; y < 500; y += 14)
      for (let x = 40; x < 560; x++) if (x % 9 < 6) data.fill(0, y * width + x, y * width + x + 1);
    for (let y = 560; y < 740; y++)
      for (let x = 380; x < 560; x++) if (((x >> 2) * 31 + (y >> 2) * 17) % 3 === 0) data[y * width + x] = 0;
    const page: GreyImage = { width, height, data };
    const [best] = findCodeRegions(page);
    expect(best).toBeDefined();
    const cx = (best?.x ?? 0) + (best?.width ?? 0) / 2;
    const cy = (best?.y ?? 0) + (best?.height ?? 0) / 2;
    expect(cx).toBeGreaterThan(380);
    expect(cx).toBeLessThan(560);
    expect(cy).toBeGreaterThan(560);
    expect(cy).toBeLessThan(740);
    expect(findCodeRegions({ width, height, data: new Uint8ClampedArray(width * height).fill(255) })).toEqual([]);
  });
});

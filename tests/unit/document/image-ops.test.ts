import { describe, expect, it } from 'vitest';
import {
  boxMean,
  contrastStretch,
  crop,
  downscale,
  greyToRgba,
  hasColour,
  localThreshold,
  luminance,
  median3,
  redChannel,
  sharpen,
  unsharpMask,
  upscale,
} from '../../../utils/document/image-ops.ts';
import type { GreyImage, RgbaImage } from '../../../utils/document/image-types.ts';

const grey = (width: number, height: number, values: number[]): GreyImage => ({
  width,
  height,
  data: new Uint8ClampedArray(values),
});

const rgba = (pixels: [number, number, number][]): RgbaImage => ({
  width: pixels.length,
  height: 1,
  data: new Uint8ClampedArray(pixels.flatMap(([r, g, b]) => [r, g, b, 255])),
});

describe('luminance', () => {
  it('weights red, green and blue as ZXing-C++ does', () => {
    expect([
      ...luminance(
        rgba([
          [255, 0, 0],
          [0, 255, 0],
          [0, 0, 255],
          [255, 255, 255],
        ]),
      ).data,
    ]).toEqual([76, 150, 29, 255]);
  });
});

describe('redChannel', () => {
  it('makes red seal ink nearly as light as paper while black modules stay black', () => {
    const sealOnBlack = [40, 10, 10] as [number, number, number];
    const sealOnWhite = [230, 60, 60] as [number, number, number];
    const { data } = redChannel(rgba([sealOnWhite, sealOnBlack, [255, 255, 255]]));
    expect(data[0]).toBeGreaterThan(200);
    expect(data[1]).toBeLessThan(60);
    // In luminance the same seal on white is darker than mid-grey: the blot that defeats binarizers.
    expect(luminance(rgba([sealOnWhite])).data[0]).toBeLessThan(128);
  });
});

describe('hasColour', () => {
  it.each([
    [
      'a grey scan',
      [
        [10, 10, 10],
        [200, 200, 200],
      ],
      false,
    ],
    [
      'a red seal',
      [
        [10, 10, 10],
        [220, 40, 40],
      ],
      true,
    ],
  ] as const)('tells whether %s has colour', (_, pixels, expected) => {
    expect(hasColour(rgba(pixels.map((p) => [...p]) as [number, number, number][]), 1)).toBe(expected);
  });
});

describe('contrastStretch', () => {
  it('spreads a faint scan over the full grey range', () => {
    const faint = grey(4, 1, [120, 130, 140, 150]);
    expect([...contrastStretch(faint, 0).data]).toEqual([0, 85, 170, 255]);
  });

  it('leaves a flat image unchanged instead of dividing by zero', () => {
    expect([...contrastStretch(grey(3, 1, [90, 90, 90])).data]).toEqual([90, 90, 90]);
  });
});

describe('median3', () => {
  it('removes an isolated salt speck and an isolated pepper speck', () => {
    const img = grey(5, 3, [200, 200, 200, 200, 200, 200, 0, 200, 255, 200, 200, 200, 200, 200, 200]);
    const out = median3({ ...img, data: img.data.map((v, i) => (i === 8 ? 0 : v)) });
    expect(out.data[6]).toBe(200);
    expect(out.data[8]).toBe(200);
  });

  it('computes the true median of every 3x3 window', () => {
    const values = Array.from({ length: 36 }, (_, i) => (i * 73 + 11) % 256);
    const img = grey(6, 6, values);
    const out = median3(img);
    for (let y = 1; y < 5; y++) {
      for (let x = 1; x < 5; x++) {
        const window: number[] = [];
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) window.push(values[(y + dy) * 6 + x + dx] ?? 0);
        window.sort((a, b) => a - b);
        expect(out.data[y * 6 + x]).toBe(window[4]);
      }
    }
  });
});

describe('sharpen', () => {
  it('steepens an edge that blur rounded off', () => {
    const soft = grey(5, 3, [0, 60, 128, 196, 255, 0, 60, 128, 196, 255, 0, 60, 128, 196, 255]);
    const out = sharpen(soft);
    expect(out.data[6]).toBeLessThan(60);
    expect(out.data[8]).toBeGreaterThan(196);
  });
});

describe('upscale and downscale', () => {
  it('doubles the size and keeps flat areas flat', () => {
    const out = upscale(grey(2, 2, [0, 0, 255, 255]), 2);
    expect([out.width, out.height]).toEqual([4, 4]);
    expect(out.data[0]).toBe(0);
    expect(out.data[15]).toBe(255);
  });

  it('averages blocks when shrinking', () => {
    const out = downscale(grey(4, 2, [0, 100, 200, 200, 100, 200, 200, 200]), 2);
    expect([...out.data]).toEqual([100, 200]);
  });
});

describe('crop', () => {
  it('copies a rectangle and clamps it to the image', () => {
    const img = grey(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...crop(img, { x: 1, y: 1, width: 5, height: 5 }).data]).toEqual([5, 6, 8, 9]);
  });
});

describe('greyToRgba', () => {
  it('gives an RGBA image whose luminance is exactly the grey', () => {
    const img = grey(4, 1, [0, 77, 200, 255]);
    expect([...luminance(greyToRgba(img)).data]).toEqual([0, 77, 200, 255]);
  });
});

describe('boxMean, unsharpMask and localThreshold', () => {
  it('averages a box around each pixel, clamping at the edges', () => {
    const mean = boxMean(grey(3, 1, [0, 30, 60]), 1);
    expect([...mean].map((v) => Math.round(v))).toEqual([
      Math.round((0 + 0 + 30) / 3),
      30,
      Math.round((30 + 60 + 60) / 3),
    ]);
  });

  it('pushes a grey pixel away from its neighbourhood mean', () => {
    const soft = grey(5, 1, [200, 200, 120, 200, 200]);
    const out = unsharpMask(soft, 1, 1);
    expect(out.data[2]).toBeLessThan(120);
    expect(out.data[0]).toBe(200);
  });

  it('marks black only what is darker than its surroundings, under light or shade', () => {
    // A dark mark on bright paper and a dark mark on shaded paper, both found; flat paper stays white.
    const img = grey(12, 1, [240, 240, 150, 240, 240, 240, 100, 100, 30, 100, 100, 100]);
    const black = [...localThreshold(img, 1).data].map((v) => v === 0);
    expect([1, 2, 8, 10].map((i) => black[i])).toEqual([false, true, true, false]);
  });
});

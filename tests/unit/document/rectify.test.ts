import { beforeAll, describe, expect, it } from 'vitest';
import type { GreyImage } from '../../../utils/document/image-types.ts';
import { loadQrDecoder, type QrDecoder } from '../../../utils/document/qr-decoder.ts';
import { homography, mapPoint, type Quad } from '../../../utils/document/qr-grid.ts';
import { readRectified } from '../../../utils/document/read-grid.ts';
import { bicubic, rectify } from '../../../utils/document/rectify.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import { qrMatrix, sampleAl1Text } from '../../fixtures/documents/make-documents.ts';

const text = sampleAl1Text(11, 300);
let decode: QrDecoder;
beforeAll(async () => {
  decode = await loadQrDecoder(nodeReaderPlatform().zxing);
});

/**
 * A code seen in perspective (keystoned and turned, as in a phone photo) at about `ppm`
 * pixels a module, each pixel the average of 4x4 samples (a camera integrates light), with
 * its true corners.
 */
function keystoned(ppm: number): { image: GreyImage; quad: Quad; size: number } {
  const matrix = qrMatrix(text);
  const size = matrix.length;
  const side = size * ppm;
  const quad: Quad = [
    { x: 30, y: 24 },
    { x: 30 + side, y: 24 + side * 0.12 },
    { x: 30 + side * 1.06, y: 24 + side * 1.08 },
    { x: 22, y: 24 + side * 0.96 },
  ];
  const n = Math.ceil(side * 1.1 + 60);
  const h = homography(quad, [
    { x: 0, y: 0 },
    { x: size, y: 0 },
    { x: size, y: size },
    { x: 0, y: size },
  ]);
  const data = new Uint8ClampedArray(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let dark = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const m = mapPoint(h ?? [], { x: x + (sx + 0.5) / 4, y: y + (sy + 0.5) / 4 });
          if (matrix[Math.floor(m.y)]?.[Math.floor(m.x)] === true) dark++;
        }
      }
      data[y * n + x] = 235 - (dark / 16) * 200;
    }
  }
  return { image: { width: n, height: n, data }, quad, size };
}

describe('readRectified', () => {
  it('reads a keystoned code from corners a module off, and reports where it is', async () => {
    const { image, quad, size } = keystoned(2);
    // Corners as a detector reports them, a module off; fitGrid pulls them onto the fixed patterns.
    const rough = quad.map((p, i) => ({ x: p.x + (i % 2 ? 2 : -2), y: p.y + (i < 2 ? 1.5 : -1.5) })) as Quad;
    const read = await readRectified(image, { quad: rough, size }, decode);
    expect(read.map((c) => c.text)).toEqual([text]);
    const xs = quad.map((p) => p.x);
    const ys = quad.map((p) => p.y);
    // Within a few modules of the true corners (zxing finds the code inside the margin).
    expect(Math.abs((read[0]?.box.x ?? 0) - Math.min(...xs))).toBeLessThan(3 * 2);
    expect(Math.abs((read[0]?.box.y ?? 0) - Math.min(...ys))).toBeLessThan(3 * 2);
  });
});

describe('rectify', () => {
  it('redraws a code seen in perspective upright at the asked scale, for zxing to read', async () => {
    const { image, quad, size } = keystoned(2.2);
    const upright = rectify(image, quad, size, 4);
    expect(upright?.width).toBe((size + 8) * 4);
    expect((await decode(upright as GreyImage)).map((c) => c.text)).toEqual([text]);
  });

  it('interpolates between pixels and reads paper outside the image', () => {
    const image = { width: 2, height: 1, data: new Uint8ClampedArray([0, 200]) };
    expect(bicubic(image, 0.5, 0.5)).toBe(0);
    expect(bicubic(image, 1.5, 0.5)).toBe(200);
    expect(bicubic(image, 1, 0.5)).toBeCloseTo(100, 0);
    expect(bicubic(image, 10, 10)).toBe(255);
  });
});

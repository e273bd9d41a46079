import { describe, expect, it } from 'vitest';
import { blankPage, drawCode, rotatedPoint, rotateWith } from '../../../scripts/bench/corpus/capture.ts';
import { blur, gaussianNoise } from '../../../scripts/bench/corpus/damage.ts';
import { luminance } from '../../../utils/document/image-ops.ts';
import type { GreyImage } from '../../../utils/document/image-types.ts';
import { detectQr, loadQrDecoder } from '../../../utils/document/qr-decoder.ts';
import type { Quad } from '../../../utils/document/qr-grid.ts';
import { convexHull, guessGrids, otsuThreshold, outlineQuad } from '../../../utils/document/qr-outline.ts';
import { readByOutline } from '../../../utils/document/read-grid.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import { qrMatrix, sampleAl1Text } from '../../fixtures/documents/make-documents.ts';

const text = sampleAl1Text(31, 500);
const matrix = qrMatrix(text);
const size = matrix.length;
const version = (size - 17) / 4;

/**
 * The code at `px` pixels a module, each pixel the area it covers (as a sensor does), turned
 * by `degrees`, blurred by `blurModules` of a module and lightly noisy; with its true corners.
 */
function capture(px: number, degrees: number, blurModules: number, seed = 1): { image: GreyImage; truth: Quad } {
  const side = Math.ceil((size + 16) * px + 16);
  const x0 = 8 * px + 0.37 * seed;
  const y0 = 8 * px + 0.26 * seed;
  const paper = blankPage(side, side);
  let img = drawCode(paper, matrix, x0, y0, px);
  const s = size * px;
  let truth: Quad = [
    { x: x0, y: y0 },
    { x: x0 + s, y: y0 },
    { x: x0 + s, y: y0 + s },
    { x: x0, y: y0 + s },
  ];
  if (degrees) {
    truth = truth.map((p) => rotatedPoint(paper, degrees, p.x, p.y)) as Quad;
    img = rotateWith(img, degrees, 'bilinear');
  }
  if (blurModules > 0) img = blur(img, blurModules * px);
  return { image: luminance(gaussianNoise(img, 4, seed)), truth };
}

/** Largest corner error in modules. */
const cornerError = (a: Quad, b: Quad, px: number) =>
  Math.max(...a.map((p, i) => Math.hypot(p.x - (b[i]?.x ?? 0), p.y - (b[i]?.y ?? 0)))) / px;

describe('otsuThreshold and convexHull', () => {
  it('splits ink from paper between their two levels', () => {
    const data = new Uint8ClampedArray(100).map((_, i) => (i < 30 ? 40 : 220));
    const level = otsuThreshold({ width: 10, height: 10, data });
    expect(level).toBeGreaterThan(40);
    expect(level).toBeLessThan(220);
  });

  it('keeps only the outer points', () => {
    const hull = convexHull([
      { x: 0, y: 0 },
      { x: 4, y: 0 },
      { x: 2, y: 2 },
      { x: 4, y: 4 },
      { x: 0, y: 4 },
      { x: 1, y: 3 },
    ]);
    expect(hull).toHaveLength(4);
    expect(hull).not.toContainEqual({ x: 2, y: 2 });
  });
});

describe('outlineQuad and guessGrids', () => {
  it.each([
    [1.3, 0],
    [1.4, 17],
  ])('finds the grid of a code at %f px a module turned %f degrees to a tenth of a module', (px, degrees) => {
    const { image, truth } = capture(px, degrees, 0.5);
    const rough = outlineQuad(image);
    expect(rough).not.toBeNull();
    const [best] = guessGrids(image, rough as Quad);
    expect(best?.version).toBe(version);
    // The code's own top-left is found whichever corner of the image it sits in.
    expect(cornerError(best?.quad as Quad, truth, px)).toBeLessThan(0.35);
  });

  it('finds the top-left finder when the code is upside down', () => {
    const { image, truth } = capture(1.6, 180, 0.3);
    const [best] = guessGrids(image, outlineQuad(image) as Quad);
    expect(cornerError(best?.quad as Quad, truth, 1.6)).toBeLessThan(0.35);
  });

  it('finds no outline on blank paper', () => {
    expect(outlineQuad(luminance(blankPage(120, 120)))).toBeNull();
  });
});

describe('readByOutline', () => {
  it('reads a soft code at 1.3 px a module that zxing cannot even locate', async () => {
    const decode = await loadQrDecoder(nodeReaderPlatform().zxing);
    const { image } = capture(1.3, 0, 0.6);
    expect(await decode(image)).toEqual([]);
    expect(await detectQr(image)).toEqual([]);
    expect((await readByOutline(image, decode)).map((c) => c.text)).toEqual([text]);
  });

  it('never yields a wrong text from a damaged code: the text printed or nothing', async () => {
    const decode = await loadQrDecoder(nodeReaderPlatform().zxing);
    const outcomes: string[] = [];
    for (const [seed, stripes] of [
      [1, 4],
      [3, 18],
    ] as const) {
      const { image } = capture(1.4, 0, 0.4, seed);
      // Ink-coloured and paper-coloured stripes across the data, a module and a half wide:
      // more of them than Reed-Solomon can correct at the end.
      const data = new Uint8ClampedArray(image.data);
      for (let k = 0; k < stripes; k++) {
        const y0 = Math.round((14 + ((k * 37) % 60)) * 1.4 + 8 * 1.4);
        for (let y = y0; y < y0 + 2; y++)
          for (let x = Math.round(20 * 1.4); x < Math.round(70 * 1.4); x++)
            data[y * image.width + x] = k % 2 ? 30 : 235;
      }
      const located: unknown[] = [];
      const found = (await readByOutline({ ...image, data }, decode, undefined, (box) => located.push(box))).map(
        (c) => c.text,
      );
      for (const t of found) expect(t).toBe(text);
      outcomes.push(found.length ? 'read' : 'none');
      // Read or not, the code was located: an unread one is reported as such, not as "no code".
      expect(located).toHaveLength(1);
    }
    // Light damage is corrected, heavy damage refused: the test exercises both answers.
    expect(outcomes).toEqual(['read', 'none']);
  });
});

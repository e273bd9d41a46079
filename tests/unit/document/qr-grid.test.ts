import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { blur, phonePhotoMapped } from '../../../scripts/bench/corpus/damage.ts';
import { findCodeRegions } from '../../../utils/document/code-regions.ts';
import { crop, luminance } from '../../../utils/document/image-ops.ts';
import type { GreyImage } from '../../../utils/document/image-types.ts';
import { detectQr, loadQrDecoder, PURE_QR_OPTIONS } from '../../../utils/document/qr-decoder.ts';
import {
  alignmentCentres,
  classifyModules,
  fitGrid,
  homography,
  knownModules,
  mapPoint,
  type Quad,
  renderModules,
  sampleModules,
  versionBits,
} from '../../../utils/document/qr-grid.ts';
import { readByGrid } from '../../../utils/document/read-grid.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import { blankImage, paste, qrImage, qrMatrix, sampleAl1Text } from '../../fixtures/documents/make-documents.ts';

const text = sampleAl1Text(21, 570);
const matrix = qrMatrix(text);
const size = matrix.length;
const version = (size - 17) / 4;

/** The code drawn `module` pixels a module at (x0, y0), grey, blurred by `sigma` pixels. */
function drawn(module: number, sigma: number, x0 = 20, y0 = 20): GreyImage {
  const code = qrImage(text, { module, quiet: 0 });
  const page = paste(blankImage(size * module + 2 * x0, size * module + 2 * y0), code, x0, y0);
  return luminance(sigma > 0 ? blur(page, sigma) : page);
}

const quadAt = (x0: number, y0: number, side: number): Quad => [
  { x: x0, y: y0 },
  { x: x0 + side, y: y0 },
  { x: x0 + side, y: y0 + side },
  { x: x0, y: y0 + side },
];

describe('homography and mapPoint', () => {
  it('maps the four source corners onto the four destination corners', () => {
    const to: Quad = [
      { x: 10, y: 12 },
      { x: 200, y: 30 },
      { x: 230, y: 260 },
      { x: 5, y: 240 },
    ];
    const h = homography(quadAt(0, 0, 1), to);
    expect(h).not.toBeNull();
    for (const [i, p] of quadAt(0, 0, 1).entries()) {
      const q = mapPoint(h ?? [], p);
      expect(q.x).toBeCloseTo(to[i]?.x ?? 0, 6);
      expect(q.y).toBeCloseTo(to[i]?.y ?? 0, 6);
    }
  });
});

describe('knownModules', () => {
  it.each([1, 7, 19, 32, 40])('agrees with a real code on every fixed module of version %i', (v) => {
    const qr = QRCode.create('AL1:x', { version: v, errorCorrectionLevel: 'L' });
    const n = 17 + 4 * v;
    const sample = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => !!qr.modules.get(r, c)));
    const known = knownModules(v);
    let compared = 0;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const k = known[y * n + x] ?? 0;
        if (k === 0) continue;
        compared++;
        expect(sample[y]?.[x]).toBe(k > 0);
      }
    }
    expect(compared).toBeGreaterThan(190);
  });

  it('places alignment patterns and version bits as the standard tables do', () => {
    expect(alignmentCentres(7)).toEqual([6, 22, 38]);
    expect(alignmentCentres(19)).toEqual([6, 30, 58, 86]);
    expect(alignmentCentres(32)).toEqual([6, 34, 60, 86, 112, 138]);
    expect(versionBits(7)).toBe(0x07c94);
    expect(versionBits(40)).toBe(0x28c69);
  });
});

describe('fitGrid, sampleModules and classifyModules', () => {
  it('pulls corners that are half a module off back onto the grid', () => {
    const module = 3;
    const image = drawn(module, 0);
    const truth = quadAt(20, 20, size * module);
    const start = truth.map((p, i) => ({ x: p.x + (i % 2 ? 1.5 : -1.5), y: p.y + (i < 2 ? 1.5 : -1) })) as Quad;
    const fit = fitGrid(image, start, version);
    expect(fit.score).toBeGreaterThan(0.9);
    for (const [i, p] of fit.quad.entries()) {
      expect(Math.abs(p.x - (truth[i]?.x ?? 0))).toBeLessThan(module / 2);
      expect(Math.abs(p.y - (truth[i]?.y ?? 0))).toBeLessThan(module / 2);
    }
  });

  it('classifies a code blurred at 2.5 pixels a module better with feedback passes than without', () => {
    const module = 2.5;
    const code = qrImage(text, { module: 5, quiet: 0 });
    // Draw at 5 px a module, blur, then average 2x2 blocks: 2.5 px a module, like a phone photo.
    const sharp = paste(blankImage(size * 5 + 40, size * 5 + 40), code, 20, 20);
    const soft = luminance(blur(sharp, 3));
    const small: GreyImage = {
      width: Math.floor(soft.width / 2),
      height: Math.floor(soft.height / 2),
      data: new Uint8ClampedArray(0),
    };
    small.data = new Uint8ClampedArray(small.width * small.height);
    for (let y = 0; y < small.height; y++)
      for (let x = 0; x < small.width; x++) {
        const i = 2 * y * soft.width + 2 * x;
        small.data[y * small.width + x] =
          ((soft.data[i] ?? 0) +
            (soft.data[i + 1] ?? 0) +
            (soft.data[i + soft.width] ?? 0) +
            (soft.data[i + soft.width + 1] ?? 0)) /
          4;
      }
    const samples = sampleModules(small, quadAt(10, 10, size * module), size);
    expect(samples).not.toBeNull();
    const variants = classifyModules(samples ?? new Float32Array(), knownModules(version), 3);
    const errors = variants.map((bits) =>
      bits.reduce((n, b, i) => n + (b !== (matrix[Math.floor(i / size)]?.[i % size] ? 1 : 0) ? 1 : 0), 0),
    );
    expect(variants).toHaveLength(4);
    expect(errors.at(-1)).toBeLessThan((errors[0] ?? 0) / 2);
    expect((errors.at(-1) ?? 1) / (size * size)).toBeLessThan(0.01);
  });
});

describe('renderModules', () => {
  it('draws a clean code that zxing reads as is', async () => {
    const decode = await loadQrDecoder(nodeReaderPlatform().zxing);
    const bits = Uint8Array.from(matrix.flat().map((dark) => (dark ? 1 : 0)));
    const image = renderModules(bits, size, 3);
    expect(image.width).toBe((size + 8) * 3);
    expect((await decode(image, PURE_QR_OPTIONS)).map((c) => c.text)).toEqual([text]);
  });
});

describe('readByGrid', () => {
  it('reads a phone photo whose modules are about 2.3 pixels, which zxing alone cannot', async () => {
    const decode = await loadQrDecoder(nodeReaderPlatform().zxing);
    // An A4 page at 150 DPI with a 45 mm code, photographed at an angle 1280 pixels wide,
    // soft (gaussian sigma 1.4 px, 0.6 of a module).
    const photoText = sampleAl1Text(7, 570);
    const page = paste(blankImage(1240, 1754), qrImage(photoText, { module: 3, quiet: 0 }), 500, 150);
    const photo = luminance(phonePhotoMapped(page, 1280, 7, 1.4).image);
    expect(await decode(photo)).toEqual([]);
    const [region] = findCodeRegions(photo);
    expect(region).toBeDefined();
    const patch = crop(photo, region ?? { x: 0, y: 0, width: 0, height: 0 });
    const codes = await readByGrid(patch, decode, detectQr);
    expect(codes.map((c) => c.text)).toEqual([photoText]);
  });

  it('returns nothing, and no text, when nothing is located', async () => {
    const decode = await loadQrDecoder(nodeReaderPlatform().zxing);
    const empty = luminance(blankImage(300, 300));
    expect(await readByGrid(empty, decode, detectQr)).toEqual([]);
  });
});

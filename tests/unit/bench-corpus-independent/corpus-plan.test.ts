// The independent corpus's arithmetic and plan (scripts/bench/corpus-independent/): the same
// seed draws the same pages, and the pixels per module the bench judges by follow from the
// maps the captures apply. ImageMagick is not needed here (nor in CI).
import { describe, expect, it } from 'vitest';
import {
  applyAffine,
  applyHomography,
  bowReverse,
  homography,
  invertNearIdentity,
  legibleByEye,
  pxPerModule,
  seeded,
  squareCorners,
  turnPage,
} from '../../../scripts/bench/corpus-independent/geometry.ts';
import { CATEGORIES, plan } from '../../../scripts/bench/corpus-independent/make-corpus.ts';
import { drawLetterPage, qrMatrix } from '../../../scripts/bench/corpus-independent/page.ts';

const letter = {
  text: `AL1:${'eyJhbGciOiJFUzI1NiJ9'.repeat(24)}`,
  issuerName: '邓州市医疗保障局',
  subName: '邓州市惠民医保服务中心',
  agents: ['王建国（身份证尾号 3516）'],
  purpose: '指导群众激活医保电子凭证',
  jti: 'DZYB-2026-0301',
  issued: '2026-05-01',
};

describe('independent corpus plan', () => {
  it('draws the same pages from the same seeds, every category present, labels and seeds unique', () => {
    const a = plan();
    expect(plan()).toEqual(a);
    expect(new Set(a.map((j) => j.category))).toEqual(new Set(CATEGORIES));
    expect(new Set(a.map((j) => j.seed)).size).toBe(a.length);
    expect(a.length).toBeGreaterThan(150);
    const random = seeded(42);
    const again = seeded(42);
    const drawn = Array.from({ length: 5 }, random);
    expect(Array.from({ length: 5 }, again)).toEqual(drawn);
    expect(drawn.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('describes the same page twice, with the code where its size in mm puts it', () => {
    const spec = {
      dpi: 200,
      ec: 'M',
      mask: 3,
      codeMm: 30,
      marginMm: 20,
      place: 'bottom-right',
      sealOverCode: 0,
    } as const;
    const one = drawLetterPage(letter, spec, '/x/p');
    expect(drawLetterPage(letter, spec, '/x/p')).toEqual(one);
    expect(one.code?.side).toBeCloseTo((30 * 200) / 25.4, 6);
    expect(one.code?.mask).toBe(3);
    expect(one.width).toBe(Math.round((210 * 200) / 25.4));
    expect(drawLetterPage(letter, { ...spec, noCode: true }, '/x/q').code).toBeNull();
  });

  it.each([
    ['L', 'H'],
    ['M', 'H'],
  ] as const)('a higher level than %s (%s) needs a larger symbol for the same text', (low, high) => {
    const small = qrMatrix(letter.text, low, 5);
    expect(qrMatrix(letter.text, high, 0).size).toBeGreaterThan(small.size);
    expect(small.mask).toBe(5);
  });
});

describe('pixels per module through the capture maps', () => {
  const modules = 93;
  const side = 279; // 3 px a module
  const corners = squareCorners(100.5, 200.25, side);

  it.each([1, 2.2, 17, 45, -30])('a turn of %s degrees keeps 3 px a module and the page on the canvas', (degrees) => {
    const turn = turnPage(1654, 2339, degrees);
    expect(
      pxPerModule(
        corners.map((p) => applyAffine(turn.map, p)),
        modules,
      ),
    ).toBe(3);
    for (const c of squareCorners(0, 0, 1).map((p) => ({ x: p.x * 1654, y: p.y * 2339 }))) {
      const q = applyAffine(turn.map, c);
      expect(q.x).toBeGreaterThanOrEqual(-1e-6);
      expect(q.x).toBeLessThanOrEqual(turn.width + 1e-6);
      expect(q.y).toBeLessThanOrEqual(turn.height + 1e-6);
    }
  });

  it('a homography takes its four points exactly, and a photo at 40% of the page gives 1.2 px a module', () => {
    const from = squareCorners(0, 0, 1000);
    const to = [
      { x: 120, y: 80 },
      { x: 900, y: 110 },
      { x: 950, y: 1020 },
      { x: 60, y: 980 },
    ];
    const h = homography(from, to);
    from.forEach((p, i) => {
      const q = applyHomography(h, p);
      expect(q.x).toBeCloseTo(to[i]?.x ?? 0, 6);
      expect(q.y).toBeCloseTo(to[i]?.y ?? 0, 6);
    });
    const shrink = homography(from, squareCorners(10, 10, 400));
    expect(
      pxPerModule(
        corners.map((p) => applyHomography(shrink, p)),
        modules,
      ),
    ).toBe(1.2);
  });

  it('the bow map is inverted where the code corners land, and the shortest side counts', () => {
    const reverse = bowReverse(1654, 2339, 0.03, 0.02);
    for (const p of corners) {
      const q = invertNearIdentity(reverse, p);
      expect(reverse(q).x).toBeCloseTo(p.x, 4);
      expect(reverse(q).y).toBeCloseTo(p.y, 4);
    }
    // A fax's halved line rate: 3 px a module across, 1.5 down.
    expect(
      pxPerModule(
        corners.map((p) => ({ x: p.x, y: p.y / 2 })),
        modules,
      ),
    ).toBe(1.5);
  });
});

describe('legible by eye', () => {
  it.each([
    [{ pxPerModule: 1.5 }, true],
    [{ pxPerModule: 1.49 }, false],
    [{ pxPerModule: null }, false],
    [{ pxPerModule: 2, blurPx: 0.99 }, true],
    [{ pxPerModule: 2, blurPx: 1 }, false],
    [{ pxPerModule: 1.8, bilevel: true }, false],
    [{ pxPerModule: 2, bilevel: true }, true],
    [{ pxPerModule: 3, contrast: 0.19 }, false],
    [{ pxPerModule: 3, contrast: 0.2 }, true],
  ])('%j -> %s', (page, expected) => {
    expect(legibleByEye(page)).toBe(expected);
  });
});

/**
 * The independent corpus (issue #8): letters the reader's own corpus never made, drawn
 * and damaged with other tools, to tell whether the ladder's gates, tuned on
 * scripts/bench/corpus/, carry over to captures nobody tuned them on.
 *
 * - Texts: real AL1 letters signed under the demo keys (letters.ts).
 * - QR: the `qrcode` package's encoder, levels L/M/Q/H as an issuer might choose, its own
 *   mask choice or a forced one, 25-40 mm (the first corpus uses its own matrix and 45 mm).
 * - Page, seal and every capture: ImageMagick (page.ts, magick.ts): EWA and Lanczos,
 *   bicubic, bilinear or nearest resampling, true homographies, polynomial paper bow,
 *   Gaussian and motion blur, vignetting and uneven light, sensor noise, phone sharpening,
 *   libjpeg's encoder with 4:2:0 chroma (twice, block grid shifted), threshold and
 *   Floyd-Steinberg fax at 100/150 DPI and at the 204x98 DPI of standard-mode fax, CCITT G4
 *   TIFF, faded toner with streaks, viewer screenshots.
 *
 * Every draw comes from a seeded stream per page (`plan()` is pure and fixed), the files
 * go to .cache/bench-corpus-independent/ (never committed) with a manifest that gives, per
 * page, the texts, the pixels per module of its smallest code and whether it is legible by
 * eye (geometry.ts states the rule). Run alone: `npx tsx scripts/bench/corpus-independent/make-corpus.ts [--force]`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  type Affine,
  applyAffine,
  applyHomography,
  between,
  bowReverse,
  homography,
  invertNearIdentity,
  type Legibility,
  legibleByEye,
  type Point,
  pick,
  pxPerModule,
  seeded,
  squareCorners,
  turnPage,
} from './geometry.ts';
import { type CorpusLetter, corpusLetters } from './letters.ts';
import { findMagick, magickAsync } from './magick.ts';
import { type CodePlace, type DrawnPage, drawLetterPage, type EcLevel, type Mask, type PageSpec } from './page.ts';

export const CORPUS_DIR = process.env.INDEPENDENT_CORPUS ?? join(process.cwd(), '.cache', 'bench-corpus-independent');
const VERSION = 2;
const LETTERS = 6;

export const CATEGORIES = [
  'rotation',
  'photo',
  'chat',
  'fax',
  'faded',
  'screenshot',
  'small',
  'seal',
  'two-letters',
  'warp',
  'no-code',
  'beyond-limit',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface IndependentPage extends Legibility {
  texts: string[];
  legible: boolean;
  /** The smallest code's symbol: version, level, mask (e.g. `v23-M-m3`). */
  symbol?: string;
}

export interface IndependentItem {
  file: string;
  category: Category;
  label: string;
  pages: IndependentPage[];
}

/** One page of the plan: everything drawn from its seed, nothing from the image tool. */
export interface PlannedJob {
  category: Category;
  label: string;
  seed: number;
  letter: number;
  /** The capture's parameters, as drawn. */
  params: Record<string, number | string | boolean>;
}

const ECS: EcLevel[] = ['M', 'M', 'M', 'M', 'Q', 'Q', 'L', 'H', 'H'];
const PLACES: CodePlace[] = ['bottom-right', 'bottom-right', 'bottom-left', 'top-right', 'bottom-centre'];

/** The code and layout a letter of this job carries: level, mask (half the time the encoder's own), size, margins, place. */
function codeParams(
  random: () => number,
  mm?: number,
): { ec: EcLevel; mask: number; mm: number; margin: number; place: CodePlace } {
  return {
    ec: pick(random, ECS),
    mask: random() < 0.5 ? -1 : Math.floor(random() * 8),
    mm: mm ?? Math.round(between(random, 25, 40)),
    margin: Math.round(between(random, 15, 30)),
    place: pick(random, PLACES),
  };
}

/**
 * The fixed list of pages: categories of issue #8 with their parameters drawn from one
 * seed per page. Pure: the same list every time (the unit test holds it to that).
 */
export function plan(): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  let letter = 0;
  const add = (category: Category, label: string, params: PlannedJob['params'], seed: number) =>
    jobs.push({ category, label, seed, letter: letter++ % LETTERS, params });
  let seed = 7000;

  // Flatbed scans fed askew, 1-45 degrees, at 150 and 200 DPI, with four resampling filters.
  const filters = ['Lanczos', 'Catrom', 'Point', 'Triangle'];
  for (const dpi of [150, 200]) {
    for (const [i, degrees] of [1, 1.6, 2.2, 3, 4.5, 7, 10, 14, 19, 25, 32, 39, 45].entries()) {
      for (const f of [0, 1]) {
        const random = seeded(++seed);
        const filter = filters[(i + f * 2 + (dpi === 200 ? 1 : 0)) % 4] ?? 'Lanczos';
        const turn = (random() < 0.5 ? -1 : 1) * (degrees + between(random, -0.2, 0.2));
        const p = {
          dpi,
          degrees: Math.round(turn * 100) / 100,
          filter,
          ...codeParams(random),
          optics: between(random, 0.35, 0.7),
          out: random() < 0.3 ? 'jpg' : 'png',
        };
        add('rotation', `${dpi}dpi ${p.degrees}deg ${filter} ${p.mm}mm ${p.ec}`, p, seed);
      }
    }
  }

  // Whole-A4 phone photos at 1080 and 1600 px wide: perspective, vignette, shade, blur, noise, sharpening.
  for (const width of [1080, 1600]) {
    for (let i = 0; i < 14; i++) {
      const random = seeded(++seed);
      const p = {
        width,
        ...codeParams(random, [25, 28, 30, 32, 35, 38, 40][i % 7]),
        fill: between(random, 0.72, 0.92),
        tilt: between(random, 0.01, 0.07),
        roll: between(random, -6, 6),
        blur: [0.5, 0.8, 1.1, 1.4][i % 4] ?? 0.8,
        motion: i % 5 === 3 ? between(random, 0.8, 1.6) : 0,
        shade: between(random, 55, 90),
        vignette: between(random, 55, 85),
        noise: between(random, 0.2, 0.6),
        quality: Math.round(between(random, 78, 92)),
      };
      add('photo', `${width}px ${p.mm}mm ${p.ec} blur${p.blur}${p.motion ? ' motion' : ''}`, p, seed);
    }
  }

  // Chat-forwarded: a scan or a photo brought to 1280 px on the long side, JPEG q55-70, half of them twice.
  for (let i = 0; i < 16; i++) {
    const random = seeded(++seed);
    const source = i % 4 === 3 ? 'photo' : 'scan';
    const p = {
      source,
      ...codeParams(random),
      quality: Math.round(between(random, 55, 70)),
      twice: i % 2 === 1,
      degrees: source === 'scan' && i % 3 === 0 ? between(random, -3, 3) : 0,
      fill: between(random, 0.78, 0.9),
      tilt: between(random, 0.01, 0.05),
      roll: between(random, -4, 4),
      blur: 0.7,
      shade: 75,
      vignette: 75,
      noise: 0.3,
    };
    add('chat', `${source} ${p.mm}mm ${p.ec} q${p.quality}${p.twice ? ' twice' : ''}`, p, seed);
  }

  // Fax: 100 and 150 DPI and standard mode (204x98 DPI shown line-doubled), threshold or error diffusion, some askew, some G4 TIFF.
  for (const mode of ['100', '150', '204x98'] as const) {
    for (let i = 0; i < 7; i++) {
      const random = seeded(++seed);
      const p = {
        mode,
        ...codeParams(random, [30, 35, 40, 40, 35, 30, 40][i]),
        binarize: i % 3 === 2 ? 'diffusion' : 'threshold',
        threshold: Math.round(between(random, 42, 62)),
        degrees: i % 2 === 1 ? between(random, -2.5, 2.5) : 0,
        speckle: between(random, 0.02, 0.1),
        out: i % 3 === 0 ? 'tif' : 'png',
      };
      add('fax', `${mode}dpi ${p.binarize} ${p.mm}mm ${p.ec}${p.degrees ? ' askew' : ''} ${p.out}`, p, seed);
    }
  }

  // Faded and low-ink print: pale toner, streaks, grey paper, scanned at 150-300 DPI.
  for (let i = 0; i < 12; i++) {
    const random = seeded(++seed);
    const p = {
      dpi: [150, 200, 300][i % 3] ?? 200,
      ...codeParams(random),
      ink: Math.round(between(random, 105, 185)),
      paper: Math.round(between(random, 225, 250)),
      streak: between(random, 0.05, 0.3),
      optics: between(random, 0.4, 0.8),
      out: i % 2 ? 'jpg' : 'png',
    };
    add('faded', `${p.dpi}dpi ink${p.ink} paper${p.paper} ${p.mm}mm ${p.ec}`, p, seed);
  }

  // A PDF viewer's screenshot, 1920x1080: 100% (96 ppi), page-fit, 125%; a vector page or a scanned one.
  for (let i = 0; i < 14; i++) {
    const random = seeded(++seed);
    const zoom = [1, 1, 1, 1, 1, 0.91, 0.91, 1.25, 1, 1, 1, 1.5, 0.91, 1][i] ?? 1;
    const p = {
      zoom,
      ...codeParams(random, [40, 35, 30, 40, 35, 40, 35, 30, 25, 40, 35, 30, 40, 38][i]),
      scanned: i % 3 === 1,
      filter: pick(random, ['Triangle', 'Lanczos', 'Box']),
      out: i % 4 === 3 ? 'jpg' : 'png',
    };
    add(
      'screenshot',
      `${Math.round(96 * zoom)}ppi ${p.scanned ? 'scanned' : 'vector'} ${p.mm}mm ${p.ec} ${p.out}`,
      p,
      seed,
    );
  }

  // Small printed codes, 25 and 30 mm, on ordinary scans.
  for (let i = 0; i < 14; i++) {
    const random = seeded(++seed);
    const p = {
      dpi: [150, 200, 300, 200, 150, 300, 200][i % 7] ?? 200,
      ...codeParams(random, i % 2 ? 30 : 25),
      optics: between(random, 0.4, 0.8),
      out: i % 3 === 0 ? 'jpg' : 'png',
    };
    add('small', `${p.dpi}dpi ${p.mm}mm ${p.ec}`, p, seed);
  }

  // A red seal over the code: 15-50% of its area, pale or full ink, colour scans.
  for (let i = 0; i < 14; i++) {
    const random = seeded(++seed);
    const p = {
      dpi: [150, 200, 300, 200][i % 4] ?? 200,
      ...codeParams(random, Math.round(between(random, 30, 40))),
      cover: between(random, 0.15, 0.5),
      sealX: between(random, 0.35, 0.75),
      sealY: between(random, 0.35, 0.75),
      sealInk: between(random, 0.6, 1),
      optics: between(random, 0.4, 0.7),
      out: i % 2 ? 'jpg' : 'png',
    };
    add('seal', `${p.dpi}dpi cover${p.cover.toFixed(2)} ${p.mm}mm ${p.ec}`, p, seed);
  }

  // Two letters on one sheet: two A5 letters on A4, or two A4 letters side by side, scanned or photographed.
  for (let i = 0; i < 8; i++) {
    const random = seeded(++seed);
    const p = {
      layout: i % 2 ? 'side-by-side' : 'stacked',
      capture: ['scan', 'scan', 'askew', 'photo'][Math.floor(i / 2)] ?? 'scan',
      dpi: i % 2 ? 150 : 200,
      ...codeParams(random, Math.round(between(random, 28, 36))),
      ec2: pick(random, ECS),
      mm2: Math.round(between(random, 25, 38)),
      seal2: i === 1 || i === 6,
      degrees: between(random, -2, 2),
      fill: 0.88,
      tilt: between(random, 0.01, 0.04),
      roll: between(random, -3, 3),
      blur: 0.6,
      shade: 80,
      vignette: 80,
      noise: 0.3,
      quality: 85,
    };
    letter++; // the second letter on the sheet
    add('two-letters', `${p.layout} ${p.capture} ${p.dpi}dpi ${p.mm}/${p.mm2}mm ${p.ec}/${p.ec2}`, p, seed);
  }

  // Paper that does not lie flat: bowed and lifted at one edge, scanned or photographed.
  for (let i = 0; i < 8; i++) {
    const random = seeded(++seed);
    const p = {
      capture: i % 2 ? 'photo' : 'scan',
      ...codeParams(random),
      bow: between(random, 0.008, 0.035),
      flare: between(random, 0, 0.03),
      width: 1600,
      fill: 0.85,
      tilt: between(random, 0.01, 0.05),
      roll: between(random, -3, 3),
      blur: 0.7,
      shade: 75,
      vignette: 75,
      noise: 0.3,
      quality: 85,
      optics: 0.5,
    };
    add('warp', `${p.capture} bow${p.bow.toFixed(3)} ${p.mm}mm ${p.ec}`, p, seed);
  }

  // Letters without a code: nothing may be read.
  for (const dpi of [150, 200, 300]) {
    const random = seeded(++seed);
    add('no-code', `${dpi}dpi text only`, { dpi, ...codeParams(random), optics: 0.5, out: 'png' }, seed);
  }

  // Past the limit: about one pixel a module, or less.
  for (const [dpi, mm] of [
    [72, 30],
    [100, 25],
    [96, 25],
    [75, 40],
  ] as const) {
    const random = seeded(++seed);
    add('beyond-limit', `${dpi}dpi ${mm}mm`, { dpi, ...codeParams(random, mm), optics: 0.5, out: 'png' }, seed);
  }
  return jobs;
}

// ---- Drawing: the plan's pages through ImageMagick.

const n = (v: PlannedJob['params'][string] | undefined) => Number(v);
const s = (v: PlannedJob['params'][string] | undefined) => String(v);
const f3 = (v: number) => v.toFixed(3);

function pageSpec(p: PlannedJob['params'], dpi: number, extra: Partial<PageSpec> = {}): PageSpec {
  const mask = n(p.mask);
  return {
    dpi,
    ec: s(p.ec) as EcLevel,
    ...(mask >= 0 ? { mask: mask as Mask } : {}),
    codeMm: n(p.mm),
    marginMm: n(p.margin),
    place: s(p.place) as CodePlace,
    sealOverCode: 0,
    ...extra,
  };
}

/** A step of a capture: ImageMagick operators and where it takes a point of its input. */
interface Step {
  ops: string[];
  map: (p: Point) => Point;
  width: number;
  height: number;
}

function turnStep(width: number, height: number, degrees: number, filter: string): Step {
  const t = turnPage(width, height, degrees);
  const m: Affine = t.map;
  return {
    ops: [
      '-virtual-pixel',
      'White',
      '-filter',
      filter,
      ...(filter === 'Point' ? ['-interpolate', 'Nearest'] : []),
      '-define',
      `distort:viewport=${t.width}x${t.height}+0+0`,
      '-distort',
      'AffineProjection',
      [m[0], m[2], m[1], m[3], m[4], m[5]].map((v) => v.toFixed(6)).join(','),
      '+repage',
    ],
    map: (p) => applyAffine(m, p),
    width: t.width,
    height: t.height,
  };
}

function resizeStep(width: number, height: number, toWidth: number, toHeight: number, filter: string): Step {
  return {
    ops: ['-filter', filter, '-resize', `${toWidth}x${toHeight}!`],
    map: (p) => ({ x: (p.x * toWidth) / width, y: (p.y * toHeight) / height }),
    width: toWidth,
    height: toHeight,
  };
}

/** Scanner optics and paper: blur of `optics` px, ink and paper levels, sensor noise. */
function scanOps(random: () => number, optics: number, ink = 22, paper = 248): string[] {
  const tint = Math.round(between(random, 0, 6));
  return [
    '-gaussian-blur',
    `0x${f3(optics)}`,
    '+level-colors',
    `rgb(${ink},${ink},${ink + 4}),rgb(${paper},${paper - 1},${paper - 3 - tint})`,
    '-seed',
    String(Math.floor(random() * 1e6)),
    '-attenuate',
    f3(between(random, 0.15, 0.4)),
    '+noise',
    'Gaussian',
  ];
}

/**
 * A phone photo of a page of `width` x `height` px: the page set in a quadrilateral of a
 * portrait `photoWidth` x 4/3 frame over a table, lens blur (and sometimes hand shake),
 * uneven light and vignetting, sensor noise and the phone's sharpening.
 */
function photoStep(
  random: () => number,
  width: number,
  height: number,
  photoWidth: number,
  p: PlannedJob['params'],
): Step & { blurPx: number } {
  const W = photoWidth;
  const H = Math.round((photoWidth * 4) / 3);
  const pageW = W * n(p.fill);
  const pageH = (pageW * height) / width;
  const cx = W / 2 + between(random, -0.03, 0.03) * W;
  const cy = H / 2 + between(random, -0.03, 0.03) * H;
  const roll = (n(p.roll) * Math.PI) / 180;
  const tilt = n(p.tilt) * W;
  const corners = [
    { x: -pageW / 2, y: -pageH / 2 },
    { x: pageW / 2, y: -pageH / 2 },
    { x: pageW / 2, y: pageH / 2 },
    { x: -pageW / 2, y: pageH / 2 },
  ].map((c, i) => {
    // Perspective: the far edge (top) narrower by the tilt, each corner jittered a little.
    const narrow = i < 2 ? tilt * (c.x > 0 ? -1 : 1) : 0;
    const x = c.x + narrow + between(random, -0.01, 0.01) * W;
    const y = c.y + between(random, -0.01, 0.01) * H;
    return { x: cx + x * Math.cos(roll) - y * Math.sin(roll), y: cy + x * Math.sin(roll) + y * Math.cos(roll) };
  });
  const from = squareCorners(0, 0, 1).map((c) => ({ x: c.x * width, y: c.y * height }));
  const h = homography(from, corners);
  const pairs = from
    .map((a, i) => `${f3(a.x)},${f3(a.y)} ${f3(corners[i]?.x ?? 0)},${f3(corners[i]?.y ?? 0)}`)
    .join(' ');
  const blur = n(p.blur);
  const motion = n(p.motion ?? 0);
  const table = pick(random, ['rgb(96,82,66)', 'rgb(140,128,112)', 'rgb(60,62,68)', 'rgb(170,160,150)']);
  const shade = Math.round(n(p.shade));
  const ops = [
    '-virtual-pixel',
    'Background',
    '-background',
    table,
    '-define',
    `distort:viewport=${W}x${H}+0+0`,
    '-distort',
    'Perspective',
    pairs,
    '+repage',
    '-gaussian-blur',
    `0x${f3(blur)}`,
    ...(motion > 0 ? ['-motion-blur', `0x${f3(motion)}+${Math.round(between(random, 0, 180))}`] : []),
    '(',
    '-size',
    `${W}x${H}`,
    'xc:white',
    '-sparse-color',
    'Barycentric',
    `0,0 gray(100%) ${W},0 gray(${shade}%) 0,${H} gray(${Math.round((100 + shade) / 2)}%)`,
    ')',
    '-compose',
    'Multiply',
    '-composite',
    '(',
    '-size',
    `${W}x${H}`,
    `radial-gradient:white-gray(${Math.round(n(p.vignette))}%)`,
    ')',
    '-compose',
    'Multiply',
    '-composite',
    '-compose',
    'Over',
    '-seed',
    String(Math.floor(random() * 1e6)),
    '-attenuate',
    f3(n(p.noise)),
    '+noise',
    'Gaussian',
    '-unsharp',
    '0x1.2+0.7+0.02',
  ];
  // Hand shake's one-sided gaussian counts with the lens blur in quadrature.
  return { ops, map: (q) => applyHomography(h, q), width: W, height: H, blurPx: Math.hypot(blur, motion) };
}

/** No time stamps in the files: the same plan makes the same bytes. */
const UNDATED = ['-define', 'png:exclude-chunks=date,time', '+set', 'date:create', '+set', 'date:modify'];
const OUT: Record<string, string[]> = {
  png: ['-colorspace', 'Gray', '-type', 'Grayscale', '-depth', '8', ...UNDATED, 'png:-'],
  'png-colour': ['-depth', '8', ...UNDATED, 'png:-'],
  jpg: ['-sampling-factor', '2x2', '-quality', '85', 'jpg:-'],
  bilevel: ['-type', 'Bilevel', ...UNDATED, 'png:-'],
  tif: ['-type', 'Bilevel', '-compress', 'Group4', ...UNDATED, 'tif:-'],
};
const jpegAt = (q: number) => ['-sampling-factor', '2x2', '-quality', String(q), 'jpg:-'];

interface Drawn {
  bytes: Buffer;
  ext: string;
  pages: IndependentPage[];
}

/** The pixels per module of each drawn code after the capture's maps, the smallest of them. */
function measure(codes: { drawn: DrawnPage; offset: Point }[], map: (p: Point) => Point, scale = { x: 1, y: 1 }) {
  let px = Number.POSITIVE_INFINITY;
  let symbol = '';
  for (const { drawn, offset } of codes) {
    if (!drawn.code) continue;
    const c = drawn.code;
    const corners = squareCorners(c.x + offset.x, c.y + offset.y, c.side)
      .map(map)
      .map((q) => ({ x: q.x * scale.x, y: q.y * scale.y }));
    const here = pxPerModule(corners, c.modules);
    if (here < px) {
      px = here;
      symbol = `v${c.version}-m${c.mask}`;
    }
  }
  return { px: Number.isFinite(px) ? px : null, symbol };
}

export async function drawJob(job: PlannedJob, letters: CorpusLetter[], tmp: string): Promise<Drawn> {
  const random = seeded(job.seed * 7919);
  const p = job.params;
  const letter = letters[job.letter] as CorpusLetter;
  const prefix = join(tmp, `j${job.seed}`);
  const draw = (l: CorpusLetter, spec: PageSpec, tag = '') => {
    const drawn = drawLetterPage(l, spec, `${prefix}${tag}`);
    for (const f of drawn.files) writeFileSync(f.name, f.text);
    return drawn;
  };
  const symbolOf = (sym: string, ec: string) => sym.replace('-m', `-${ec}-m`);
  const page = (
    texts: string[],
    m: { px: number | null; symbol: string },
    extra: Legibility = { pxPerModule: null },
  ) => {
    const out: IndependentPage = { ...extra, texts, pxPerModule: m.px, legible: false };
    if (m.symbol) out.symbol = symbolOf(m.symbol, s(p.ec));
    out.legible = texts.length > 0 && legibleByEye(out);
    return out;
  };
  const finish = async (args: string[], ext: string, pages: IndependentPage[]) => ({
    bytes: await magickAsync(args),
    ext,
    pages,
  });

  switch (job.category) {
    case 'rotation': {
      const dpi = n(p.dpi);
      const drawn = draw(letter, pageSpec(p, dpi));
      const turn = turnStep(drawn.width, drawn.height, n(p.degrees), s(p.filter));
      const args = [...drawn.args, '-compose', 'Over', ...turn.ops, ...scanOps(random, n(p.optics))];
      const ext = s(p.out);
      return finish([...args, ...(OUT[ext] ?? [])], ext, [
        page([letter.text], measure([{ drawn, offset: { x: 0, y: 0 } }], turn.map), {
          pxPerModule: null,
          blurPx: n(p.optics),
        }),
      ]);
    }
    case 'photo': {
      const width = n(p.width);
      const drawn = draw(letter, pageSpec(p, width > 1200 ? 200 : 150));
      const photo = photoStep(random, drawn.width, drawn.height, width, p);
      const args = [...drawn.args, '-compose', 'Over', ...photo.ops, ...jpegAt(n(p.quality))];
      return finish(args, 'jpg', [
        page([letter.text], measure([{ drawn, offset: { x: 0, y: 0 } }], photo.map), {
          pxPerModule: null,
          blurPx: photo.blurPx,
        }),
      ]);
    }
    case 'chat': {
      let args: string[];
      let step: Step;
      let blurPx: number;
      const drawn = draw(letter, pageSpec(p, 200));
      if (s(p.source) === 'photo') {
        const photo = photoStep(random, drawn.width, drawn.height, 2000, p);
        step = photo;
        blurPx = photo.blurPx;
        args = [...drawn.args, '-compose', 'Over', ...photo.ops];
      } else {
        const degrees = n(p.degrees);
        step = degrees
          ? turnStep(drawn.width, drawn.height, degrees, 'Lanczos')
          : { ops: [], map: (q) => q, width: drawn.width, height: drawn.height };
        blurPx = 0.5;
        args = [...drawn.args, '-compose', 'Over', ...step.ops, ...scanOps(random, 0.5)];
      }
      const long = Math.max(step.width, step.height);
      const k = 1280 / long;
      const w = Math.round(step.width * k);
      const h = Math.round(step.height * k);
      const q = n(p.quality);
      let bytes = await magickAsync([...args, '-filter', 'Lanczos', '-resize', `${w}x${h}!`, ...jpegAt(q)]);
      if (p.twice) {
        // Forwarded again: the app crops a few pixels (its block grid no longer lines up) and recompresses.
        bytes = await magickAsync(
          ['jpg:-', '-gravity', 'NorthWest', '-chop', '3x2', '+repage', ...jpegAt(q - 5)],
          bytes,
        );
      }
      const m = measure([{ drawn, offset: { x: 0, y: 0 } }], step.map, { x: w / step.width, y: h / step.height });
      return { bytes, ext: 'jpg', pages: [page([letter.text], m, { pxPerModule: null, blurPx: blurPx * k })] };
    }
    case 'fax': {
      const drawn = draw(letter, pageSpec(p, 200));
      const degrees = n(p.degrees);
      const turn = degrees ? turnStep(drawn.width, drawn.height, degrees, 'Triangle') : null;
      const w0 = turn?.width ?? drawn.width;
      const h0 = turn?.height ?? drawn.height;
      const [dx, dy] = s(p.mode) === '204x98' ? [204, 98] : [n(p.mode), n(p.mode)];
      const low = resizeStep(w0, h0, Math.round((w0 * dx) / 200), Math.round((h0 * dy) / 200), 'Triangle');
      const binarize =
        s(p.binarize) === 'diffusion'
          ? ['-dither', 'FloydSteinberg', '-monochrome']
          : ['+dither', '-threshold', `${n(p.threshold)}%`];
      const lineDouble = s(p.mode) === '204x98' ? ['-filter', 'Point', '-resize', '100%x200%'] : [];
      const args = [
        ...drawn.args,
        '-compose',
        'Over',
        ...(turn?.ops ?? []),
        '-colorspace',
        'Gray',
        '-gaussian-blur',
        '0x0.6',
        ...low.ops,
        '-seed',
        String(Math.floor(random() * 1e6)),
        '-attenuate',
        f3(n(p.speckle)),
        '+noise',
        'Impulse',
        ...binarize,
        ...lineDouble,
      ];
      const map = (q: Point) => low.map(turn ? turn.map(q) : q);
      const ext = s(p.out) === 'tif' ? 'tif' : 'png';
      return finish([...args, ...(OUT[ext === 'tif' ? 'tif' : 'bilevel'] ?? [])], ext, [
        page([letter.text], measure([{ drawn, offset: { x: 0, y: 0 } }], map), { pxPerModule: null, bilevel: true }),
      ]);
    }
    case 'faded': {
      const dpi = n(p.dpi);
      const drawn = draw(letter, pageSpec(p, dpi));
      const ink = n(p.ink);
      const paper = n(p.paper);
      const streak = n(p.streak);
      // Toner streaks: columns of lighter print, a band pattern across the sheet.
      const streaks = [
        '(',
        '-size',
        `${drawn.width}x1`,
        'xc:black',
        '-seed',
        String(Math.floor(random() * 1e6)),
        '-attenuate',
        '1',
        '+noise',
        'Uniform',
        '-colorspace',
        'Gray',
        '-blur',
        `0x${Math.round(dpi / 10)}`,
        '-auto-level',
        '+level',
        `0,${Math.round(streak * 100)}%`,
        '-scale',
        `${drawn.width}x${drawn.height}!`,
        ')',
        '-compose',
        'Screen',
        '-composite',
        '-compose',
        'Over',
      ];
      const args = [
        ...drawn.args,
        '-compose',
        'Over',
        '-colorspace',
        'Gray',
        ...scanOps(random, n(p.optics), ink, paper),
        ...streaks,
      ];
      const ext = s(p.out);
      // Worst contrast: under the palest streak both ink and paper are screened by `streak`.
      const contrast = ((1 - streak) * (paper - ink)) / 255;
      return finish([...args, ...(OUT[ext] ?? [])], ext, [
        page(
          [letter.text],
          measure([{ drawn, offset: { x: 0, y: 0 } }], (q) => q),
          {
            pxPerModule: null,
            blurPx: n(p.optics),
            contrast,
          },
        ),
      ]);
    }
    case 'screenshot': {
      const zoom = n(p.zoom);
      const ppi = 96 * zoom;
      const scanned = Boolean(p.scanned);
      const drawn = draw(letter, pageSpec(p, scanned ? 200 : ppi));
      const fit = scanned
        ? resizeStep(
            drawn.width,
            drawn.height,
            Math.round((drawn.width * ppi) / 200),
            Math.round((drawn.height * ppi) / 200),
            s(p.filter),
          )
        : { ops: [], map: (q: Point) => q, width: drawn.width, height: drawn.height };
      const code = drawn.code as NonNullable<DrawnPage['code']>;
      const centre = fit.map({ x: code.x + code.side / 2, y: code.y + code.side / 2 });
      const view = 1080 - 56;
      const top = Math.max(
        0,
        Math.min(fit.height - view, Math.round(centre.y - view / 2 + between(random, -0.25, 0.25) * view)),
      );
      const left = Math.max(0, Math.round((1920 - fit.width) / 2));
      const shown = Math.min(fit.width, 1920);
      const args = [
        ...drawn.args,
        '-compose',
        'Over',
        ...(scanned ? scanOps(random, 0.5) : []),
        ...fit.ops,
        '-crop',
        `${shown}x${Math.min(view, fit.height)}+0+${top}`,
        '+repage',
        '(',
        '-size',
        '1920x1080',
        'xc:rgb(82,86,89)',
        ')',
        '+swap',
        '-geometry',
        `+${left}+56`,
        '-composite',
        '-fill',
        'rgb(50,54,57)',
        '-draw',
        'rectangle 0,0 1919,55',
      ];
      const ext = s(p.out);
      return finish([...args, ...(ext === 'jpg' ? jpegAt(90) : (OUT['png-colour'] ?? []))], ext, [
        page(
          [letter.text],
          measure([{ drawn, offset: { x: 0, y: 0 } }], (q) => {
            const f = fit.map(q);
            return { x: f.x + left, y: f.y - top + 56 };
          }),
        ),
      ]);
    }
    case 'small':
    case 'no-code':
    case 'beyond-limit': {
      const dpi = n(p.dpi);
      const drawn = draw(letter, pageSpec(p, dpi, job.category === 'no-code' ? { noCode: true } : {}));
      const args = [...drawn.args, '-compose', 'Over', ...scanOps(random, n(p.optics))];
      const ext = s(p.out);
      const texts = job.category === 'no-code' ? [] : [letter.text];
      return finish([...args, ...(OUT[ext] ?? [])], ext, [
        page(
          texts,
          measure([{ drawn, offset: { x: 0, y: 0 } }], (q) => q),
          {
            pxPerModule: null,
            blurPx: n(p.optics),
          },
        ),
      ]);
    }
    case 'seal': {
      const dpi = n(p.dpi);
      const drawn = draw(
        letter,
        pageSpec(p, dpi, {
          sealOverCode: n(p.cover),
          sealAt: { x: n(p.sealX), y: n(p.sealY) },
          sealInk: n(p.sealInk),
        }),
      );
      const args = [...drawn.args, '-compose', 'Over', ...scanOps(random, n(p.optics))];
      const ext = s(p.out);
      return finish([...args, ...(ext === 'jpg' ? jpegAt(80) : (OUT['png-colour'] ?? []))], ext, [
        page(
          [letter.text],
          measure([{ drawn, offset: { x: 0, y: 0 } }], (q) => q),
          {
            pxPerModule: null,
            blurPx: n(p.optics),
          },
        ),
      ]);
    }
    case 'two-letters': {
      const dpi = n(p.dpi);
      const stacked = s(p.layout) === 'stacked';
      const second = letters[(job.letter + 1) % letters.length] as CorpusLetter;
      const size = stacked ? { widthMm: 210, heightMm: 148.5 } : {};
      const a = draw(letter, pageSpec(p, dpi, size), 'a');
      const b = draw(
        second,
        pageSpec({ ...p, ec: p.ec2 ?? 'M', mm: p.mm2 ?? 30, place: 'bottom-left' }, dpi, {
          ...size,
          ...(p.seal2 ? { sealOverCode: 0.3, sealAt: { x: 0.55, y: 0.5 } } : {}),
        }),
        'b',
      );
      const sheetW = stacked ? a.width : a.width + b.width;
      const sheetH = stacked ? a.height + b.height : a.height;
      const offsetB = stacked ? { x: 0, y: a.height } : { x: a.width, y: 0 };
      let step: Step = { ops: [], map: (q) => q, width: sheetW, height: sheetH };
      let blurPx = 0.5;
      let tail: string[] = ['-compose', 'Over', ...scanOps(random, 0.5)];
      if (s(p.capture) === 'askew') {
        step = turnStep(sheetW, sheetH, n(p.degrees), 'Catrom');
        tail = ['-compose', 'Over', ...step.ops, ...scanOps(random, 0.5)];
      } else if (s(p.capture) === 'photo') {
        const photo = photoStep(random, sheetW, sheetH, 1600, p);
        step = photo;
        blurPx = photo.blurPx;
        tail = ['-compose', 'Over', ...photo.ops];
      }
      const args = [...a.args, '(', ...b.args, ')', stacked ? '-append' : '+append', '+repage', ...tail];
      const m = measure(
        [
          { drawn: a, offset: { x: 0, y: 0 } },
          { drawn: b, offset: offsetB },
        ],
        step.map,
      );
      const ext = s(p.capture) === 'photo' || p.seal2 ? 'jpg' : 'png';
      return finish([...args, ...(ext === 'jpg' ? jpegAt(n(p.quality)) : (OUT.png ?? []))], ext, [
        page([letter.text, second.text], m, { pxPerModule: null, blurPx }),
      ]);
    }
    case 'warp': {
      const drawn = draw(letter, pageSpec(p, 200));
      const reverse = bowReverse(drawn.width, drawn.height, n(p.bow), n(p.flare));
      const pairs: string[] = [];
      for (let gy = 0; gy <= 4; gy++) {
        for (let gx = 0; gx <= 4; gx++) {
          const q = { x: (gx * drawn.width) / 4, y: (gy * drawn.height) / 4 };
          const src = reverse(q);
          pairs.push(`${f3(src.x)},${f3(src.y)} ${f3(q.x)},${f3(q.y)}`);
        }
      }
      const bend = [
        '-virtual-pixel',
        'White',
        '-define',
        `distort:viewport=${drawn.width}x${drawn.height}+0+0`,
        '-distort',
        'Polynomial',
        `2 ${pairs.join(' ')}`,
        '+repage',
      ];
      const bent = (q: Point) => invertNearIdentity(reverse, q);
      if (s(p.capture) === 'scan') {
        const args = [...drawn.args, '-compose', 'Over', ...bend, ...scanOps(random, n(p.optics))];
        return finish([...args, ...(OUT.png ?? [])], 'png', [
          page([letter.text], measure([{ drawn, offset: { x: 0, y: 0 } }], bent), {
            pxPerModule: null,
            blurPx: n(p.optics),
          }),
        ]);
      }
      const photo = photoStep(random, drawn.width, drawn.height, n(p.width), p);
      const args = [...drawn.args, '-compose', 'Over', ...bend, ...photo.ops, ...jpegAt(n(p.quality))];
      return finish(args, 'jpg', [
        page(
          [letter.text],
          measure([{ drawn, offset: { x: 0, y: 0 } }], (q) => photo.map(bent(q))),
          { pxPerModule: null, blurPx: photo.blurPx },
        ),
      ]);
    }
  }
}

/** Why the corpus cannot be drawn here, or null when it can. */
export function cannotDraw(): string | null {
  return findMagick() ? null : 'ImageMagick (`magick` or `convert`) is not installed: apt-get install imagemagick';
}

/** The corpus from the cache, drawn first when missing or stale (or with `force`). Throws when it cannot be drawn. */
export async function ensureIndependentCorpus(force = false): Promise<IndependentItem[]> {
  const manifestPath = join(CORPUS_DIR, 'manifest.json');
  if (!force && existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: number; items: IndependentItem[] };
    if (manifest.version === VERSION) return manifest.items;
  }
  const why = cannotDraw();
  if (why) throw new Error(why);
  mkdirSync(CORPUS_DIR, { recursive: true });
  // A stale corpus goes, all but its letters (kept so the same plan makes the same pages).
  for (const name of readdirSync(CORPUS_DIR))
    if (name !== 'letters.json') rmSync(join(CORPUS_DIR, name), { recursive: true, force: true });
  const letters = await corpusLetters(join(CORPUS_DIR, 'letters.json'), LETTERS);
  const tmp = join(CORPUS_DIR, 'tmp');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const jobs = plan();
  const items: (IndependentItem | undefined)[] = [];
  let next = 0;
  // Two pages at a time (one ImageMagick thread each): the machine has two cores.
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i] as PlannedJob;
      const drawn = await drawJob(job, letters, tmp);
      const file = `${String(i).padStart(3, '0')}-${job.category}-${job.label.replace(/[^A-Za-z0-9.]+/g, '-')}.${drawn.ext}`;
      writeFileSync(join(CORPUS_DIR, file), drawn.bytes);
      items[i] = { file, category: job.category, label: job.label, pages: drawn.pages };
    }
  };
  await Promise.all(Array.from({ length: Math.min(2, cpus().length) }, worker));
  rmSync(tmp, { recursive: true, force: true });
  const done = items.filter((i): i is IndependentItem => i !== undefined);
  writeFileSync(
    manifestPath,
    JSON.stringify({ version: VERSION, magick: findMagick()?.version, items: done }, null, 1),
  );
  return done;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = performance.now();
  const items = await ensureIndependentCorpus(process.argv.includes('--force'));
  console.log(`${items.length} pages in ${CORPUS_DIR} (${Math.round(performance.now() - t0)} ms)`);
  for (const category of CATEGORIES) {
    const pages = items.filter((i) => i.category === category).flatMap((i) => i.pages);
    const px = pages.map((p) => p.pxPerModule ?? 0);
    console.log(
      `${category}: ${pages.length} pages, ${pages.filter((p) => p.legible).length} legible, px/module ${Math.min(...px)}..${Math.max(...px)}`,
    );
  }
}

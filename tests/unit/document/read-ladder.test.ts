import { describe, expect, it } from 'vitest';
import { bilevel, blankPage, drawCode, resample } from '../../../scripts/bench/corpus/capture.ts';
import { blur } from '../../../scripts/bench/corpus/damage.ts';
import { findCodeRegions } from '../../../utils/document/code-regions.ts';
import { luminance } from '../../../utils/document/image-ops.ts';
import type { GreyImage, RgbaImage } from '../../../utils/document/image-types.ts';
import { loadQrDecoder, loadQrReader, type QrDecoder } from '../../../utils/document/qr-decoder.ts';
import { ladderSteps, readPageImage } from '../../../utils/document/read-ladder.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import {
  blankImage,
  paste,
  qrImage,
  qrMatrix,
  sampleAl1Text,
  stampSeal,
} from '../../fixtures/documents/make-documents.ts';

const text = sampleAl1Text(7);

/** A clock that moves forward `step` ms every time it is read. */
const ticking = (step: number) => {
  let t = 0;
  return () => {
    t += step;
    return t;
  };
};

/** A page with a code, stamped with a red seal covering `coverage` of the code's area. */
function sealedPage(coverage: number): RgbaImage {
  const code = qrImage(text, { module: 3 });
  const page = paste(blankImage(900, 1100), code, 250, 300);
  const r = Math.sqrt((coverage * code.width * code.height) / Math.PI);
  return stampSeal(page, 250 + code.width * 0.6, 300 + code.height * 0.55, r, 3);
}

describe('ladderSteps', () => {
  it('starts with the red channel on a coloured page and skips it on a grey one', () => {
    const colour = sealedPage(0.3);
    expect(ladderSteps(colour, luminance(colour))[0]?.name).toBe('red');
    const grey = paste(blankImage(600, 600), qrImage(text), 50, 50);
    expect(ladderSteps(grey, luminance(grey)).map((s) => s.name)).not.toContain('red');
  });

  it('offers crops of likely code regions, then whole-page contrast, median, downscale, sharpen and upscale', () => {
    const page = paste(blankImage(600, 600), qrImage(text), 50, 50);
    const names = ladderSteps(page, luminance(page)).map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['region1-plain', 'region1-median', 'stretch', 'median', 'half', 'sharpen', 'upscale']),
    );
  });
});

describe('findCodeRegions', () => {
  it('puts the first region around the code, not around the text lines', () => {
    const page = blankImage(1000, 1200);
    // Text-like stripes across the top of the page.
    for (let line = 0; line < 12; line++) {
      for (let y = 80 + line * 30; y < 92 + line * 30; y++) {
        for (let x = 80; x < 920; x++)
          if ((x >> 3) % 3 !== 0) page.data.fill(0, (y * 1000 + x) * 4, (y * 1000 + x) * 4 + 3);
      }
    }
    const code = qrImage(text, { module: 4 });
    paste(page, code, 500, 650);
    const [first] = findCodeRegions(luminance(page));
    expect(first).toBeDefined();
    const r = first ?? { x: 0, y: 0, width: 0, height: 0 };
    expect(r.x).toBeLessThanOrEqual(500 + 16);
    expect(r.y).toBeLessThanOrEqual(650 + 16);
    expect(r.x + r.width).toBeGreaterThanOrEqual(500 + code.width - 16);
    expect(r.y + r.height).toBeGreaterThanOrEqual(650 + code.height - 16);
  });

  it('finds nothing on a blank page', () => {
    expect(findCodeRegions(luminance(blankImage(400, 400)))).toEqual([]);
  });
});

describe('readPageImage with zxing', () => {
  it('reads a red seal over half of the code through the red channel, which the first pass cannot', async () => {
    const decode = await loadQrDecoder(nodeReaderPlatform().zxing);
    const page = sealedPage(0.5);
    expect(await decode(luminance(page))).toEqual([]);
    const reading = await readPageImage(page, { decode, now: ticking(0), budgetMs: 1500 });
    expect(reading.step).toBe('red');
    expect(reading.codes.map((c) => c.text)).toEqual([text]);
  });

  it("reads a 100-DPI fax's jagged code (1.8 px a module) through the smoothed crop, which no earlier step reads", async () => {
    const { decode, detect, scan } = await loadQrReader(nodeReaderPlatform().zxing);
    const long = sampleAl1Text(11, 520);
    const sharp = paste(blankImage(800, 800), qrImage(long, { module: 4 }), 100, 100);
    const fax = bilevel(resample(sharp, 360, 360), 140, 3);
    const reading = await readPageImage(fax, { decode, detect, scan, now: ticking(0), budgetMs: 1500 });
    expect(reading.step).toBe('region1-smooth');
    expect(reading.codes.map((c) => c.text)).toEqual([long]);
  });

  it('reads a code at 1.3 px a module, which zxing cannot locate, through its outline', async () => {
    const { decode, detect, scan } = await loadQrReader(nodeReaderPlatform().zxing);
    // A 35 mm code in a 1080-px photo of a whole page: 1.3 px a module, soft. (A damaged
    // one giving no text, never a wrong one: qr-outline.test.ts.)
    const long = sampleAl1Text(13, 500);
    const page = blur(drawCode(blankPage(260, 220), qrMatrix(long), 60.4, 40.3, 1.3), 0.75);
    const reading = await readPageImage(page, { decode, detect, scan, now: ticking(0), budgetMs: 1500 });
    expect(reading.step).toBe('region1-outline');
    expect(reading.codes.map((c) => c.text)).toEqual([long]);
  });

  it('reads a clean page in the first pass', async () => {
    const decode = await loadQrDecoder(nodeReaderPlatform().zxing);
    const reading = await readPageImage(paste(blankImage(500, 500), qrImage(text), 20, 30), {
      decode,
      now: ticking(0),
      budgetMs: 1500,
    });
    expect(reading).toMatchObject({ step: 'first', timedOut: false });
    expect(reading.codes[0]?.box.x).toBeGreaterThanOrEqual(20);
  });
});

describe('readPageImage with a scripted decoder', () => {
  const page = paste(blankImage(400, 400), qrImage('AL1:x', { module: 4 }), 40, 40);

  it('ends the ladder when the page budget is spent and says it timed out', async () => {
    const clock = { t: 0 };
    const calls: number[] = [];
    // Every decode takes 300 ms whatever the image: the budget, not the step list, ends the ladder.
    const decode: QrDecoder = async (image: GreyImage) => {
      clock.t += 300;
      calls.push(image.width);
      return [];
    };
    const reading = await readPageImage(page, { decode, now: () => clock.t, budgetMs: 1500 });
    expect(reading).toMatchObject({ codes: [], step: null, timedOut: true });
    expect(calls.length).toBeLessThan(ladderSteps(page, luminance(page)).length);
    expect(calls.length).toBeGreaterThan(1);
  });

  it('skips a step that cannot finish in the time left instead of starting it', async () => {
    const clock = { t: 0 };
    // Decoding costs time in proportion to pixels, as it does in zxing.
    const decode: QrDecoder = async (image: GreyImage) => {
      clock.t += image.width * image.height * 0.004;
      return [];
    };
    const reading = await readPageImage(page, { decode, now: () => clock.t, budgetMs: 1500 });
    expect(reading.timedOut).toBe(true);
    // The first pass costs 640 ms; nothing afterwards may push the page past its budget.
    expect(clock.t).toBeLessThanOrEqual(1500);
  });

  it('tries every step when there is time and reports nothing read', async () => {
    let calls = 0;
    const decode: QrDecoder = async () => {
      calls++;
      return [];
    };
    const reading = await readPageImage(page, { decode, now: ticking(0), budgetMs: 1500 });
    expect(reading).toMatchObject({ codes: [], step: null, timedOut: false });
    expect(calls).toBeGreaterThan(5);
  });

  it('reports the code it located but could not read, around the code', async () => {
    const reading = await readPageImage(page, { decode: async () => [], now: ticking(0), budgetMs: 1500 });
    expect(reading.unreadable).toHaveLength(1);
    const [box] = reading.unreadable;
    // The code's modules span 56 to 172 on both axes; the region reported sits on them.
    const cx = (box?.x ?? 0) + (box?.width ?? 0) / 2;
    const cy = (box?.y ?? 0) + (box?.height ?? 0) / 2;
    expect(cx).toBeGreaterThan(56);
    expect(cx).toBeLessThan(172);
    expect(cy).toBeGreaterThan(56);
    expect(cy).toBeLessThan(172);
  });

  it('reports nothing unreadable on a page without a code', async () => {
    const text = blankImage(400, 400);
    for (let y = 60; y < 340; y += 24)
      for (let x = 40; x < 360; x++) if ((x >> 2) % 3) text.data.fill(0, (y * 400 + x) * 4, (y * 400 + x) * 4 + 3);
    const reading = await readPageImage(text, { decode: async () => [], now: ticking(0), budgetMs: 1500 });
    expect(reading).toMatchObject({ codes: [], unreadable: [] });
  });

  it('goes on after the first code when a second code-like region is unread, and reads both', async () => {
    const two = paste(
      paste(blankImage(900, 400), qrImage('AL1:a', { module: 4 }), 40, 40),
      qrImage('AL1:b', { module: 4 }),
      560,
      40,
    );
    const images: number[] = [];
    const decode: QrDecoder = async (image) => {
      images.push(image.width);
      // The first pass reads the left code only; the right one reads only from a crop of it.
      if (image.width === 900) return [{ text: 'AL1:a', box: { x: 56, y: 56, width: 116, height: 116 } }];
      return [{ text: 'AL1:b', box: { x: 10, y: 10, width: 50, height: 50 } }];
    };
    const reading = await readPageImage(two, { decode, now: ticking(0), budgetMs: 1500 });
    expect(reading.codes.map((c) => c.text)).toEqual(['AL1:a', 'AL1:b']);
    expect(reading.step).toBe('first');
    expect(reading.codes[1]?.box.x).toBeGreaterThan(450);
    expect(reading.unreadable).toEqual([]);
  });

  it('stops after the first pass when the only code-like region is the one read', async () => {
    let calls = 0;
    const decode: QrDecoder = async () => {
      calls++;
      return [{ text: 'AL1:x', box: { x: 56, y: 56, width: 116, height: 116 } }];
    };
    const reading = await readPageImage(page, { decode, now: ticking(0), budgetMs: 1500 });
    expect(reading).toMatchObject({ step: 'first', unreadable: [] });
    expect(calls).toBe(1);
  });

  it("goes on when the first pass's scan saw a symbol it could not read, and says so when nothing reads it", async () => {
    let calls = 0;
    const reading = await readPageImage(page, {
      decode: async () => {
        calls++;
        return [];
      },
      scan: async () => ({
        codes: [{ text: 'AL1:x', box: { x: 56, y: 56, width: 116, height: 116 } }],
        failed: [
          {
            size: 21,
            quad: [
              { x: 300, y: 300 },
              { x: 380, y: 300 },
              { x: 380, y: 380 },
              { x: 300, y: 380 },
            ],
          },
        ],
      }),
      now: ticking(0),
      budgetMs: 1500,
    });
    expect(reading.codes.map((c) => c.text)).toEqual(['AL1:x']);
    expect(calls).toBeGreaterThan(3);
    expect(reading.unreadable).toEqual([{ x: 300, y: 300, width: 80, height: 80 }]);
  });

  it('returns both texts when one step decodes two different codes, and never merges them', async () => {
    const decode: QrDecoder = async () => [
      { text: 'AL1:one', box: { x: 1, y: 1, width: 10, height: 10 } },
      { text: 'AL1:two', box: { x: 2, y: 2, width: 10, height: 10 } },
      { text: 'AL1:one', box: { x: 1, y: 1, width: 10, height: 10 } },
    ];
    const reading = await readPageImage(page, { decode, now: ticking(0), budgetMs: 1500 });
    expect(reading.codes.map((c) => c.text)).toEqual(['AL1:one', 'AL1:two']);
  });

  it('maps a code found in an upscaled crop back to page pixels', async () => {
    let call = 0;
    const decode: QrDecoder = async () => {
      call++;
      // Fail the first pass and the region's plain crop reports a box at (60, 60) in its own pixels.
      if (call === 1) return [];
      return [{ text: 'AL1:x', box: { x: 60, y: 60, width: 30, height: 30 } }];
    };
    const reading = await readPageImage(page, { decode, now: ticking(0), budgetMs: 1500 });
    const region = findCodeRegions(luminance(page))[0];
    expect(reading.step).toBe('region1-plain');
    expect(region).toBeDefined();
    const box = reading.codes[0]?.box;
    expect(box?.x).toBeGreaterThanOrEqual(Math.floor(region?.x ?? 0));
    expect(box?.width).toBeLessThanOrEqual(30);
  });

  /** Lines of text-like dashes across a white page: nothing on it looks like a code. */
  const textPage = () => {
    const out = blankImage(600, 600);
    for (let y = 60; y < 540; y += 24)
      for (let x = 40; x < 560; x++) if ((x >> 2) % 3) out.data.fill(0, (y * 600 + x) * 4, (y * 600 + x) * 4 + 3);
    return out;
  };
  const stepsRun = async (
    image: RgbaImage,
    decode: QrDecoder = async () => [],
    more: Partial<Parameters<typeof readPageImage>[1]> = {},
  ) => {
    const names: string[] = [];
    const reading = await readPageImage(image, {
      decode,
      now: ticking(0),
      budgetMs: 1500,
      onStep: (name) => names.push(name),
      ...more,
    });
    return { names, reading };
  };
  const square = (x: number, y: number, side: number) => ({
    size: 21,
    quad: [
      { x, y },
      { x: x + side, y },
      { x: x + side, y: y + side },
      { x, y: y + side },
    ] as [{ x: number; y: number }, { x: number; y: number }, { x: number; y: number }, { x: number; y: number }],
  });

  it('skips the costly steps on a page that shows no sign of a code, and still tries the cheap ones', async () => {
    const { names, reading } = await stepsRun(textPage());
    expect(reading).toMatchObject({ codes: [], unreadable: [], timedOut: false });
    expect(names).toEqual(expect.arrayContaining(['first', 'region1-plain', 'region1-outline', 'region2-plain']));
    for (const costly of ['region1-grid', 'region2-median', 'sharpen', 'median', 'half', 'upscale'])
      expect(names, costly).not.toContain(costly);
  });

  it("runs the region's costly steps when a code stands out but nothing reads it", async () => {
    const { names } = await stepsRun(page, async () => [], { detect: async () => [] });
    expect(names).toEqual(expect.arrayContaining(['region1-sharpen', 'region1-median', 'region1-grid']));
  });

  it('skips the whole-page filters when every sign of a code lies in a region whose steps ran', async () => {
    // The code stands out in region 1 and zxing located it there: the whole-page filters
    // would retry the region's own filters on the same code, less enlarged.
    const { names, reading } = await stepsRun(page, async () => [], {
      scan: async () => ({ codes: [], failed: [square(56, 56, 116)] }),
    });
    expect(names).toContain('region1-median');
    for (const whole of ['sharpen', 'stretch', 'half', 'median', 'upscale']) expect(names, whole).not.toContain(whole);
    expect(reading.unreadable).toHaveLength(1);
  });

  it('runs the whole-page filters for a symbol zxing located outside every region tried', async () => {
    const { names } = await stepsRun(page, async () => [], {
      scan: async () => ({ codes: [], failed: [square(300, 300, 80)] }),
    });
    expect(names).toEqual(expect.arrayContaining(['sharpen', 'stretch', 'half', 'median', 'upscale']));
  });

  it("skips the region's filters and grid reader after its outline step located a code it could not read", async () => {
    // A code at 1.3 px a module, its grid found from the outline; the decoder refuses every
    // try (as Reed-Solomon does a code too damaged or blurred to read).
    const soft = blur(drawCode(blankPage(260, 220), qrMatrix(sampleAl1Text(13, 500)), 60.4, 40.3, 1.3), 0.75);
    const { names, reading } = await stepsRun(soft, async () => [], { detect: async () => [] });
    expect(names).toEqual(
      expect.arrayContaining(['region1-plain', 'region1-rectify', 'region1-smooth', 'region1-outline']),
    );
    for (const after of [
      'region1-sharpen',
      'region1-stretch',
      'region1-median',
      'region1-median-stretch',
      'region1-grid',
    ])
      expect(names, after).not.toContain(after);
    expect(reading.unreadable).toHaveLength(1);
  });

  it('runs the plain crop rather than the outline step when the time left fits only the cheaper one', async () => {
    const clock = { t: 0 };
    let first = true;
    // The first pass costs 1 ms a kilopixel here; every later step costs nothing on this clock.
    const decode: QrDecoder = async (image) => {
      if (first) clock.t += (image.width * image.height) / 1000;
      first = false;
      return [];
    };
    const [region] = findCodeRegions(luminance(page));
    const crop = (region?.width ?? 0) * (region?.height ?? 0);
    // Time left for two passes of the region's crop enlarged three times (a 150-px region):
    // the plain crop's decode, not the outline step's fitting of grids.
    const left = (crop * 9 * 2) / 1000;
    const names: string[] = [];
    await readPageImage(page, { decode, now: () => clock.t, budgetMs: 160 + left, onStep: (n) => names.push(n) });
    expect(names).toContain('region1-plain');
    expect(names).not.toContain('region1-outline');
  });

  it('skips the second region when the one code-like region stands out and its steps read nothing', async () => {
    const { names } = await stepsRun(page);
    expect(names).toContain('region1-outline');
    expect(names.filter((n) => n.startsWith('region2-'))).toEqual([]);
  });

  it('does not take a block of text far larger than the code read for a second code', async () => {
    // A 116-px code beside a 480-px square block of dense marks: a region that scores like a
    // code by its area, not a second letter.
    const image = paste(textPage(), qrImage('AL1:x', { module: 4 }), 0, 0);
    const dense = blankImage(480, 480);
    for (let y = 0; y < 480; y++)
      for (let x = 0; x < 480; x++)
        if (((x >> 2) + (y >> 2)) % 2) dense.data.fill(0, (y * 480 + x) * 4, (y * 480 + x) * 4 + 3);
    const both = paste(paste(blankImage(1400, 700), image, 0, 0), dense, 800, 100);
    const { names, reading } = await stepsRun(both, async (g) =>
      g.width === 1400 ? [{ text: 'AL1:x', box: { x: 56, y: 56, width: 116, height: 116 } }] : [],
    );
    expect(reading).toMatchObject({ step: 'first', unreadable: [] });
    expect(names).toEqual(['first']);
  });

  it('stops with a cancellation when the signal is aborted', async () => {
    const controller = new AbortController();
    const decode: QrDecoder = async () => {
      controller.abort();
      return [];
    };
    await expect(
      readPageImage(page, { decode, now: ticking(0), budgetMs: 1500, signal: controller.signal }),
    ).rejects.toMatchObject({ key: 'reader.error.aborted' });
  });
});

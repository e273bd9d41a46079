// The browser-decoder step of the reader (utils/document/decode-native.ts) with fake globals:
// whenever a piece is missing, the browser refuses, or its answer could differ from ours, it
// declines and the wasm decoders read as before. The real browser is in
// tests/browser/offscreen-reader.test.ts.
import { describe, expect, it } from 'vitest';
import {
  jpegTraits,
  type NativeDecodeCounts,
  nativeImageDecoder,
  pngTraits,
} from '../../../utils/document/decode-native.ts';
import { openRaster } from '../../../utils/document/decode-raster.ts';
import type { RgbaImage } from '../../../utils/document/image-types.ts';
import { readDocument } from '../../../utils/document/read-document.ts';
import { DEFAULT_READ_LIMITS } from '../../../utils/document/read-limits.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import { blankImage, paste, qrImage, sampleAl1Text, toJpeg, toPng } from '../../fixtures/documents/make-documents.ts';

const text = sampleAl1Text(21);
const letter = () => paste(blankImage(600, 800), qrImage(text, { module: 4 }), 100, 200);

/** A PNG with a chunk of the given type right after IHDR (its CRC is not checked by the walker). */
function withChunk(png: Uint8Array, type: string): Uint8Array {
  const chunk = Uint8Array.from([0, 0, 0, 0, ...[...type].map((c) => c.charCodeAt(0)), 0, 0, 0, 0]);
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, 33));
  out.set(chunk, 33);
  out.set(png.subarray(33), 33 + chunk.length);
  return out;
}

/** Byte offset of a JPEG's SOF0 marker. */
const sofAt = (jpeg: Uint8Array) => jpeg.findIndex((v, i) => v === 0xff && jpeg[i + 1] === 0xc0);

/** The JPEG with its first component sampled 2×2 (4:2:0), as phones and most scanners write. */
function subsampled(jpeg: Uint8Array): Uint8Array {
  const out = jpeg.slice();
  out[sofAt(out) + 11] = 0x22;
  return out;
}

/** The JPEG's frame header claiming four components (CMYK). */
function fourComponents(jpeg: Uint8Array): Uint8Array {
  const out = jpeg.slice();
  out[sofAt(out) + 9] = 4;
  return out;
}

interface FakeOptions {
  /** Size of the picture the decoder gives for a file (default 600×800). */
  size?: { width: number; height: number };
  /** Whether the orientation probe's 2×1 JPEG comes back turned. */
  turnsProbe?: boolean;
  /** Whether copyTo converts to the format asked for (Chromium 127+). */
  converts?: boolean;
  refuse?: boolean;
  noDecoder?: boolean;
  /** The frame's format (default BGRA, as Chromium gives PNGs). */
  format?: string;
  /** The stored pixels, as the frame holds them (default: opaque, B=1 G=2 R=3). */
  pixels?: (width: number, height: number) => Uint8Array;
}

/** Globals of a browser context, enough for nativeImageDecoder; records what it was asked. */
function fakeScope(options: FakeOptions = {}) {
  const log = { decodes: 0, probes: 0, closed: 0, inits: [] as Record<string, unknown>[], copies: [] as object[] };
  const converts = options.converts ?? true;
  /** copyTo as Chromium does: converts BGRA to RGBA when asked and able, else copies as stored. */
  const copy = (stored: Uint8Array, format: string) => async (out: Uint8Array, copyOptions?: { format?: string }) => {
    log.copies.push(copyOptions ?? {});
    out.set(stored);
    if (converts && copyOptions?.format === 'RGBA' && format.startsWith('B'))
      for (let p = 0; p < out.length; p += 4) [out[p], out[p + 2]] = [out[p + 2] ?? 0, out[p] ?? 0];
  };
  class FakeFrame {
    constructor(
      readonly stored: Uint8Array,
      readonly format: string,
      readonly codedWidth: number,
      readonly codedHeight: number,
    ) {}
    copyTo(out: Uint8Array, copyOptions?: { format?: string }) {
      return copy(this.stored, this.format)(out, copyOptions);
    }
    close() {
      log.closed++;
    }
  }
  class FakeImageDecoder {
    constructor(readonly init: { data: Uint8Array }) {
      log.inits.push(init);
    }
    async decode() {
      if (options.refuse) throw new DOMException('Failed to decode.', 'EncodingError');
      const bytes = this.init.data;
      // The orientation probe: the fake canvas's 4-byte JPEG with an APP1 put in; every letter is larger.
      if (bytes.length < 60 && bytes[3] === 0xe1) {
        log.probes++;
        const turned = options.turnsProbe === true;
        return { image: new FakeFrame(new Uint8Array(8), 'BGRA', turned ? 1 : 2, turned ? 2 : 1) };
      }
      log.decodes++;
      const { width, height } = options.size ?? { width: 600, height: 800 };
      const stored =
        options.pixels?.(width, height) ??
        Uint8Array.from({ length: width * height * 4 }, (_, i) => [1, 2, 3, 255][i % 4] ?? 0);
      return { image: new FakeFrame(stored, options.format ?? 'BGRA', width, height) };
    }
    close() {}
  }
  class FakeVideoFrame extends FakeFrame {
    constructor(data: Uint8Array, init: { format: string; codedWidth: number; codedHeight: number }) {
      super(data, init.format, init.codedWidth, init.codedHeight);
    }
  }
  class FakeCanvas {
    getContext() {
      return { fillStyle: '', fillRect() {} };
    }
    async convertToBlob() {
      return new Blob([Uint8Array.from([0xff, 0xd8, 0xff, 0xd9])]);
    }
  }
  const scope = {
    ImageDecoder: options.noDecoder ? undefined : FakeImageDecoder,
    VideoFrame: FakeVideoFrame,
    OffscreenCanvas: FakeCanvas,
  };
  return { scope: scope as never, log };
}

const SIZE = { width: 600, height: 800 };

describe('nativeImageDecoder', () => {
  it('decodes a PNG with no colour management, and puts BGRA in RGBA order where copyTo cannot', async () => {
    const { scope, log } = fakeScope({ converts: false });
    const counts: NativeDecodeCounts = { native: 0, declined: 0 };
    const image = await nativeImageDecoder(scope, counts)(toPng(letter()), 'png', SIZE);
    expect(image && [image.width, image.height, image.data.length]).toEqual([600, 800, 600 * 800 * 4]);
    expect(Array.from(image?.data.slice(0, 8) ?? [])).toEqual([3, 2, 1, 255, 3, 2, 1, 255]);
    expect(log.inits[0]).toMatchObject({ type: 'image/png', colorSpaceConversion: 'none', preferAnimation: false });
    expect(log.closed).toBeGreaterThan(0);
    expect(counts).toEqual({ native: 1, declined: 0 });
  });

  it('lets the browser convert where it can (PNG and JPEG alike)', async () => {
    const { scope, log } = fakeScope({ converts: true });
    const decode = nativeImageDecoder(scope);
    const png = await decode(toPng(letter()), 'png', SIZE);
    expect(Array.from(png?.data.slice(0, 4) ?? [])).toEqual([3, 2, 1, 255]);
    const jpeg = await decode(toJpeg(letter()), 'jpeg', SIZE);
    expect(Array.from(jpeg?.data.slice(0, 4) ?? [])).toEqual([3, 2, 1, 255]);
    expect(log.copies.at(-1)).toEqual({ format: 'RGBA' });
    expect(log.copies.at(-2)).toEqual({ format: 'RGBA' });
  });

  const declines: [string, FakeOptions, () => Uint8Array, 'png' | 'jpeg'][] = [
    ['there is no ImageDecoder', { noDecoder: true }, () => toPng(letter()), 'png'],
    ['the browser refuses the bytes', { refuse: true }, () => toPng(letter()), 'png'],
    [
      'the picture is not the size the header gave',
      { size: { width: 800, height: 600 } },
      () => toPng(letter()),
      'png',
    ],
    [
      'a PNG has a see-through pixel (premultiplied or not is not said)',
      { pixels: (w, h) => new Uint8Array(w * h * 4).fill(128) },
      () => toPng(letter()),
      'png',
    ],
    ['a PNG comes out in a planar format', { format: 'I420' }, () => toPng(letter()), 'png'],
    ['a PNG has an eXIf chunk', {}, () => withChunk(toPng(letter()), 'eXIf'), 'png'],
    ['a PNG is animated', {}, () => withChunk(toPng(letter()), 'acTL'), 'png'],
    ['a PNG is cut before its image data', {}, () => toPng(letter()).slice(0, 40), 'png'],
    ['a JPEG is 4:2:0 (upsampled otherwise than libjpeg)', {}, () => subsampled(toJpeg(letter())), 'jpeg'],
    ['a JPEG is CMYK', {}, () => fourComponents(toJpeg(letter())), 'jpeg'],
    ['a JPEG cannot be converted by copyTo (before Chromium 127)', { converts: false }, () => toJpeg(letter()), 'jpeg'],
    ['a JPEG has EXIF and the browser turns by it', { turnsProbe: true }, () => toJpeg(letter(), 90, 1), 'jpeg'],
  ];
  it.each(declines)('declines when %s', async (_case, options, bytes, kind) => {
    const { scope } = fakeScope(options);
    const counts: NativeDecodeCounts = { native: 0, declined: 0 };
    expect(await nativeImageDecoder(scope, counts)(bytes(), kind, SIZE)).toBeNull();
    expect(counts).toEqual({ native: 0, declined: 1 });
  });

  it('asks the browser about EXIF once, and only for files that carry it', async () => {
    const { scope, log } = fakeScope({ turnsProbe: true });
    const decode = nativeImageDecoder(scope);
    expect(await decode(toJpeg(letter()), 'jpeg', SIZE)).not.toBeNull();
    expect(log.probes).toBe(0);
    expect(await decode(toJpeg(letter(), 90, 6), 'jpeg', SIZE)).toBeNull();
    expect(await decode(toJpeg(letter(), 90, 3), 'jpeg', SIZE)).toBeNull();
    expect(log.probes).toBe(1);
    // A browser that leaves the pixels as stored: the EXIF file is decoded natively (and turned by openRaster).
    const honest = fakeScope({ turnsProbe: false });
    expect(await nativeImageDecoder(honest.scope)(toJpeg(letter(), 90, 6), 'jpeg', SIZE)).not.toBeNull();
    expect(honest.log.probes).toBe(1);
  });
});

describe('header traits', () => {
  it.each([
    ['a JPEG', () => jpegTraits(toJpeg(letter())), { exif: false, components: 3, subsampled: false }],
    ['a JPEG with EXIF', () => jpegTraits(toJpeg(letter(), 90, 6)), { exif: true, components: 3, subsampled: false }],
    ['a 4:2:0 JPEG', () => jpegTraits(subsampled(toJpeg(letter()))), { exif: false, components: 3, subsampled: true }],
    ['a JPEG cut in its headers', () => jpegTraits(toJpeg(letter()).slice(0, 30)), null],
    ['a PNG', () => pngTraits(toPng(letter())), { exif: false, animated: false }],
    ['a PNG with eXIf', () => pngTraits(withChunk(toPng(letter()), 'eXIf')), { exif: true, animated: false }],
    ['an APNG', () => pngTraits(withChunk(toPng(letter()), 'acTL')), { exif: false, animated: true }],
    ['a PNG cut before its image data', () => pngTraits(toPng(letter()).slice(0, 40)), null],
  ])('%s', (_case, traits, expected) => {
    expect(traits()).toEqual(expected);
  });
});

describe('openRaster with a native decoder', () => {
  const platform = nodeReaderPlatform();

  it('reads with the wasm decoders when the native one declines', async () => {
    const { scope } = fakeScope({ noDecoder: true });
    const counts: NativeDecodeCounts = { native: 0, declined: 0 };
    const withNative = { ...platform, nativeImages: nativeImageDecoder(scope, counts) };
    for (const bytes of [toPng(letter()), toJpeg(letter(), 90, 6)]) {
      const result = await readDocument(bytes, { platform: withNative, limits: { pageBudgetMs: 60_000 } });
      expect(result.ok && result.codes.map((c) => c.text)).toEqual([text]);
    }
    expect(counts).toEqual({ native: 0, declined: 2 });
  });

  it('takes the native pixels as they are for PNG, and turns a JPEG by its EXIF tag itself', async () => {
    // A 2×3 picture whose first pixel is black: after orientation 6 (90° clockwise) it is 3×2
    // with the black pixel at the top right.
    const pixels = (w: number, h: number) => {
      const data = new Uint8Array(w * h * 4).fill(255);
      data.fill(0, 0, 3);
      return data;
    };
    const { scope } = fakeScope({ size: { width: 2, height: 3 }, pixels });
    const codecs = { ...platform, nativeImages: nativeImageDecoder(scope) };
    const image: RgbaImage = blankImage(2, 3);
    const png = await openRaster(toPng(image), 'png', DEFAULT_READ_LIMITS, codecs);
    expect(Array.from((await png.page(0)).data.slice(0, 4))).toEqual([0, 0, 0, 255]);
    const jpeg = await openRaster(toJpeg(image, 90, 6), 'jpeg', DEFAULT_READ_LIMITS, codecs);
    const turned = await jpeg.page(0);
    expect([turned.width, turned.height]).toEqual([3, 2]);
    expect(Array.from(turned.data.slice(8, 12))).toEqual([0, 0, 0, 255]);
  });

  it('refuses a page over the pixel limit before the native decoder is asked', async () => {
    const { scope, log } = fakeScope();
    const codecs = { ...platform, nativeImages: nativeImageDecoder(scope) };
    const limits = { ...DEFAULT_READ_LIMITS, maxPixelsPerPage: 100_000 };
    await expect(openRaster(toPng(letter()), 'png', limits, codecs)).rejects.toMatchObject({
      key: 'reader.error.tooManyPixels',
    });
    expect(log.decodes).toBe(0);
  });
});

/**
 * Scans for the extension bench, drawn at bench time (no binary of unknown origin is
 * committed): 24 A4 pages of 150-300 DPI as JPEG, each with one demo letter's code (45 mm,
 * as `issuer letter print` draws it) among text-like lines on slightly noisy paper, and a
 * 12-page 300-DPI scanned PDF (JPEG page images) with letters on pages 1, 6 and 12 and
 * text on the others. JPEG through MozJPEG's wasm encoder from node_modules.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import encodeJpeg, { init as initJpegEncoder } from '@jsquash/jpeg/encode.js';
import { PDFDocument } from 'pdf-lib';
import { paste, qrImage } from '../../tests/fixtures/documents/make-documents.ts';
import type { RgbaImage } from '../../utils/document/image-types.ts';

const require = createRequire(import.meta.url);

export interface ScanSet {
  files: { name: string; bytes: Uint8Array }[];
  pdfPages: number;
}

const A4_INCHES = { width: 8.27, height: 11.69 };
const IMAGE_DPIS = [150, 200, 250, 300];
const PDF_PAGES = 12;
const PDF_LETTER_PAGES = [1, 6, 12];

let encoderReady: Promise<unknown> | undefined;
async function toJpeg(image: RgbaImage, quality = 82): Promise<Uint8Array> {
  encoderReady ??= (async () => {
    const wasm = readFileSync(require.resolve('@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm'));
    await initJpegEncoder(await WebAssembly.compile(wasm));
  })();
  await encoderReady;
  const encoded = await encodeJpeg(
    { width: image.width, height: image.height, data: image.data, colorSpace: 'srgb' } as ImageData,
    { quality },
  );
  return new Uint8Array(encoded);
}

/** A scanned A4 sheet: off-white noisy paper, lines of "text", and the letter's code 45 mm wide (or none). */
function sheet(dpi: number, text: string | null, seed: number): RgbaImage {
  const width = Math.round(A4_INCHES.width * dpi);
  const height = Math.round(A4_INCHES.height * dpi);
  const data = new Uint8ClampedArray(width * height * 4);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < width * height; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    const v = 236 + (state >>> 28);
    const o = i * 4;
    data[o] = v;
    data[o + 1] = v;
    data[o + 2] = v - 3;
    data[o + 3] = 255;
  }
  const page: RgbaImage = { width, height, data };
  const mm = dpi / 25.4;
  // Lines of text: dark bars of word-like lengths, 6 mm apart, in the upper half.
  for (let line = 0; line < 22; line++) {
    const y = Math.round((25 + line * 6) * mm);
    let x = Math.round(25 * mm);
    while (x < width - 25 * mm) {
      state = (state * 1664525 + 1013904223) >>> 0;
      const word = Math.round((4 + (state >>> 28)) * mm);
      for (let yy = y; yy < y + Math.round(2.5 * mm) && yy < height; yy++)
        for (let xx = x; xx < Math.min(x + word, width); xx++) {
          const o = (yy * width + xx) * 4;
          data[o] = data[o + 1] = data[o + 2] = 40;
        }
      x += word + Math.round(2 * mm);
    }
  }
  if (text) {
    const modules = qrImage(text, { module: 1, quiet: 0 }).width;
    const module = Math.max(1, Math.round((45 * mm) / modules));
    paste(page, qrImage(text, { module }), Math.round(width - 80 * mm), Math.round(height - 90 * mm));
  }
  return page;
}

/**
 * Draws the set for the given letter texts (24 for the images, 3 for the PDF). The benches
 * take it through `cachedScans`.
 */
export async function drawScans(letters: string[]): Promise<ScanSet> {
  if (letters.length < 27) throw new Error(`need 27 letters, have ${letters.length}`);
  const files: ScanSet['files'] = [];
  for (let i = 0; i < 24; i++) {
    const dpi = IMAGE_DPIS[i % IMAGE_DPIS.length] ?? 200;
    files.push({
      name: `scan-${String(i + 1).padStart(2, '0')}-${dpi}dpi.jpg`,
      bytes: await toJpeg(sheet(dpi, letters[i] ?? null, i + 1)),
    });
  }
  const pdf = await PDFDocument.create();
  for (let p = 1; p <= PDF_PAGES; p++) {
    const letter = PDF_LETTER_PAGES.indexOf(p);
    const image = sheet(300, letter >= 0 ? (letters[24 + letter] ?? null) : null, 100 + p);
    const embedded = await pdf.embedJpg(await toJpeg(image, 75));
    const page = pdf.addPage([A4_INCHES.width * 72, A4_INCHES.height * 72]);
    page.drawImage(embedded, { x: 0, y: 0, width: A4_INCHES.width * 72, height: A4_INCHES.height * 72 });
  }
  files.push({ name: 'scanned-12-pages-300dpi.pdf', bytes: await pdf.save() });
  return { files, pdfPages: PDF_PAGES };
}

const CACHE = fileURLToPath(new URL('../../.cache/bench-scans/', import.meta.url));
/** Cached scans are drawn again after this: their demo letters are valid for days, not weeks. */
const CACHE_MAX_AGE_MS = 12 * 3600_000;

/**
 * The set for this run's letters, from .cache/bench-scans when a set drawn for the same
 * registry URL is younger than half a day: drawing takes 1-3 minutes on this machine. The
 * demo keys are fixed, so such a set still verifies; one drawn for another URL names status
 * lists on a server that is gone (every letter then said STATUS_UNKNOWN) and is drawn again.
 * YANZHEN_BENCH_FRESH_SCANS=1 always draws.
 */
export async function cachedScans(letters: string[], registryUrl: string): Promise<ScanSet> {
  const meta = join(CACHE, 'scans.json');
  if (!process.env.YANZHEN_BENCH_FRESH_SCANS && existsSync(meta)) {
    const saved = JSON.parse(readFileSync(meta, 'utf8')) as {
      drawnAt: number;
      registryUrl?: string;
      names: string[];
      pdfPages: number;
    };
    if (saved.registryUrl === registryUrl && Date.now() - saved.drawnAt < CACHE_MAX_AGE_MS) {
      const files = saved.names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(CACHE, name))) }));
      return { files, pdfPages: saved.pdfPages };
    }
  }
  const scans = await drawScans(letters);
  mkdirSync(CACHE, { recursive: true });
  for (const f of scans.files) writeFileSync(join(CACHE, f.name), f.bytes);
  const names = scans.files.map((f) => f.name);
  writeFileSync(meta, JSON.stringify({ drawnAt: Date.now(), registryUrl, names, pdfPages: scans.pdfPages }));
  return scans;
}

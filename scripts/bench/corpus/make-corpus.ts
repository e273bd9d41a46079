/**
 * Builds the reader benchmark's corpus (issue #3) into `.cache/bench-corpus/` unless it is
 * already there: real letters signed with the issuer library and printed with the letter
 * printer, rendered like a scanner at 150, 200 and 300 DPI, then damaged as letters are on
 * their way to a clinic. The damage list is the issue's, fixed in advance; it is not tuned
 * to any reader.
 *
 * Run alone with `npx tsx scripts/bench/corpus/make-corpus.ts [--force]`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { encode as encodePng } from 'fast-png';
import { PDFDocument } from 'pdf-lib';
import { stampSeal, toJpeg, toTiff } from '../../../tests/fixtures/documents/make-documents.ts';
import type { RgbaImage } from '../../../utils/document/image-types.ts';
import { readDocument } from '../../../utils/document/read-document.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import { generateIssuerKey, issueLetter } from '../../issuer/lib/index.ts';
import { printLetter, shippedRegionName } from '../../issuer/print-letter.ts';
import {
  blur,
  gaussianNoise,
  lowContrast,
  phonePhoto,
  rotate,
  saltAndPepper,
  shrink,
  unevenLighting,
} from './damage.ts';

export const CORPUS_DIR = join(process.cwd(), '.cache', 'bench-corpus');
const VERSION = 3;

export interface CorpusItem {
  file: string;
  /** What was done to the page, e.g. `200dpi rot3+blur+jpeg30`. */
  label: string;
  /** The code each page holds (null: a page without a code). */
  expected: (string | null)[];
}

const DPIS = [150, 200, 300] as const;

/** Grey when the page has no colour, to keep files small. */
function png(img: RgbaImage, colour: boolean): Uint8Array {
  if (colour)
    return encodePng({ width: img.width, height: img.height, data: new Uint8Array(img.data.buffer), channels: 4 });
  const grey = new Uint8Array(img.width * img.height);
  for (let i = 0; i < grey.length; i++) grey[i] = img.data[i * 4] ?? 0;
  return encodePng({ width: img.width, height: img.height, data: grey, channels: 1 });
}

async function renderPdfPage(pdfBytes: Uint8Array, dpi: number): Promise<RgbaImage> {
  const platform = nodeReaderPlatform();
  const pdfjs = await platform.loadPdfJs();
  const doc = await pdfjs.getDocument({ data: pdfBytes.slice(), ...platform.pdfData, verbosity: 0 }).promise;
  const page = await doc.getPage(1);
  const viewport = page.getViewport({ scale: dpi / 72 });
  const canvas = createCanvas(Math.floor(viewport.width), Math.floor(viewport.height));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: context as never, canvas: canvas as never, viewport }).promise;
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  await doc.destroy();
  return { width: canvas.width, height: canvas.height, data: new Uint8ClampedArray(pixels.data) };
}

/** A scanned PDF: each page one embedded image (JPEG for colour pages, PNG for grey), at `dpi`. */
async function scannedPdf(pages: { image: RgbaImage; jpeg: boolean }[], dpi: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const { image, jpeg } of pages) {
    const embedded = jpeg ? await pdf.embedJpg(toJpeg(image, 75)) : await pdf.embedPng(png(image, false));
    const w = (image.width * 72) / dpi;
    const h = (image.height * 72) / dpi;
    pdf.addPage([w, h]).drawImage(embedded, { x: 0, y: 0, width: w, height: h });
  }
  return pdf.save();
}

async function letters(
  count: number,
): Promise<{ text: string; pdf: Uint8Array; box: { x: number; y: number; width: number; height: number } }[]> {
  const key = await generateIssuerKey('ES256');
  const out = [];
  for (let i = 0; i < count; i++) {
    const claims = {
      iss: 'cn-hsa-411381',
      sub: '91411381MA45XXXXXX',
      sub_name:
        ['邓州市陶营镇卫生院', '邓州市城区社区卫生服务中心', '邓州市穰东镇卫生院', '邓州市张村镇中心卫生院'][i % 4] ??
        '',
      scope: ['ehi.voucher.assist'],
      region: [['411381121', '411381001', '411381107', '411381112'][i % 4] ?? '411381'],
      iat: 1767225600 + i * 86400,
      nbf: 1767225600 + i * 86400,
      exp: 1774915200,
      jti: `DZ-2026-${String(17 + i).padStart(4, '0')}`,
      ...(i % 2 === 0 ? { agents: [{ name: '张三', id_last4: '1234' }] } : {}),
      status: { status_list: { idx: 17 + i, uri: 'https://ybj.dengzhou.gov.cn/status/1' } },
    };
    const { text } = await issueLetter(claims, key.privateJwk);
    const pdf = await printLetter({
      text,
      issuerName: '邓州市医疗保障局',
      claims: { ...claims, scope: claims.scope.join(' ') },
      scopeLabels: ['指导群众激活医保电子凭证'],
      regionName: shippedRegionName(),
    });
    // Where the printer put the code, in PDF points from the top-left (the reader reports it for vector pages).
    const read = await readDocument(pdf, { platform: nodeReaderPlatform() });
    const box = read.ok ? read.codes[0]?.position : null;
    if (!box || !read.ok || read.codes[0]?.text !== text) throw new Error('the printed letter does not read back');
    out.push({ text, pdf, box });
  }
  return out;
}

/** Builds the corpus if missing (or with `force`); returns its manifest. */
export async function ensureCorpus(force = false): Promise<CorpusItem[]> {
  const manifestPath = join(CORPUS_DIR, 'manifest.json');
  if (!force && existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: number; items: CorpusItem[] };
    if (manifest.version === VERSION) return manifest.items;
  }
  rmSync(CORPUS_DIR, { recursive: true, force: true });
  mkdirSync(CORPUS_DIR, { recursive: true });
  const items: CorpusItem[] = [];
  const save = (name: string, bytes: Uint8Array, label: string, expected: (string | null)[]) => {
    writeFileSync(join(CORPUS_DIR, name), bytes);
    items.push({ file: name, label, expected });
  };
  const made = await letters(DPIS.length);
  for (const [i, dpi] of DPIS.entries()) {
    const letter = made[i];
    if (!letter) continue;
    const page = await renderPdfPage(letter.pdf, dpi);
    const k = dpi / 72;
    const qr = { x: letter.box.x * k, y: letter.box.y * k, w: letter.box.width * k, h: letter.box.height * k };
    const seal = (img: RgbaImage, coverage: number, seed: number) => {
      const copy = { ...img, data: new Uint8ClampedArray(img.data) };
      const r = Math.sqrt((coverage * qr.w * qr.h) / Math.PI);
      // Seals land off-centre, overlapping the code's lower right where the signature block is.
      return stampSeal(copy, qr.x + qr.w * 0.62, qr.y + qr.h * 0.6, r, seed);
    };
    const s = (n: number) => dpi * 10 + n; // seeds differ per resolution
    const blurSigma = dpi / 150; // the same optical blur in millimetres at every resolution
    const variants: [string, () => RgbaImage, 'png' | 'jpeg30' | 'jpeg85' | 'tiff', boolean][] = [
      ['clean', () => page, dpi === 300 ? 'tiff' : 'png', false],
      ['rot3', () => rotate(page, 3), 'png', false],
      ['rot15', () => rotate(page, 15), 'png', false],
      ['rot90', () => rotate(page, 90), 'png', false],
      ['rot180', () => rotate(page, 180), 'png', false],
      ['blur', () => blur(page, blurSigma), 'png', false],
      ['gauss-noise', () => gaussianNoise(page, 40, s(1)), 'png', false],
      ['salt-pepper', () => saltAndPepper(page, 0.06, s(2)), 'png', false],
      ['jpeg30', () => page, 'jpeg30', false],
      ['low-contrast', () => lowContrast(page), 'png', false],
      ['uneven-light', () => unevenLighting(page, 0.35), 'png', false],
      ['seal10', () => seal(page, 0.1, s(3)), 'png', true],
      ['seal30', () => seal(page, 0.3, s(4)), 'png', true],
      ['rot3+blur+jpeg30', () => blur(rotate(page, 3), blurSigma * 0.8), 'jpeg30', false],
      ['seal30+gauss-noise+jpeg30', () => gaussianNoise(seal(page, 0.3, s(5)), 25, s(6)), 'jpeg30', true],
      [
        'low-contrast+uneven-light+salt-pepper',
        () => saltAndPepper(unevenLighting(lowContrast(page), 0.5), 0.03, s(7)),
        'png',
        false,
      ],
      ['photo-1280', () => phonePhoto(shrink(page, Math.round(dpi / 150)), 1280, s(8)), 'jpeg85', true],
      [
        'photo-1280+seal10',
        () => phonePhoto(shrink(seal(page, 0.1, s(9)), Math.round(dpi / 150)), 1280, s(10)),
        'jpeg85',
        true,
      ],
    ];
    for (const [name, make, format, colour] of variants) {
      const img = make();
      const base = `${dpi}dpi-${name}`;
      const label = `${dpi}dpi ${name}`;
      if (format === 'tiff') save(`${base}.tif`, toTiff([img]), label, [letter.text]);
      else if (format === 'jpeg30') save(`${base}.jpg`, toJpeg(img, 30), label, [letter.text]);
      else if (format === 'jpeg85') save(`${base}.jpg`, toJpeg(img, 85), label, [letter.text]);
      else save(`${base}.png`, png(img, colour), label, [letter.text]);
    }
    // A multi-page scan: the letter, a page without a code, the letter again with a seal and skew.
    const blankPage = { ...page, data: new Uint8ClampedArray(page.data.length).fill(255) };
    save(
      `${dpi}dpi-scan-3pages.pdf`,
      await scannedPdf(
        [
          { image: rotate(page, 1.5), jpeg: false },
          { image: blankPage, jpeg: false },
          { image: seal(rotate(page, -2), 0.3, s(11)), jpeg: true },
        ],
        dpi,
      ),
      `${dpi}dpi scanned PDF, 3 pages`,
      [letter.text, null, letter.text],
    );
  }
  // The printed letters themselves, vector QR codes, as one multi-page PDF.
  const merged = await PDFDocument.create();
  for (const letter of made) {
    const source = await PDFDocument.load(letter.pdf);
    const [copied] = await merged.copyPages(source, [0]);
    if (copied) merged.addPage(copied);
  }
  save(
    'printed-letters.pdf',
    await merged.save(),
    `printed PDF, ${made.length} pages (vector QR)`,
    made.map((l) => l.text),
  );
  writeFileSync(manifestPath, JSON.stringify({ version: VERSION, items }, null, 1));
  return items;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = performance.now();
  const items = await ensureCorpus(process.argv.includes('--force'));
  console.log(`${items.length} files in ${CORPUS_DIR} (${Math.round(performance.now() - t0)} ms)`);
}

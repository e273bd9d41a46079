/**
 * Scanner PDFs whose page images are bilevel and coded as office scanners code them:
 * CCITT Group 4 (`/CCITTFaxDecode`, K = -1) and JBIG2 (`/JBIG2Decode`). pdf-lib embeds only
 * JPEG and PNG, so the image XObjects are written through its low-level API.
 *
 * The Group 4 bits come from libtiff's `tiffcp -c g4` (Debian package libtiff-tools, a
 * bench-only dependency; without it these files are left out of the corpus and the bench
 * says so). The JBIG2 stream is an embedded one (no file header: page information, then
 * one immediate lossless generic region) whose region is MMR-coded (JBIG2's generic region
 * with MMR = 1 is T.6, the same Group 4 bits), because no JBIG2 encoder is packaged here;
 * pdf.js decodes it with its JBIG2 decoder like any scanner's file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  PDFRawStream,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import UTIF from 'utif';
import type { RgbaImage } from '../../../utils/document/image-types.ts';

/** True when libtiff's tiffcp can be run. */
export function hasG4Encoder(): boolean {
  const run = spawnSync('tiffcp', [], { stdio: 'ignore' });
  return !run.error;
}

/** A one-strip, uncompressed, 1-bit MinIsWhite TIFF: set bits are black (pixels darker than 128). */
function bilevelTiff(img: RgbaImage): Uint8Array {
  const rowBytes = (img.width + 7) >> 3;
  const bits = new Uint8Array(rowBytes * img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if ((img.data[(y * img.width + x) * 4] ?? 255) < 128)
        bits[y * rowBytes + (x >> 3)] = (bits[y * rowBytes + (x >> 3)] ?? 0) | (0x80 >> (x & 7));
    }
  }
  const entries: [number, number, number][] = [
    [256, 4, img.width],
    [257, 4, img.height],
    [258, 3, 1],
    [259, 3, 1],
    [262, 3, 0],
    [273, 4, 0], // patched below
    [277, 3, 1],
    [278, 4, img.height],
    [279, 4, bits.length],
  ];
  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataOffset = ifdOffset + ifdSize;
  const out = new Uint8Array(dataOffset + bits.length);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, ifdOffset, true);
  view.setUint16(ifdOffset, entries.length, true);
  entries.forEach(([tag, type, value], i) => {
    const o = ifdOffset + 2 + i * 12;
    view.setUint16(o, tag, true);
    view.setUint16(o + 2, type, true);
    view.setUint32(o + 4, 1, true);
    if (type === 3) view.setUint16(o + 8, value, true);
    else view.setUint32(o + 8, tag === 273 ? dataOffset : value, true);
  });
  out.set(bits, dataOffset);
  return out;
}

/** The page's pixels as CCITT Group 4 (T.6) bits, through tiffcp. */
export function group4(img: RgbaImage): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'yanzhen-g4-'));
  try {
    writeFileSync(join(dir, 'in.tif'), bilevelTiff(img));
    const run = spawnSync('tiffcp', ['-c', 'g4', '-r', String(img.height), 'in.tif', 'out.tif'], { cwd: dir });
    if (run.status !== 0) throw new Error(`tiffcp failed: ${run.stderr}`);
    const bytes = new Uint8Array(readFileSync(join(dir, 'out.tif')));
    const [ifd] = UTIF.decode(bytes.slice().buffer);
    const offsets = (ifd?.t273 ?? []) as number[];
    const counts = (ifd?.t279 ?? []) as number[];
    if (offsets.length !== 1 || counts.length !== 1) throw new Error('tiffcp wrote more than one strip');
    const start = offsets[0] ?? 0;
    return bytes.slice(start, start + (counts[0] ?? 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An embedded JBIG2 stream: page information, one immediate lossless MMR generic region. */
function jbig2Embedded(width: number, height: number, dpi: number, mmr: Uint8Array): Uint8Array {
  const segment = (number: number, type: number, data: Uint8Array) => {
    const out = new Uint8Array(11 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, number);
    out[4] = type; // page association in one byte, not deferred
    out[5] = 0; // refers to no segment
    out[6] = 1; // page 1
    view.setUint32(7, data.length);
    out.set(data, 11);
    return out;
  };
  const pageInfo = new Uint8Array(19);
  const pv = new DataView(pageInfo.buffer);
  pv.setUint32(0, width);
  pv.setUint32(4, height);
  pv.setUint32(8, Math.round(dpi / 0.0254));
  pv.setUint32(12, Math.round(dpi / 0.0254));
  pageInfo[16] = 0; // default pixel 0 (white), OR combination
  pv.setUint16(17, 0);
  const region = new Uint8Array(18 + mmr.length);
  const rv = new DataView(region.buffer);
  rv.setUint32(0, width);
  rv.setUint32(4, height);
  rv.setUint32(8, 0);
  rv.setUint32(12, 0);
  region[16] = 0; // external combination: OR
  region[17] = 1; // generic region flags: MMR
  region.set(mmr, 18);
  const a = segment(0, 48, pageInfo);
  const b = segment(1, 38 + 1, region); // 39: immediate lossless generic region
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A scanned PDF whose pages are bilevel images in Group 4 or JBIG2, each `dpi` dots an inch. */
export async function bilevelScanPdf(pages: RgbaImage[], dpi: number, codec: 'g4' | 'jbig2'): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const image of pages) {
    const bits = group4(image);
    const { width, height } = image;
    const dict =
      codec === 'g4'
        ? pdf.context.obj({
            Type: 'XObject',
            Subtype: 'Image',
            Width: width,
            Height: height,
            ColorSpace: 'DeviceGray',
            BitsPerComponent: 1,
            Filter: 'CCITTFaxDecode',
            DecodeParms: { K: -1, Columns: width, Rows: height, BlackIs1: false },
            Length: bits.length,
          })
        : pdf.context.obj({
            Type: 'XObject',
            Subtype: 'Image',
            Width: width,
            Height: height,
            ColorSpace: 'DeviceGray',
            BitsPerComponent: 1,
            Filter: 'JBIG2Decode',
          });
    const contents = codec === 'g4' ? bits : jbig2Embedded(width, height, dpi, bits);
    if (codec === 'jbig2') dict.set(PDFName.of('Length'), pdf.context.obj(contents.length));
    const ref = pdf.context.register(PDFRawStream.of(dict, contents));
    const w = (width * 72) / dpi;
    const h = (height * 72) / dpi;
    const page = pdf.addPage([w, h]);
    page.node.setXObject(PDFName.of('Im0'), ref);
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(w, 0, 0, h, 0, 0),
      drawObject('Im0'),
      popGraphicsState(),
    );
  }
  return pdf.save({ useObjectStreams: false });
}

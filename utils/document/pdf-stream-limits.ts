/**
 * Decompression bombs in PDFs, caught before pdf.js sees the file. pdf.js inflates a page's
 * content stream whole, and has no option to stop at a size: a 1 MB file whose content
 * stream inflates to 1 GiB of operators took the CLI past 6 GB (issue 9). So every stream is
 * measured here first, by inflating it into a counter that stops at the limit; nothing
 * inflated is kept.
 *
 * Streams are found as the PDF syntax lays them out (ISO 32000-1 7.3.8): a dictionary, the
 * keyword `stream`, the data, `endstream`. Streams cannot live inside object streams, so a
 * scan of the raw bytes sees every one. An image (`/Subtype /Image`) may inflate to the
 * page's pixel limit; any other stream (content streams, forms, fonts, object and xref
 * streams) to `maxPdfStreamBytes`.
 */
import { Inflate } from 'fflate';
import type { ReadLimits } from './read-limits.ts';
import { ReaderError } from './reader-error.ts';

const STREAM = latin1('stream');
const END_STREAM = latin1('endstream');
const CONTENTS = latin1('/Contents');
/** Bytes per pixel at most after inflating an image stream (CMYK 8-bit, plus a margin for row filters). */
const IMAGE_BYTES_PER_PIXEL = 5;
/** Inflate input slice: small enough that one slice cannot expand past the limit by much. */
const SLICE = 16 * 1024;

const LATIN1 = new TextDecoder('latin1');

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function indexOf(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] as number;
  for (
    let i = bytes.indexOf(first, from);
    i !== -1 && i <= bytes.length - needle.length;
    i = bytes.indexOf(first, i + 1)
  ) {
    let match = true;
    for (let j = 1; j < needle.length; j++) {
      if (bytes[i + j] !== needle[j]) {
        match = false;
        break;
      }
    }
    if (match) return i;
  }
  return -1;
}

const isWhite = (b: number | undefined) =>
  b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0;

/** The dictionary just before `stream` at `at` (`<< … >>`, nesting followed) and where it starts, or null. */
function dictionaryBefore(bytes: Uint8Array, at: number): { text: string; start: number } | null {
  let end = at - 1;
  while (end > 0 && isWhite(bytes[end])) end--;
  if (bytes[end] !== 0x3e || bytes[end - 1] !== 0x3e) return null; // ">>"
  let depth = 0;
  // Dictionaries of real streams are short; a bound keeps a hostile file from making this quadratic.
  const stop = Math.max(0, end - 64 * 1024);
  for (let i = end; i > stop; i--) {
    if (bytes[i] === 0x3e && bytes[i - 1] === 0x3e) {
      depth++;
      i--;
    } else if (bytes[i] === 0x3c && bytes[i - 1] === 0x3c) {
      depth--;
      i--;
      if (depth === 0) return { text: LATIN1.decode(bytes.subarray(i - 1, end + 1)), start: i - 1 };
    }
  }
  return null;
}

/** The object number of `N G obj` just before `start`, or null. */
function objectNumberBefore(bytes: Uint8Array, start: number): number | null {
  const head = LATIN1.decode(bytes.subarray(Math.max(0, start - 32), start));
  const match = /(\d+)\s+\d+\s+obj\s*$/.exec(head);
  return match ? Number(match[1]) : null;
}

/**
 * The object numbers every `/Contents` entry points at (`/Contents 4 0 R` or an array of
 * them). pdf.js parses these as operators whatever their dictionary says, so they are
 * measured even when labelled as images.
 */
function contentObjects(bytes: Uint8Array): Set<number> {
  const found = new Set<number>();
  for (let at = indexOf(bytes, CONTENTS, 0); at !== -1; at = indexOf(bytes, CONTENTS, at + CONTENTS.length)) {
    const window = LATIN1.decode(bytes.subarray(at + CONTENTS.length, at + CONTENTS.length + 4096));
    const value = /^\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(window)?.[1] ?? '';
    for (const ref of value.matchAll(/(\d+)\s+\d+\s+R/g)) found.add(Number(ref[1]));
  }
  return found;
}

/** The stream's filters, in order (`/Filter /FlateDecode` or `/Filter [/ASCII85Decode /FlateDecode]`). */
function filtersOf(dictionary: string): string[] {
  const match = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dictionary);
  if (!match?.[1]) return [];
  return [...match[1].matchAll(/\/([A-Za-z0-9]+)/g)].map((m) => m[1] as string);
}

/** Inflated size of a zlib (or raw DEFLATE) stream, counted up to `limit` + 1. */
function inflatedSize(data: Uint8Array, limit: number): number {
  let size = 0;
  const zlib =
    data.length >= 2 &&
    ((data[0] as number) & 0x0f) === 8 &&
    (((data[0] as number) << 8) | (data[1] as number)) % 31 === 0;
  const inflate = new Inflate((chunk) => {
    size += chunk.length;
  });
  try {
    const body = zlib ? data.subarray(2) : data;
    for (let i = 0; i < body.length && size <= limit; i += SLICE) {
      inflate.push(body.subarray(i, i + SLICE), i + SLICE >= body.length);
    }
  } catch {
    // A broken stream: pdf.js will report the file as damaged; what counts here is its size so far.
  }
  return size;
}

/**
 * An image stream may inflate to what its declared size needs (pdf.js reads no more of it),
 * never past the page's pixel limit. The label is the file's word, so a content stream
 * dressed as an image gets no more room than a real image of its declared size.
 */
function imageStreamLimit(dictionary: string, imageLimit: number): number {
  const width = Number(/\/Width\s+(\d+)/.exec(dictionary)?.[1] ?? Number.NaN);
  const height = Number(/\/Height\s+(\d+)/.exec(dictionary)?.[1] ?? Number.NaN);
  if (!Number.isFinite(width) || !Number.isFinite(height)) return imageLimit;
  return Math.min(imageLimit, width * height * IMAGE_BYTES_PER_PIXEL + height + 1024 * 1024);
}

/**
 * An embedded image larger than the page pixel limit is refused by name, whatever its
 * encoding: pdf.js would drop it silently (`maxImageSize`) and the page would be read as if
 * the scan were blank.
 */
function checkDeclaredPixels(dictionary: string, limits: ReadLimits): void {
  const width = Number(/\/Width\s+(\d+)/.exec(dictionary)?.[1] ?? 0);
  const height = Number(/\/Height\s+(\d+)/.exec(dictionary)?.[1] ?? 0);
  if (width * height > limits.maxPixelsPerPage) {
    throw new ReaderError('reader.error.pdfImageTooLarge', {
      megapixels: Math.round((width * height) / 100_000) / 10,
      max: Math.round(limits.maxPixelsPerPage / 100_000) / 10,
    });
  }
}

/** ASCIIHexDecode, for the rare chain that hex-encodes DEFLATE data. */
function fromHex(data: Uint8Array): Uint8Array {
  const digits = LATIN1.decode(data).replace(/[^0-9A-Fa-f]/g, '');
  const out = new Uint8Array(Math.ceil(digits.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2).padEnd(2, '0'), 16);
  return out;
}

/**
 * Refuses a PDF any of whose streams inflates past its limit. Streams with no DEFLATE
 * layer are bounded by the file size already. Runs before pdf.js gets the bytes.
 *
 * @example checkPdfStreams(bytes, limits); // throws ReaderError('reader.error.pdfStreamTooLarge')
 */
export function checkPdfStreams(bytes: Uint8Array, limits: ReadLimits): void {
  const imageLimit = limits.maxPixelsPerPage * IMAGE_BYTES_PER_PIXEL;
  let contents: Set<number> | null = null;
  for (let at = indexOf(bytes, STREAM, 0); at !== -1; at = indexOf(bytes, STREAM, at + STREAM.length)) {
    // "endstream" contains "stream": skip it, and anything that is not the keyword on its own.
    if (bytes[at - 3] === 0x65 && bytes[at - 2] === 0x6e && bytes[at - 1] === 0x64) continue;
    const found = dictionaryBefore(bytes, at);
    if (found === null) continue;
    const dictionary = found.text;
    let start = at + STREAM.length;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    const end = streamEnd(bytes, start, dictionary);
    const isImage = /\/Subtype\s*\/Image\b/.test(dictionary);
    if (isImage) checkDeclaredPixels(dictionary, limits);
    const filters = filtersOf(dictionary);
    const flateAt = filters.findIndex((f) => f === 'FlateDecode' || f === 'Fl');
    // Only hex in front of DEFLATE is undone here; other encodings there are too rare to earn
    // a decoder. An image is read by pdf.js only as far as its declared size needs (checked
    // above), so only an image stream that a page uses as its content is measured.
    const before = flateAt === -1 ? [] : filters.slice(0, flateAt);
    const measurable = flateAt !== -1 && before.every((f) => f === 'ASCIIHexDecode' || f === 'AHx');
    if (measurable && isImage) {
      contents ??= contentObjects(bytes);
      const number = objectNumberBefore(bytes, found.start);
      if (number === null || !contents.has(number)) {
        at = end;
        continue;
      }
    }
    if (measurable) {
      const data = before.length > 0 ? fromHex(bytes.subarray(start, end)) : bytes.subarray(start, end);
      const limit = isImage ? imageStreamLimit(dictionary, imageLimit) : limits.maxPdfStreamBytes;
      if (inflatedSize(data, limit) > limit) {
        throw new ReaderError('reader.error.pdfStreamTooLarge', { max: Math.round(limit / (1024 * 1024)) });
      }
    }
    at = end;
  }
}

/**
 * Where a stream's data ends: at its direct `/Length` when `endstream` follows there (as
 * pdf.js checks too), else at the next `endstream`, so a false small `/Length` cannot hide
 * a bomb that pdf.js would still find and inflate.
 */
function streamEnd(bytes: Uint8Array, start: number, dictionary: string): number {
  const declared = Number(/\/Length\s+(\d+)\b(?!\s+\d+\s+R)/.exec(dictionary)?.[1] ?? Number.NaN);
  if (Number.isFinite(declared) && start + declared <= bytes.length) {
    let after = start + declared;
    while (after < bytes.length && isWhite(bytes[after])) after++;
    if (indexOf(bytes.subarray(after, after + END_STREAM.length), END_STREAM, 0) === 0) return start + declared;
  }
  const next = indexOf(bytes, END_STREAM, start);
  return next === -1 ? bytes.length : next;
}

/**
 * The document reader: bytes in, every QR text found out, with its page, position and
 * time. Used by the extension (in an offscreen document) and by the CLI.
 *
 * It never invents a text: every `text` is exactly what zxing-wasm decoded (QR's own
 * Reed-Solomon check passed); if two regions decode different texts both are returned,
 * and the caller decides (`isAl1Text` keeps the AL1 codes). Nothing is fetched from the
 * network: the wasm and pdf.js come through `options.platform`.
 */
import type { LocalizedMessage } from '../check/document-check.ts';
import { openRaster } from './decode-raster.ts';
import type { Rect, RgbaImage } from './image-types.ts';
import { RenderTimeout } from './pdf-render.ts';
import { loadQrReader, type QrDecoder, type QrDetector, type QrScanner, releaseScratch } from './qr-decoder.ts';
import { type LadderOptions, type PageReading, readPageImage } from './read-ladder.ts';
import { checkFileSize, DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.ts';
import { openPdf } from './read-pdf.ts';
import { ReaderError } from './reader-error.ts';
import type { ReaderPlatform } from './reader-platform.ts';
import { releasePixels } from './release-pixels.ts';
import { type DocumentKind, sniffKind } from './sniff-kind.ts';

export type { ReadLimits } from './read-limits.ts';
export { DEFAULT_READ_LIMITS } from './read-limits.ts';
export type { ReaderPlatform } from './reader-platform.ts';

export interface FoundCode {
  /** The decoded text, exactly as the decoder produced it. */
  text: string;
  /** 1-based page (1 for single images). */
  page: number;
  /**
   * Where the code is: in pixels of the image as displayed (after EXIF rotation) for
   * image files and TIFF pages; in PDF points from the page's top-left corner for codes
   * read from a rendered PDF page; null for codes read from an image embedded in a PDF.
   */
  position: { x: number; y: number; width: number; height: number } | null;
  /** Milliseconds spent reading this code's page. */
  ms: number;
}

/** A QR code the reader located but could not read (too small, blurred or damaged). */
export interface UnreadableCode {
  /** 1-based page. */
  page: number;
  /** Where, in the same units as `FoundCode.position`; null inside an image embedded in a PDF. */
  position: { x: number; y: number; width: number; height: number } | null;
}

export interface ReadProgress {
  /** The 1-based page about to be read. */
  page: number;
  pages: number;
}

export type ReadResult =
  | {
      ok: true;
      kind: DocumentKind;
      pages: number;
      codes: FoundCode[];
      /** Pages on which no code could be read (1-based), in order. */
      unreadPages: number[];
      /**
       * QR codes located but not read, by page: the page holds a code that a better
       * capture would read ("found a code but cannot read it"), not "no code".
       */
      unreadable: UnreadableCode[];
    }
  | { ok: false; error: LocalizedMessage };

export interface ReadOptions {
  platform: ReaderPlatform;
  onProgress?: (progress: ReadProgress) => void;
  signal?: AbortSignal;
  limits?: Partial<ReadLimits>;
  /** Shown in the "unsupported file type" message; the type itself comes from the bytes. */
  fileName?: string;
  /** Clock for the per-page budget and `ms`; defaults to `performance.now`. */
  now?: () => number;
  /**
   * The caller gives the bytes up (a worker that received them by transfer): a PDF's are
   * moved into pdf.js's worker instead of copied, so the thread holds no second copy.
   * The caller must not read `bytes` after `openDocument` (they may be detached).
   */
  handOverBytes?: boolean;
  /** Told of each ladder step as it finishes, with what it read (see LadderOptions.onStep): benches only. */
  onStep?: LadderOptions['onStep'];
  /** The ladder's step cost estimates (see LadderOptions.costs): benches only. */
  costs?: LadderOptions['costs'];
}

type QrReader = { decode: QrDecoder; detect: QrDetector; scan: QrScanner };
const decoders = new WeakMap<object, Promise<QrReader>>();

function decoderFor(platform: ReaderPlatform): Promise<QrReader> {
  let decoder = decoders.get(platform.zxing);
  if (!decoder) {
    decoder = loadQrReader(platform.zxing);
    decoders.set(platform.zxing, decoder);
    decoder.catch(() => decoders.delete(platform.zxing));
  }
  return decoder;
}

/**
 * Instantiates the QR decoder ahead of the first document (a reader worker calls it as it
 * starts): compiling zxing's 1 MB of WebAssembly otherwise delays the first verdict.
 */
export function warmReader(platform: ReaderPlatform): Promise<void> {
  return decoderFor(platform).then(
    () => undefined,
    () => undefined,
  );
}

const round = (n: number) => Math.round(n * 10) / 10;

function extension(fileName: string | undefined): string {
  const match = fileName ? /\.([A-Za-z0-9]{1,8})$/.exec(fileName) : null;
  return match?.[1] ? `.${match[1].toLowerCase()}` : '?';
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);

/**
 * Bytes of no known type. A file *named* `.pdf` or `.png` whose bytes are not one is a
 * damaged (or disguised) PDF or image: "this file type is not supported" would send staff
 * looking for another program, when what they need is a new copy (issue 11).
 */
function unknownKindError(fileName: string | undefined): ReaderError {
  const ext = extension(fileName);
  if (ext === '.pdf') return new ReaderError('reader.error.damagedPdf');
  if (IMAGE_EXTENSIONS.has(ext)) return new ReaderError('reader.error.damagedImage');
  return new ReaderError('reader.error.unsupported', { name: ext });
}

/**
 * Reads every QR code in a PNG, JPEG, WebP, GIF, BMP, TIFF (every page) or PDF (every page).
 * Expected failures (unsupported type, over a limit, damaged, encrypted, cancelled) come
 * back as `{ ok: false, error }` with a message in the `reader` namespace; pages where
 * nothing could be read are listed in `unreadPages`.
 *
 * @example
 * const result = await readDocument(bytes, { platform: nodeReaderPlatform(), onProgress: ({ page, pages }) => … });
 * if (result.ok) for (const code of result.codes) if (isAl1Text(code.text)) …
 */
export async function readDocument(bytes: Uint8Array, options: ReadOptions): Promise<ReadResult> {
  let opened: OpenedDocument | null = null;
  try {
    opened = await openDocument(bytes, options);
    const codes: FoundCode[] = [];
    const unreadPages: number[] = [];
    const unreadable: UnreadableCode[] = [];
    for (let i = 0; i < opened.pages; i++) {
      options.onProgress?.({ page: i + 1, pages: opened.pages });
      const page = await opened.readPage(i);
      codes.push(...page.codes);
      unreadable.push(...page.unreadable);
      if (page.unread) unreadPages.push(i + 1);
    }
    return { ok: true, kind: opened.kind, pages: opened.pages, codes, unreadPages, unreadable };
  } catch (error) {
    return { ok: false, error: readFailure(error) };
  } finally {
    await opened?.close();
  }
}

/** One page's result: its codes (page numbers 1-based) and whether nothing could be read on it. */
export interface PageResult {
  codes: FoundCode[];
  unread: boolean;
  /** Codes located on the page that no step could read. */
  unreadable: UnreadableCode[];
  /** Pixels of the largest image the page was read from (0 when none): a reader pool sizes its work by it. */
  pixels: number;
}

/** A document opened for reading page by page (a pool of workers can share one document's pages). */
export interface OpenedDocument {
  kind: DocumentKind;
  pages: number;
  /** Reads one page (0-based index). Throws a ReaderError, or anything else for a bug. */
  readPage(index: number): Promise<PageResult>;
  /** Releases the document (pdf.js's copy, decoded pages); safe to call twice. */
  close(): Promise<void>;
}

/** What the user is told for an error thrown while reading: the ReaderError's own message, else `internal`. */
export function readFailure(error: unknown): LocalizedMessage {
  if (error instanceof ReaderError) return error.toMessage();
  const detail = error instanceof Error ? error.message : String(error);
  return { key: 'reader.error.internal', params: { detail: detail.slice(0, 200) } };
}

/**
 * Opens a document: checks size and type, loads the QR reader, opens the PDF or decodes the
 * raster header, checks the page count. Pages are then read one at a time, each within
 * `limits.pageBudgetMs` (a PDF page's rendering within a few budgets, see readPdfPage), and
 * each page's pixels are dropped as soon as it is read.
 *
 * @example const doc = await openDocument(bytes, { platform }); const first = await doc.readPage(0); await doc.close();
 */
export async function openDocument(bytes: Uint8Array, options: ReadOptions): Promise<OpenedDocument> {
  const limits: ReadLimits = { ...DEFAULT_READ_LIMITS, ...options.limits };
  const now = options.now ?? (() => performance.now());
  if (bytes.length === 0) throw new ReaderError('reader.error.empty');
  checkFileSize(bytes.length, limits);
  const kind = sniffKind(bytes);
  if (!kind) throw unknownKindError(options.fileName);
  const { decode, detect, scan } = await decoderFor(options.platform);
  const ladder = {
    decode,
    detect,
    scan,
    now,
    budgetMs: limits.pageBudgetMs,
    signal: options.signal,
    onStep: options.onStep,
    costs: options.costs,
  };
  const checkAbort = () => {
    if (options.signal?.aborted) throw new ReaderError('reader.error.aborted');
  };
  checkAbort();
  const finish = (
    found: Found[],
    page: number,
    start: number,
    located: Found['position'][],
    pixels: number,
  ): PageResult => {
    const codes: FoundCode[] = [];
    const unread: number[] = [];
    collect(found, page, now() - start, codes, unread);
    const unreadable = located.map((position) => ({ page, position: rounded(position) }));
    return { codes, unread: unread.length > 0, unreadable, pixels };
  };
  let closed = false;

  if (kind === 'pdf') {
    const pdf = await openPdf(bytes, options.platform, limits, { handOver: options.handOverBytes === true });
    return {
      kind,
      pages: pdf.pages,
      readPage: async (index) => {
        checkAbort();
        const start = now();
        try {
          const size = { pixels: 0 };
          const read = await readPdfPage(await pdf.page(index), index + 1, ladder, start, limits.pageBudgetMs, size);
          return finish(read.found, index + 1, start, read.unread, size.pixels);
        } finally {
          releaseScratch();
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await pdf.close();
      },
    };
  }

  const raster = await openRaster(bytes, kind, limits, options.platform);
  return {
    kind,
    pages: raster.pages,
    readPage: async (index) => {
      checkAbort();
      const start = now();
      let image: RgbaImage | null = null;
      try {
        image = await raster.page(index);
        const reading = await readPageImage(image, ladder);
        return finish(
          reading.codes.map((c) => ({ text: c.text, position: c.box })),
          index + 1,
          start,
          reading.unreadable,
          image.width * image.height,
        );
      } finally {
        // The page is read: its pixels go now (see releasePixels), not at the next collection.
        releasePixels(image?.data);
        releaseScratch();
      }
    },
    close: async () => {
      closed = true;
    },
  };
}

/** A page's rendering may take this many page budgets before it is given up (see readPdfPage). */
const RENDER_BUDGETS = 3;

type Found = { text: string; position: FoundCode['position'] };

const rounded = (p: Found['position']): Found['position'] =>
  p ? { x: round(p.x), y: round(p.y), width: round(p.width), height: round(p.height) } : null;

function collect(found: Found[], page: number, ms: number, codes: FoundCode[], unread: number[]): void {
  if (found.length === 0) unread.push(page);
  for (const f of found) codes.push({ text: f.text, page, position: rounded(f.position), ms: Math.round(ms) });
}

/**
 * A PDF page: the first pass on each embedded image (largest first), then on the rendered
 * page (vector codes, or a code beside a scanned logo); only then the ladder, on the
 * largest image and on the rendering, within what is left of the page's budget.
 */
async function readPdfPage(
  page: Awaited<ReturnType<Awaited<ReturnType<typeof openPdf>>['page']>>,
  pageNumber: number,
  ladder: LadderOptions,
  start: number,
  budgetMs: number,
  /** Set to the pixels of the largest image the page was read from. */
  size: { pixels: number },
): Promise<{ found: Found[]; unread: Found['position'][] }> {
  let renderedPixels: RgbaImage | null = null;
  try {
    const images = await page.images(3);
    for (const image of images) size.pixels = Math.max(size.pixels, image.width * image.height);
    const candidates: { image: RgbaImage; rendered: boolean; scale: number }[] = images.map((image) => ({
      image,
      rendered: false,
      scale: 1,
    }));
    const place = (box: Rect, candidate: (typeof candidates)[number]): Found['position'] =>
      candidate.rendered
        ? {
            x: box.x / candidate.scale,
            y: box.y / candidate.scale,
            width: box.width / candidate.scale,
            height: box.height / candidate.scale,
          }
        : null;
    const asFound = (reading: PageReading, candidate: (typeof candidates)[number]) => ({
      found: reading.codes.map((c) => ({ text: c.text, position: place(c.box, candidate) })),
      unread: reading.unreadable.map((box) => place(box, candidate)),
    });
    // A first pass that read a code but saw another it could not read goes on up the
    // ladder on the same image (a second, damaged letter on the page).
    const settle = async (reading: PageReading, candidate: (typeof candidates)[number]) => {
      if (reading.unreadable.length === 0) return asFound(reading, candidate);
      const left = budgetMs - (ladder.now() - start);
      const more = left > 0 ? await readPageImage(candidate.image, { ...ladder, budgetMs: left }) : reading;
      return asFound(more.codes.length >= reading.codes.length ? more : reading, candidate);
    };
    for (const candidate of candidates) {
      const reading = await readPageImage(candidate.image, ladder, 'first');
      if (reading.codes.length > 0) return settle(reading, candidate);
    }
    // A plain scan (one opaque image, nothing drawn beside it): its rendering would be the
    // same pixels, fewer of them, so the ladder gets the whole rest of the budget on the image.
    const [scan] = candidates;
    if (scan && !page.rendersMore()) {
      const left = budgetMs - (ladder.now() - start);
      if (left <= 0) return asFound({ codes: [], step: null, timedOut: true, unreadable: [] }, scan);
      return asFound(await readPageImage(scan.image, { ...ladder, budgetMs: left }, 'ladder'), scan);
    }
    // The rendering gets what is left of the page's budget, and at least three budgets: a
    // vector page takes 0.1-0.7 s to draw on a loaded 2-core machine, and a page given up
    // too early is an error the user sees, so this bound is against hangs, not slowness.
    const renderMs = Math.max(budgetMs - (ladder.now() - start), budgetMs * RENDER_BUDGETS);
    let rendered: Awaited<ReturnType<typeof page.render>>;
    try {
      rendered = await page.render({ timeoutMs: renderMs, signal: ladder.signal });
    } catch (error) {
      if (!(error instanceof RenderTimeout)) throw error;
      // Cancelled, or too slow: the document ends with this error rather than waiting, and
      // never as "no code" (the page may hold one).
      if (ladder.signal?.aborted) throw new ReaderError('reader.error.aborted');
      throw new ReaderError('reader.error.pageTimeout', { page: pageNumber, seconds: Math.round(renderMs / 100) / 10 });
    }
    renderedPixels = rendered.image;
    size.pixels = Math.max(size.pixels, rendered.image.width * rendered.image.height);
    const renderedCandidate = { image: rendered.image, rendered: true, scale: rendered.scale };
    const first = await readPageImage(rendered.image, ladder, 'first');
    if (first.codes.length > 0) return settle(first, renderedCandidate);
    const order = [...candidates.slice(0, 1), renderedCandidate];
    let unread: Found['position'][] = [];
    for (const candidate of order) {
      const left = budgetMs - (ladder.now() - start);
      if (left <= 0) break;
      const reading = await readPageImage(candidate.image, { ...ladder, budgetMs: left }, 'ladder');
      if (reading.codes.length > 0) return asFound(reading, candidate);
      if (unread.length === 0) unread = asFound(reading, candidate).unread;
    }
    return { found: [], unread };
  } finally {
    // The page's images (ours and pdf.js's) and its rendering are freed now: the page is read.
    page.cleanup();
    releasePixels(renderedPixels?.data);
  }
}

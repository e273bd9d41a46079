/**
 * PDF pages as images for the QR reader, through pdf.js. A scanned page is one embedded
 * image: taking it as stored is lossless, at the scanner's own resolution, and costs no
 * rendering. A page whose code is drawn as vector rectangles (letters printed straight
 * from software) has no such image and is rendered instead.
 */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
import type { RgbaImage } from './image-types.ts';
import { type CanvasFactoryLike, PDF_INTENT, RenderTimeout, renderPdfPage } from './pdf-render.ts';
import { checkPdfStreams } from './pdf-stream-limits.ts';
import { checkPageCount, checkPixels, type ReadLimits } from './read-limits.ts';
import { ReaderError } from './reader-error.ts';
import type { ReaderPlatform } from './reader-platform.ts';
import { releasePixels } from './release-pixels.ts';

/** One page's images to try, in order: embedded images, largest first, then a rendering. */
export interface PdfPage {
  /** At most `max` (default 3) embedded images as RGBA, largest first; pdf.js's own copies are dropped. */
  images: (max?: number) => Promise<RgbaImage[]>;
  /**
   * The page rendered to pixels, and the pixels per PDF point used. Rejects with
   * `RenderTimeout` (pdf-render.ts) when not done within `timeoutMs` or on `signal`.
   */
  render: (options?: { timeoutMs: number; signal?: AbortSignal }) => Promise<{ image: RgbaImage; scale: number }>;
  /**
   * After `images()`: false when the page is exactly one opaque image, converted above, and
   * nothing else is drawn (a plain scan). Its rendering is that image again, smaller, so it
   * is not made: a no-code page of a scanned PDF would otherwise cost a canvas, a second
   * decode and a second ladder. True before `images()` and for every other page.
   */
  rendersMore: () => boolean;
  cleanup: () => void;
}

export interface OpenPdf {
  pages: number;
  page: (index: number) => Promise<PdfPage>;
  close: () => Promise<void>;
}

/** Rendering resolution for vector pages: 200 DPI gives a 40 mm, 77-module code 3 pixels a module. */
const RENDER_DPI = 200;
/** A caller that sets no time (tools drawing pages, not the reader) still never waits forever. */
const UNBOUNDED_RENDER_MS = 60_000;
/** Embedded images smaller than this on either side cannot hold a readable code (logos, seals). */
const MIN_IMAGE_SIDE = 64;
/** Embedded images of a page the reader tries (largest first): a scan is one, a letter rarely more than a photo and a seal. */
const MAX_IMAGES = 3;

interface PdfImage {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/** pdf.js image objects (ImageKind: 1 = 1 bit grey, 2 = RGB, 3 = RGBA) to RGBA. */
function pdfImageToRgba(image: PdfImage): RgbaImage | null {
  const { width, height, kind, data } = image;
  if (!data || !width || !height) return null;
  const out = new Uint8ClampedArray(width * height * 4);
  if (kind === 3) {
    if (data.length < out.length) return null;
    out.set(data.subarray(0, out.length));
  } else if (kind === 2) {
    if (data.length < width * height * 3) return null;
    for (let i = 0, s = 0, o = 0; i < width * height; i++, s += 3, o += 4) {
      out[o] = data[s] ?? 0;
      out[o + 1] = data[s + 1] ?? 0;
      out[o + 2] = data[s + 2] ?? 0;
      out[o + 3] = 255;
    }
  } else if (kind === 1) {
    // Packed rows, one bit a pixel, a set bit is white (pdf.js putBinaryImageData).
    const rowBytes = (width + 7) >> 3;
    if (data.length < rowBytes * height) return null;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = ((data[y * rowBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1 ? 255 : 0;
        const o = (y * width + x) * 4;
        out[o] = v;
        out[o + 1] = v;
        out[o + 2] = v;
        out[o + 3] = 255;
      }
    }
  } else {
    return null;
  }
  return { width, height, data: out };
}

/**
 * Operators that draw nothing themselves: a page made of these and one image paint looks
 * exactly like that image. Anything else (paths, clips, text, shadings, masks, graphics
 * states that may carry a soft mask) means the page is rendered too.
 */
function inertOps(OPS: Record<string, number>): Set<number> {
  const names = [
    'save',
    'restore',
    'transform',
    'dependency',
    'beginMarkedContent',
    'beginMarkedContentProps',
    'endMarkedContent',
    'beginCompat',
    'endCompat',
  ];
  return new Set(names.map((name) => OPS[name]).filter((op): op is number => typeof op === 'number'));
}

function objectOf(page: PDFPageProxy, id: string): Promise<PdfImage | null> {
  const store = id.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => {
    try {
      store.get(id, (value: unknown) => resolve((value as PdfImage | null) ?? null));
    } catch {
      resolve(null);
    }
  });
}

/**
 * Runs one pdf.js step on a page. pdf.js throws for a damaged content stream or image
 * (`FormatError: Illegal character`, a bad DEFLATE stream) even with `stopAtErrors: false`;
 * that is the file's fault, not a bug of ours, so it becomes "damaged PDF" rather than an
 * internal error (found by the PDF fuzz target, tests/fuzz/targets.ts).
 */
async function pageStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    // A rendering stopped for time or cancelled is not the file's fault: the reader says so itself.
    if (error instanceof ReaderError || error instanceof RenderTimeout) throw error;
    throw new ReaderError('reader.error.damagedPdf');
  }
}

/** Maps pdf.js's load failures to what the user is told. */
function loadError(error: unknown): ReaderError {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'PasswordException') return new ReaderError('reader.error.encryptedPdf');
  return new ReaderError('reader.error.damagedPdf');
}

/**
 * Opens a PDF with pdf.js. Encrypted PDFs (a user or owner password that pdf.js cannot
 * open with an empty password) and broken files fail with their own messages; the page
 * count is checked against the limits before any page is read.
 *
 * @example const pdf = await openPdf(bytes, platform, limits, { handOver: true }); const page = await pdf.page(0)
 */
export async function openPdf(
  bytes: Uint8Array,
  platform: ReaderPlatform,
  limits: ReadLimits,
  options: { handOver?: boolean } = {},
): Promise<OpenPdf> {
  checkPdfStreams(bytes, limits);
  const pdfjs = await platform.loadPdfJs();
  // pdf.js moves the buffer it is given to its worker (detaching it here): it gets a copy so
  // the caller's bytes stay usable, unless the caller handed them over (one copy, not two).
  const task = pdfjs.getDocument({
    data: options.handOver ? bytes : bytes.slice(),
    ...platform.pdfData,
    isEvalSupported: false,
    // Raw pixel arrays rather than ImageBitmaps, the same in Node and the browser.
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    // pdf.js itself refuses to decode an image above the per-page pixel limit.
    maxImageSize: limits.maxPixelsPerPage,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
    // In a worker: OffscreenCanvas and no DOM filters (see pdf-render.ts).
    ...platform.pdfDocumentOptions,
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw loadError(error);
  }
  checkPageCount(doc.numPages, limits);
  return {
    pages: doc.numPages,
    close: () => doc.destroy(),
    page: async (index) => {
      let page: PDFPageProxy;
      try {
        page = await doc.getPage(index + 1);
      } catch {
        throw new ReaderError('reader.error.damagedPdf');
      }
      let rendersMore = true;
      // Our RGBA copies, freed at cleanup (the page is read by then; see releasePixels).
      const converted: RgbaImage[] = [];
      return {
        cleanup: () => {
          page.cleanup();
          for (const image of converted.splice(0)) releasePixels(image.data);
        },
        rendersMore: () => rendersMore,
        images: async (max = MAX_IMAGES) => {
          // The same intent as the rendering below, so a page that needs both is parsed once.
          const ops = await pageStep(() => page.getOperatorList({ intent: PDF_INTENT }));
          const ids = new Set<string>();
          const inert = inertOps(pdfjs.OPS);
          let paints = 0;
          let drawsMore = false;
          for (let i = 0; i < ops.fnArray.length; i++) {
            const fn = ops.fnArray[i];
            if (fn === pdfjs.OPS.paintImageXObject || fn === pdfjs.OPS.paintImageXObjectRepeat) {
              const id = ops.argsArray[i]?.[0];
              if (typeof id === 'string') ids.add(id);
              paints += fn === pdfjs.OPS.paintImageXObject ? 1 : 2;
            } else if (fn === undefined || !inert.has(fn)) {
              drawsMore = true;
            }
          }
          const objects: PdfImage[] = [];
          // The page's own decoded images (not `g_` ones, which pdf.js shares between pages).
          const own = new Set<PdfImage>();
          for (const id of ids) {
            const object = await objectOf(page, id);
            if (!object || object.width < MIN_IMAGE_SIDE || object.height < MIN_IMAGE_SIDE) continue;
            checkPixels(index + 1, object.width, object.height, limits);
            objects.push(object);
            if (!id.startsWith('g_')) own.add(object);
          }
          // Only the largest few become RGBA (a page of many small pictures never costs a copy of each).
          objects.sort((a, b) => b.width * b.height - a.width * a.height);
          const images: RgbaImage[] = [];
          for (const object of objects.slice(0, max)) {
            const rgba = pdfImageToRgba(object);
            if (rgba) images.push(rgba);
          }
          converted.push(...images);
          // One image painted once, opaque (grey or RGB: an alpha or mask would be composed
          // on white only by rendering), taken whole, and no path, text or shading beside it.
          const lone = objects[0];
          rendersMore = !(
            !drawsMore &&
            paints === 1 &&
            ids.size === 1 &&
            objects.length === 1 &&
            images.length === 1 &&
            lone !== undefined &&
            (lone.kind === 1 || lone.kind === 2)
          );
          // pdf.js keeps each decoded image (RGB, 26 MB for a 300-DPI A4 scan) in the page's
          // objects until cleanup. A page that will not be rendered lets it go now, with our
          // copy taken, rather than after the ladder; one that will be keeps it for the rendering.
          if (!rendersMore) {
            // Nothing draws this page again: pdf.js's copy (its objects are cleared just
            // below, so no one reads it) is freed now, not at the next collection.
            for (const object of objects) if (own.has(object)) releasePixels(object.data);
            page.cleanup();
          }
          objects.length = 0;
          return images;
        },
        render: async (options = { timeoutMs: UNBOUNDED_RENDER_MS }) => {
          const base = page.getViewport({ scale: 1 });
          let scale = RENDER_DPI / 72;
          const area = base.width * base.height * scale * scale;
          const maxArea = Math.min(limits.maxPixelsPerPage, limits.maxRenderPixels);
          if (area > maxArea) scale *= Math.sqrt(maxArea / area);
          const factory = doc.canvasFactory as CanvasFactoryLike;
          return { image: await pageStep(() => renderPdfPage(page, scale, factory, options)), scale };
        },
      };
    },
  };
}

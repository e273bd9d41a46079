import { ReaderError } from './reader-error.ts';

/** Bounds on what one document may cost, so a hostile or broken file cannot exhaust memory or time. */
export interface ReadLimits {
  /** Largest file accepted, in bytes (default 100 MiB). */
  maxFileBytes: number;
  /** Most pages read from a PDF or TIFF (default 200). */
  maxPages: number;
  /** Most pixels on one page, checked from the header before decoding (default 40 megapixels). */
  maxPixelsPerPage: number;
  /** Time the retry ladder may spend on one page before giving up on it (default 1500 ms). */
  pageBudgetMs: number;
  /**
   * Most bytes a PDF stream other than an image may inflate to (default 32 MiB: content
   * streams of real letters are kilobytes, an embedded CJK font a few megabytes).
   */
  maxPdfStreamBytes: number;
  /**
   * Most pixels of a rendered PDF page (default 8 megapixels: A3 at 200 DPI is 7.8). A page
   * with a huge MediaBox is rendered smaller rather than allocating a canvas of gigabytes.
   */
  maxRenderPixels: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxFileBytes: 100 * 1024 * 1024,
  maxPages: 200,
  maxPixelsPerPage: 40_000_000,
  pageBudgetMs: 1500,
  maxPdfStreamBytes: 32 * 1024 * 1024,
  maxRenderPixels: 8_000_000,
};

const mb = (n: number) => Math.round((n / (1024 * 1024)) * 10) / 10;
const mp = (n: number) => Math.round((n / 1_000_000) * 10) / 10;

/** Refuses a file over `maxFileBytes`. */
export function checkFileSize(size: number, limits: ReadLimits): void {
  if (size > limits.maxFileBytes) {
    throw new ReaderError('reader.error.tooLarge', { size: mb(size), max: mb(limits.maxFileBytes) });
  }
}

/** Refuses a document with more than `maxPages` pages. */
export function checkPageCount(pages: number, limits: ReadLimits): void {
  if (pages > limits.maxPages) throw new ReaderError('reader.error.tooManyPages', { pages, max: limits.maxPages });
}

/**
 * Refuses a page whose declared size exceeds `maxPixelsPerPage`: a decompression bomb
 * declares a huge size in a few bytes, and this check runs before any pixel is decoded.
 */
export function checkPixels(page: number, width: number, height: number, limits: ReadLimits): void {
  if (width * height > limits.maxPixelsPerPage) {
    throw new ReaderError('reader.error.tooManyPixels', {
      page,
      megapixels: mp(width * height),
      max: mp(limits.maxPixelsPerPage),
    });
  }
}

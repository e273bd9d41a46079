/**
 * The reader's limits in the extension. One page of P pixels costs a reader worker about
 * 16 bytes a pixel at its peak (RGBA 4, zxing's RGBA input 4, luminance and zxing's own
 * buffers about 4, the decoder's 4), measured as +642-678 MiB for a blank 39.9 MP PNG
 * (scripts/bench/hostile-bench.ts). The offscreen document's budget is 400 MB, so a page
 * is refused above 24 MP here, from its header before a pixel is decoded, with the message
 * naming the limit; the CLI keeps the reader's default of 40 MP. 24 MP still takes a
 * 300-DPI A3 scan (17.4 MP) and any 12 MP phone photo; a 600-DPI A4 scan (34.8 MP) is
 * asked for again at a lower resolution rather than read at twice the budget.
 */
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../document/read-limits.ts';

export const EXTENSION_MAX_PIXELS_PER_PAGE = 24_000_000;

export const EXTENSION_READ_LIMITS: ReadLimits = {
  ...DEFAULT_READ_LIMITS,
  maxPixelsPerPage: EXTENSION_MAX_PIXELS_PER_PAGE,
};

/**
 * A PDF whose pages have this many pixels or more (a 250-DPI A4 scan, 6.05 MP, and up) is
 * read one page at a time in the extension rather than spread over the reader workers: two
 * 300-DPI pages in flight put both workers at their ~100-140 MiB peak together
 * (scripts/bench/memory-bench.ts), against the offscreen document's 400 MB. Other documents
 * still go to the other workers, and smaller pages still spread.
 */
export const EXTENSION_LARGE_PAGE_PIXELS = 6_000_000;

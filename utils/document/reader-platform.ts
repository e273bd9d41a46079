/**
 * What differs between the places the reader runs: where its WebAssembly and the pdf.js
 * worker come from. Everything else (image decoding, the QR ladder) is the same code in
 * Node and in the browser, so the Node tests cover what ships.
 *
 * Never leave the zxing overrides empty: zxing-wasm's default `locateFile` downloads the
 * `.wasm` from a CDN, which would leak that a document is being checked and fail offline.
 */
import type * as PdfJs from 'pdfjs-dist';
import type { NativeImageDecoder } from './decode-native.ts';

/** Emscripten module overrides: the wasm bytes themselves, or where to load them from. */
export interface WasmSource {
  wasmBinary?: ArrayBuffer;
  locateFile?: (path: string, prefix: string) => string;
}

/** pdf.js with its worker already set up. */
export type PdfJsLib = typeof PdfJs;

export interface ReaderPlatform {
  /** zxing-wasm's reader build (`zxing_reader.wasm`). */
  zxing: WasmSource;
  /** @jsquash/webp's decoder (`webp_dec.wasm`). */
  webp: WasmSource;
  /** @jsquash/jpeg's MozJPEG decoder (`mozjpeg_dec.wasm`). */
  jpeg: WasmSource;
  /** @jsquash/png's decoder (`squoosh_png_bg.wasm`, a wasm-bindgen module: only `wasmBinary` or `locateFile` is used). */
  png: WasmSource;
  /**
   * The browser's own PNG and JPEG decoders (utils/document/decode-native.ts), tried before
   * the wasm ones; absent in Node (the CLI) and wherever they were not set up. Null from it
   * means "decode with the wasm decoders".
   */
  nativeImages?: NativeImageDecoder;
  /** Loads pdf.js with its worker configured (Node: legacy build, in-process; browser: bundled worker file). */
  loadPdfJs: () => Promise<PdfJsLib>;
  /**
   * Where pdf.js finds its own data: `wasmUrl` (JBIG2 and JPEG 2000 decoders, which
   * scanners use inside PDFs), `standardFontDataUrl`, `cMapUrl`. Paths in Node, extension
   * URLs in the browser, each ending with `/`.
   */
  pdfData: { wasmUrl: string; standardFontDataUrl: string; cMapUrl: string };
  /**
   * More `getDocument` options where pdf.js's defaults need a DOM (in a worker: an
   * OffscreenCanvas factory, no SVG filters, and `useWorkerFetch`, whose default reads
   * `document.baseURI`). See utils/document/pdf-render.ts.
   */
  pdfDocumentOptions?: { CanvasFactory?: object; FilterFactory?: object; useWorkerFetch?: boolean };
}

/**
 * The files the browser build must ship, by the path under `public/` (or the output
 * folder) that `browserReaderPlatform` asks for, and where each comes from in
 * `node_modules`. Folders end with `/` and are copied whole.
 */
export const READER_BROWSER_ASSETS = {
  'reader/zxing_reader.wasm': 'zxing-wasm/dist/reader/zxing_reader.wasm',
  'reader/webp_dec.wasm': '@jsquash/webp/codec/dec/webp_dec.wasm',
  'reader/mozjpeg_dec.wasm': '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm',
  'reader/squoosh_png_bg.wasm': '@jsquash/png/codec/pkg/squoosh_png_bg.wasm',
  // The legacy build: the modern one calls Promise.withResolvers (Chromium 119) and
  // URL.parse (126) unguarded, so every PDF failed on Chromium 109–125 (360 15, QQ, Sogou).
  'reader/pdf.worker.min.mjs': 'pdfjs-dist/legacy/build/pdf.worker.min.mjs',
  'reader/pdfjs-wasm/': 'pdfjs-dist/wasm/',
  'reader/standard_fonts/': 'pdfjs-dist/standard_fonts/',
  'reader/cmaps/': 'pdfjs-dist/cmaps/',
} as const;

/**
 * The platform for the extension (an offscreen document or a background page): every
 * file comes from the extension's own origin, as listed in `READER_BROWSER_ASSETS`.
 *
 * @example
 * import { browser } from 'wxt/browser';
 * const platform = browserReaderPlatform((path) => browser.runtime.getURL(`/${path}`));
 */
export function browserReaderPlatform(assetUrl: (path: keyof typeof READER_BROWSER_ASSETS) => string): ReaderPlatform {
  let pdfjs: Promise<PdfJsLib> | undefined;
  return {
    zxing: { locateFile: () => assetUrl('reader/zxing_reader.wasm') },
    webp: { locateFile: () => assetUrl('reader/webp_dec.wasm') },
    jpeg: { locateFile: () => assetUrl('reader/mozjpeg_dec.wasm') },
    png: { locateFile: () => assetUrl('reader/squoosh_png_bg.wasm') },
    loadPdfJs: () => {
      pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs').then((module) => {
        const lib = module as unknown as PdfJsLib;
        // A worker from the extension's own files: MV3 forbids blob: workers and remote code.
        lib.GlobalWorkerOptions.workerSrc = assetUrl('reader/pdf.worker.min.mjs');
        return lib;
      });
      return pdfjs;
    },
    pdfData: {
      wasmUrl: assetUrl('reader/pdfjs-wasm/'),
      standardFontDataUrl: assetUrl('reader/standard_fonts/'),
      cMapUrl: assetUrl('reader/cmaps/'),
    },
  };
}

import { browser } from 'wxt/browser';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { READER_BROWSER_ASSETS } from '../utils/document/reader-platform.ts';

/**
 * Where the build puts zxing's `.wasm`: the reader's asset path first, then the older
 * `vendor/` copy made by wxt.config.ts. Both are files of the extension itself: zxing-wasm's
 * default would fetch from a CDN, which the extension must never do.
 */
const READER_WASM: keyof typeof READER_BROWSER_ASSETS = 'reader/zxing_reader.wasm';
const WASM_PATHS = [`/${READER_WASM}`, '/vendor/zxing_reader.wasm'];

let ready: Promise<void> | null = null;

async function loadWasm(): Promise<ArrayBuffer> {
  const getUrl = browser.runtime.getURL as (path: string) => string;
  for (const path of WASM_PATHS) {
    const response = await fetch(getUrl(path)).catch(() => null);
    if (response?.ok) return response.arrayBuffer();
  }
  throw new Error('zxing_reader.wasm is missing from the extension');
}

/** Decodes the QR codes in one camera frame with zxing-wasm (valid symbols only). */
export async function decodeQrFrame(image: ImageData): Promise<string[]> {
  ready ??= loadWasm().then((wasmBinary) => {
    prepareZXingModule({ overrides: { wasmBinary } });
  });
  await ready;
  const results = await readBarcodes(image, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

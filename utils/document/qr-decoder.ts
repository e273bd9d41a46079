import { prepareZXingModule, purgeZXingModule, type ReaderOptions, readBarcodes } from 'zxing-wasm/reader';
import { greyToRgba } from './image-ops.ts';
import type { GreyImage, Rect } from './image-types.ts';
import type { WasmSource } from './reader-platform.ts';

/**
 * The settings that read best on this project's documents (issue #3): QR only, at native
 * resolution with zxing's own downscaling as a fallback (downscaling first loses codes
 * below about 3 pixels per module), the local-average binarizer for uneven scans.
 * Rotation and inversion tries are off: QR finder patterns are rotation-free, and a
 * printed letter is never white-on-black.
 */
export const QR_READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  binarizer: 'LocalAverage',
  tryDownscale: true,
  tryRotate: false,
  tryInvert: false,
  maxNumberOfSymbols: 8,
};

/** One text the decoder produced, with the bounding box of its corners in the image's pixels. */
export interface DecodedQr {
  text: string;
  box: Rect;
}

export type QrDecoder = (image: GreyImage, options?: ReaderOptions) => Promise<DecodedQr[]>;

/**
 * Instantiates zxing-wasm from the platform's local wasm (never its CDN default) and
 * returns a decoder over grey images. A failed instantiation is cached by zxing-wasm,
 * so it is purged before the error goes up, letting a later call try again.
 *
 * @example const decode = await loadQrDecoder({ wasmBinary }); await decode(page)
 */
export async function loadQrDecoder(source: WasmSource): Promise<QrDecoder> {
  if (!source.wasmBinary && !source.locateFile) throw new Error('zxing-wasm needs a local wasm source');
  try {
    await prepareZXingModule({ overrides: { ...source }, fireImmediately: true });
  } catch (error) {
    purgeZXingModule();
    throw error;
  }
  return async (image, options = QR_READER_OPTIONS) => {
    if (image.width < 21 || image.height < 21) return []; // smaller than a version 1 code
    // zxing-wasm takes any { width, height, data } shaped like ImageData (Node has no ImageData).
    const results = await readBarcodes(greyToRgba(image) as unknown as ImageData, options);
    return results
      .filter((r) => r.isValid && r.text.length > 0)
      .map((r) => {
        const { topLeft, topRight, bottomLeft, bottomRight } = r.position;
        const xs = [topLeft.x, topRight.x, bottomLeft.x, bottomRight.x];
        const ys = [topLeft.y, topRight.y, bottomLeft.y, bottomRight.y];
        const x = Math.min(...xs);
        const y = Math.min(...ys);
        return { text: r.text, box: { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y } };
      });
  };
}

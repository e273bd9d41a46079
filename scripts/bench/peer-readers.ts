/**
 * The open QR readers the benches measure ours against, each called as a new user would call
 * it (its defaults, the whole page image), and each answer read the same way: the texts it
 * returned, none when it threw or found nothing. One place, so every bench measures the peers
 * alike.
 */
import { scanImageData } from '@undecaf/zbar-wasm';
import ZXingJs from '@zxing/library';
import jsQR from 'jsqr';
import { decodeQR } from 'qr/decode.js';
import { readBarcodes } from 'zxing-wasm/reader';
import { luminance } from '../../utils/document/image-ops.ts';
import type { RgbaImage } from '../../utils/document/image-types.ts';

export type PeerEngine = 'zxing-wasm defaults' | 'jsQR' | 'zbar-wasm' | '@zxing/library' | 'qr (paulmillr)';

/** One peer's texts on one page image. */
export async function peerRead(engine: PeerEngine, image: RgbaImage): Promise<string[]> {
  switch (engine) {
    case 'jsQR': {
      const code = jsQR(image.data, image.width, image.height);
      return code ? [code.data] : [];
    }
    case 'zxing-wasm defaults': {
      const codes = await readBarcodes(image as unknown as ImageData);
      return codes.filter((c) => c.isValid).map((c) => c.text);
    }
    case 'zbar-wasm': {
      const symbols = await scanImageData(image as unknown as ImageData);
      return symbols.filter((s) => s.typeName === 'ZBAR_QRCODE').map((s) => s.decode());
    }
    case '@zxing/library':
      try {
        const source = new ZXingJs.RGBLuminanceSource(luminance(image).data, image.width, image.height);
        return [
          new ZXingJs.QRCodeReader().decode(new ZXingJs.BinaryBitmap(new ZXingJs.HybridBinarizer(source))).getText(),
        ];
      } catch {
        return []; // NotFound, Checksum, Format: nothing read
      }
    case 'qr (paulmillr)':
      try {
        return [decodeQR({ width: image.width, height: image.height, data: image.data }, { format: 'RGBA' })];
      } catch {
        return []; // nothing found or nothing decoded
      }
  }
}

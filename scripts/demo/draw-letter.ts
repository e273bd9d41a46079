// Draws the demo attachments: a letter-like page (title bar, text lines, a red seal) with
// the AL1 QR code printed bottom-right, as a PNG scan or a one-page PDF. No fonts are
// needed: the portal page carries the Chinese text; the scans only have to look like
// paper and carry the code.
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

const WIDTH = 760;
const HEIGHT = 1000;

function seeded(text: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

function fillRect(png: PNG, x0: number, y0: number, w: number, h: number, rgb: [number, number, number]) {
  for (let y = Math.max(0, y0); y < Math.min(png.height, y0 + h); y++)
    for (let x = Math.max(0, x0); x < Math.min(png.width, x0 + w); x++) {
      const o = (y * png.width + x) * 4;
      png.data[o] = rgb[0];
      png.data[o + 1] = rgb[1];
      png.data[o + 2] = rgb[2];
      png.data[o + 3] = 255;
    }
}

/** A letter page as PNG bytes, with the QR of `text` when given. `seed` makes each page's bytes distinct. */
export function drawLetterPng(text: string | null, seed: string): Uint8Array {
  const png = new PNG({ width: WIDTH, height: HEIGHT });
  fillRect(png, 0, 0, WIDTH, HEIGHT, [252, 251, 247]);
  const random = seeded(seed);
  fillRect(png, 230, 70, 300, 26, [60, 60, 60]); // the title
  for (let line = 0; line < 14; line++) {
    const width = 420 + Math.floor(random() * 200);
    fillRect(png, 80, 150 + line * 34, line % 5 === 4 ? width / 2 : width, 10, [120, 120, 120]);
  }
  // The red seal (a ring), where a real office would stamp it.
  for (let y = 680; y <= 840; y++)
    for (let x = 120; x <= 280; x++) {
      const r = Math.hypot(x - 200, y - 760);
      if (r > 70 && r < 80) fillRect(png, x, y, 1, 1, [210, 40, 40]);
    }
  if (text) {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const modules = qr.modules.size;
    const scale = Math.max(3, Math.floor(330 / (modules + 8)));
    const size = (modules + 8) * scale;
    const left = WIDTH - size - 40;
    const top = HEIGHT - size - 40;
    fillRect(png, left, top, size, size, [255, 255, 255]);
    for (let r = 0; r < modules; r++)
      for (let c = 0; c < modules; c++)
        if (qr.modules.get(r, c)) fillRect(png, left + (c + 4) * scale, top + (r + 4) * scale, scale, scale, [0, 0, 0]);
  }
  // One filter (Paeth) instead of pngjs's per-row search of all five: as small (about 20 kB)
  // in a third of the time. Unfiltered rows with pngjs's RLE strategy would be 800 kB.
  return new Uint8Array(PNG.sync.write(png, { filterType: 4, deflateLevel: 6 }));
}

/** The same page as a one-page A4 PDF (the scan embedded as an image, as scanners do). */
export async function drawLetterPdf(text: string | null, seed: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const image = await pdf.embedPng(drawLetterPng(text, seed));
  page.drawImage(image, { x: 0, y: 0, width: 595, height: (595 * HEIGHT) / WIDTH });
  pdf.setTitle(seed);
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  return pdf.save();
}

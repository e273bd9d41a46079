/**
 * Reading what the page already shows, from its pixels: an `<img>` whose URL can no longer be
 * fetched (a `blob:` URL the portal revoked right after the image loaded), and a `<canvas>` a
 * viewer or the portal drew a letter into. The pixels are encoded as PNG with `toBlob`, which
 * Chromium encodes in idle slices rather than in one long task, and sent like any file.
 */

/** The longest side read: more than the reader needs for a page's QR code, and a bounded copy. */
const MAX_SIDE = 4000;

function toPng(canvas: HTMLCanvasElement): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    try {
      canvas.toBlob((blob) => {
        if (!blob) return resolve(null);
        blob.arrayBuffer().then(
          (buffer) => resolve(new Uint8Array(buffer)),
          () => resolve(null),
        );
      }, 'image/png');
    } catch {
      // A tainted canvas (cross-origin pixels) may not be read: SecurityError.
      resolve(null);
    }
  });
}

/**
 * Whether a picture is one flat colour (a canvas not drawn yet, a WebGL canvas whose buffer
 * was cleared). Looked at through a 16 × 16 copy, so it costs next to nothing. Throws on
 * tainted pixels.
 */
function isBlank(source: CanvasImageSource, width: number, height: number): boolean {
  const probe = document.createElement('canvas');
  probe.width = 16;
  probe.height = 16;
  const g = probe.getContext('2d', { willReadFrequently: true });
  if (!g) return true;
  g.drawImage(source, 0, 0, width, height, 0, 0, 16, 16);
  const data = g.getImageData(0, 0, 16, 16).data;
  for (let i = 4; i < data.length; i += 4)
    for (let c = 0; c < 4; c++) if (Math.abs((data[i + c] as number) - (data[c] as number)) > 8) return false;
  return true;
}

/** PNG bytes of a loaded image's decoded pixels, or null (not loaded, tainted, blank). */
export async function imagePng(img: HTMLImageElement): Promise<Uint8Array | null> {
  if (!img.complete || img.naturalWidth === 0 || img.naturalHeight === 0) return null;
  const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(img.naturalWidth * scale);
  canvas.height = Math.round(img.naturalHeight * scale);
  const g = canvas.getContext('2d');
  if (!g) return null;
  g.drawImage(img, 0, 0, canvas.width, canvas.height);
  try {
    if (isBlank(canvas, canvas.width, canvas.height)) return null;
  } catch {
    return null;
  }
  return toPng(canvas);
}

export type CanvasRead = { state: 'read'; bytes: Uint8Array } | { state: 'blank' } | { state: 'refused' };

/** PNG bytes of a canvas as drawn now; `blank` when nothing is drawn yet (worth a later look), `refused` when tainted. */
export async function canvasPng(canvas: HTMLCanvasElement): Promise<CanvasRead> {
  if (canvas.width === 0 || canvas.height === 0) return { state: 'blank' };
  try {
    if (isBlank(canvas, canvas.width, canvas.height)) return { state: 'blank' };
  } catch {
    return { state: 'refused' };
  }
  let source = canvas;
  if (Math.max(canvas.width, canvas.height) > MAX_SIDE) {
    const scale = MAX_SIDE / Math.max(canvas.width, canvas.height);
    source = document.createElement('canvas');
    source.width = Math.round(canvas.width * scale);
    source.height = Math.round(canvas.height * scale);
    source.getContext('2d')?.drawImage(canvas, 0, 0, source.width, source.height);
  }
  const bytes = await toPng(source);
  return bytes ? { state: 'read', bytes } : { state: 'refused' };
}

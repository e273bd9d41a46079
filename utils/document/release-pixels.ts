// Freeing page-sized buffers at once; no imports, so the QR decoder and the PDF reader can both use it.

/**
 * Gives a page's pixels back to the system now rather than at V8's next collection. A
 * reader worker makes several page-sized buffers a page (35 MB of RGBA at 300 DPI) and,
 * busy as it is, collects late: 3 s after a 12-page PDF each worker still held ~105 MB of
 * dropped pages (scripts/bench/memory-bench.ts). Detaching the buffer
 * (`ArrayBuffer.prototype.transfer(0)`, Chromium 114+ and Node 21+) frees it at once; where
 * there is no `transfer` it waits for the collector as before. Only for buffers nothing
 * reads again: any view of it reads as empty afterwards.
 */
export function releasePixels(data: ArrayBufferView | undefined | null): void {
  const buffer = data?.buffer as
    | (ArrayBuffer & { transfer?: (length?: number) => ArrayBuffer; detached?: boolean })
    | undefined;
  if (!(buffer instanceof ArrayBuffer) || buffer.detached === true || typeof buffer.transfer !== 'function') return;
  try {
    buffer.transfer(0);
  } catch {
    // A buffer that cannot be detached (a wasm memory's): the collector frees it as before.
  }
}

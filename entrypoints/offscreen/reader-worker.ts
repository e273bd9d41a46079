/**
 * One reader of the offscreen document's pool, in a dedicated worker: its own zxing-wasm,
 * image decoders and pdf.js (which starts its own worker in turn). Bundled as a file of the
 * extension (reader-slots.ts imports it with `?worker&url`): MV3 forbids `blob:` workers.
 *
 * Answers only its creator (a dedicated worker has no other sender). Messages:
 * `{ id, type: 'open', docId, bytes, fileName }`, `{ id, type: 'page', docId, index }`,
 * `{ type: 'close', docId }`; replies `{ id, answer, heapBytes }` (a SlotAnswer, and the bytes
 * of WebAssembly memory its decoders hold now).
 */
import { type NativeDecodeCounts, nativeImageDecoder } from '../../utils/document/decode-native.ts';
import { rasterHeapBytes } from '../../utils/document/decode-raster.ts';
import { NoFilterFactory, OffscreenCanvasFactory } from '../../utils/document/pdf-render.ts';
import { qrHeapBytes } from '../../utils/document/qr-decoder.ts';
import { warmReader } from '../../utils/document/read-document.ts';
import { browserReaderPlatform } from '../../utils/document/reader-platform.ts';
import { createDocumentTable } from './document-table.ts';
import type { WorkerRequest } from './reader-slots.ts';

const scope = globalThis as unknown as {
  location: Location;
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
};

// How many PNGs and JPEGs the browser decoded and how many it left to the wasm decoders
// (tests/browser/offscreen-reader.test.ts reads it over the DevTools protocol, as below).
const decodes: NativeDecodeCounts = { native: 0, declined: 0 };
const platform = {
  ...browserReaderPlatform((path) => new URL(`/${path}`, scope.location.origin).href),
  // PNG and JPEG by the browser's decoders, off this thread; the wasm ones wherever they decline.
  nativeImages: nativeImageDecoder(globalThis as never, decodes),
  // No `document` in a worker: pdf.js draws on OffscreenCanvas and fetches its own data.
  pdfDocumentOptions: { CanvasFactory: OffscreenCanvasFactory, FilterFactory: NoFilterFactory, useWorkerFetch: true },
};
// The bytes of every `open` were moved here (reader-slots.ts), so they are handed on, not copied.
const table = createDocumentTable(platform, true);

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (request.type === 'close') {
    table.close(request.docId);
    return;
  }
  const answer =
    request.type === 'open'
      ? table.open(request.docId, new Uint8Array(request.bytes), request.fileName)
      : table.readPage(request.docId, request.index);
  // With every answer, how far this worker's wasm memories have grown (the pool replaces a grown worker once idle).
  void answer.then((value) =>
    scope.postMessage({ id: request.id, answer: value, heapBytes: qrHeapBytes() + rasterHeapBytes() }),
  );
});
// The same figure for the memory bench (scripts/bench/memory-bench.ts), which reads it over
// the DevTools protocol; only this worker's creator can post to it, no page can reach it.
(globalThis as { yanzhenWasmBytes?: () => number }).yanzhenWasmBytes = () => qrHeapBytes() + rasterHeapBytes();
(globalThis as { yanzhenDecodes?: NativeDecodeCounts }).yanzhenDecodes = decodes;
scope.postMessage({ id: 0, ready: true });
// zxing compiled now, while the page's files are still on their way, not on the first open.
void warmReader(platform);

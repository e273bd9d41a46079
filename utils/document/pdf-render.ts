/**
 * Rendering one PDF page to pixels with pdf.js, in a way that always finishes.
 *
 * Why not `page.render()` as pdf.js's viewer calls it: with the default `display` intent,
 * `InternalRenderTask` schedules every chunk of drawing (15 ms of operators) with
 * `window.requestAnimationFrame` whenever a `window` exists. An offscreen document (and a
 * background page) has a window but never paints, so rAF never fires: the render promise
 * never settles, with no error and no CPU use. The `print` intent sets
 * `useRequestAnimationFrame: false`; pdf.js then continues with a microtask, which never
 * yields, so `onContinue` hands each next chunk to a macrotask: the deadline timer and a
 * cancellation can run between chunks, and a stuck render is cancelled rather than waited on.
 *
 * The canvas: the document's own factory (`DOMCanvasFactory` in a page, ours below in a
 * worker, where there is no `document`).
 */
import type { PDFPageProxy } from 'pdfjs-dist';
import type { RgbaImage } from './image-types.ts';

/** The intent both the operator list and the rendering use, so pdf.js parses the page once. */
export const PDF_INTENT = 'print';

interface CanvasAndContext {
  canvas: unknown;
  context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
}
export interface CanvasFactoryLike {
  create(width: number, height: number): CanvasAndContext;
  reset(target: CanvasAndContext, width: number, height: number): void;
  destroy(target: CanvasAndContext): void;
}

/**
 * pdf.js's `CanvasFactory` option for a worker: OffscreenCanvas instead of
 * `document.createElement('canvas')` (pdf.js also draws masks and patterns on canvases it
 * asks this factory for).
 */
export class OffscreenCanvasFactory implements CanvasFactoryLike {
  create(width: number, height: number): CanvasAndContext {
    if (width <= 0 || height <= 0) throw new Error('Invalid canvas size');
    const canvas = new OffscreenCanvas(width, height);
    return { canvas, context: canvas.getContext('2d', { willReadFrequently: true }) };
  }
  reset(target: CanvasAndContext, width: number, height: number): void {
    const canvas = target.canvas as OffscreenCanvas;
    canvas.width = width;
    canvas.height = height;
  }
  destroy(target: CanvasAndContext): void {
    const canvas = target.canvas as OffscreenCanvas | null;
    if (canvas) canvas.width = canvas.height = 0;
    target.canvas = null;
    target.context = null;
  }
}

/** pdf.js's `FilterFactory` option for a worker: no SVG filters (they need a DOM); transfer maps are rare in scans. */
export class NoFilterFactory {
  addFilter(): string {
    return 'none';
  }
  addHCMFilter(): string {
    return 'none';
  }
  addAlphaFilter(): string {
    return 'none';
  }
  addLuminosityFilter(): string {
    return 'none';
  }
  addHighlightHCMFilter(): string {
    return 'none';
  }
  destroy(): void {}
}

interface Scheduler {
  postTask(callback: () => void, options?: { priority?: string }): Promise<unknown>;
}

/** Runs `next` in a new macrotask (scheduler.postTask where there is one, else a 0 ms timer). */
function inNewTask(next: () => void): void {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (scheduler?.postTask) void scheduler.postTask(next, { priority: 'user-visible' }).catch(() => undefined);
  else setTimeout(next, 0);
}

/** A rendering that did not finish in its time, or was cancelled: the page is left unread, not waited on. */
export class RenderTimeout extends Error {
  constructor(page: number, ms: number) {
    super(`rendering page ${page} took over ${Math.round(ms)} ms`);
    this.name = 'RenderTimeout';
  }
}

/**
 * Renders `page` at `scale` onto a white background and returns its pixels. Rejects with
 * {@link RenderTimeout} when it has not finished within `timeoutMs` or `signal` aborts
 * (pdf.js's task is cancelled, its canvas released).
 */
export async function renderPdfPage(
  page: PDFPageProxy,
  scale: number,
  canvasFactory: CanvasFactoryLike,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<RgbaImage> {
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  const target = canvasFactory.create(width, height);
  const context = target.context;
  if (!context) {
    canvasFactory.destroy(target);
    throw new Error('no 2d canvas context');
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const task = page.render({
    canvasContext: context as CanvasRenderingContext2D,
    canvas: target.canvas as HTMLCanvasElement,
    viewport,
    intent: PDF_INTENT,
    background: '#ffffff',
  });
  let stopped = false;
  task.onContinue = (next: () => void) => inNewTask(() => (stopped ? undefined : next()));
  const stop = () => {
    if (stopped) return;
    stopped = true;
    task.cancel();
  };
  const onAbort = () => stop();
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => {
        stop();
        reject(new RenderTimeout(page.pageNumber, options.timeoutMs));
      }, options.timeoutMs);
      if (options.signal?.aborted) {
        stop();
        reject(new RenderTimeout(page.pageNumber, 0));
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      task.promise.then(resolve, (error: unknown) =>
        reject(stopped ? new RenderTimeout(page.pageNumber, options.timeoutMs) : error),
      );
    });
    const pixels = context.getImageData(0, 0, width, height);
    return { width, height, data: pixels.data };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    canvasFactory.destroy(target);
  }
}

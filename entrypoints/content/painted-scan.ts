/**
 * Finds documents the page paints rather than links: CSS `background-image` thumbnails of
 * attachment size, and letter-sized `<canvas>` elements. Looking at every element's computed
 * style is the costly part of a scan, so it runs in slices of a few milliseconds with the
 * page's thread given back between them, and stops for this scan when its budget is spent
 * (the next scan goes on where it stopped). On a page of 300 icons it costs a few slices.
 */
import {
  backgroundImageUrl,
  type DiscoveredDocument,
  isAttachmentSized,
  isLetterSizedCanvas,
} from '../../utils/extension/document-discovery.ts';
import { yieldToPage } from './yield.ts';

/** One slice of work on the page's thread. */
const SLICE_MS = 6;
/** All slices of one scan together. */
const SCAN_BUDGET_MS = 60;
/** Elements with more text than this are page sections, not thumbnails. */
const MAX_THUMB_TEXT = 40;

export interface Painted {
  backgrounds: DiscoveredDocument[];
  canvases: HTMLCanvasElement[];
}

function visible(el: Element): boolean {
  const check = (el as Element & { checkVisibility?: () => boolean }).checkVisibility;
  if (check) return check.call(el);
  return (el as HTMLElement).offsetParent !== null;
}

/** A resumable walk over one document's elements. */
export class PaintedScan {
  private cursor = 0;
  private elements: HTMLCollectionOf<Element>;

  constructor(private readonly doc: Document) {
    // A live collection: the walk sees elements added since it began, in document order.
    this.elements = doc.getElementsByTagName('*');
  }

  /** Starts over (after a route change in a single-page portal). */
  restart(): void {
    this.cursor = 0;
  }

  /** Looks at elements until done or the budget is spent; resolves with what it found. */
  async run(signal: AbortSignal): Promise<Painted> {
    const found: Painted = { backgrounds: [], canvases: [] };
    const start = performance.now();
    const view = this.doc.defaultView;
    if (!view) return found;
    let sliceStart = performance.now();
    while (this.cursor < this.elements.length && !signal.aborted) {
      const el = this.elements[this.cursor++] as Element;
      this.look(el, view, found);
      if (performance.now() - sliceStart > SLICE_MS) {
        if (performance.now() - start > SCAN_BUDGET_MS) break;
        await yieldToPage();
        sliceStart = performance.now();
      }
    }
    if (this.cursor >= this.elements.length) this.cursor = 0;
    return found;
  }

  private look(el: Element, view: Window, found: Painted): void {
    // By tag name, not instanceof: an about:blank frame's elements belong to its own window.
    if (el.tagName === 'CANVAS') {
      const canvas = el as HTMLCanvasElement;
      if (isLetterSizedCanvas(canvas.width, canvas.height) && visible(canvas)) found.canvases.push(canvas);
      return;
    }
    const box = el as HTMLElement;
    // offsetWidth first: it is cheap once laid out, and most elements fail it.
    if (box.offsetWidth === undefined || !isAttachmentSized(box.offsetWidth, box.offsetHeight)) return;
    if (el === this.doc.body || el === this.doc.documentElement) return;
    if (el.childElementCount > 3 || (el.textContent ?? '').trim().length > MAX_THUMB_TEXT) return;
    const url = backgroundImageUrl(view.getComputedStyle(el).backgroundImage, this.doc.baseURI);
    if (!url) return;
    const name = el.getAttribute('title')?.trim() || el.getAttribute('aria-label')?.trim() || nameOf(url);
    found.backgrounds.push({ url, name: name.slice(0, 200), source: 'img', element: el });
  }
}

function nameOf(url: string): string {
  if (url.startsWith('blob:') || url.startsWith('data:')) return 'image';
  try {
    const parts = new URL(url).pathname.split('/');
    return decodeURIComponent(parts[parts.length - 1] || 'image');
  } catch {
    return 'image';
  }
}

/**
 * The marker frame's size, asked for by the marker page and applied by the content script
 * that mounted it. The frame has to fit its verdict word whole ("没有授权二维码", "Letter
 * invalid", in large text too) and the user's security mark whole (up to 20 characters): a
 * fixed 230 px frame cut both (issue 11). Only the marker can measure them (the content
 * script does not know the verdict or the mark), so it posts the size it needs to its parent
 * window with the id the content script gave it in its URL, and the content script applies
 * it to that frame only, within bounds.
 *
 * The page sees the message too (it is posted into the page's window): it learns how wide the
 * marker is, which it could measure anyway, never the mark's picture or word. Widths are
 * rounded up to 8 px so the figure says little about the mark's length.
 */

/** `data.yanzhen` of the size message. */
export const MARKER_SIZE_MESSAGE = 'marker-size';

/** Bounds on what a marker may ask for: never so small the word is cut, never a page-wide overlay. */
export const MARKER_SIZE_BOUNDS = { minWidth: 120, maxWidth: 640, minHeight: 40, maxHeight: 72 } as const;

/** Heights of the marker in normal and large text. */
export const MARKER_HEIGHTS = { normal: 46, large: 56 } as const;

export interface MarkerSize {
  width: number;
  height: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * The message a marker posts for its measured content width and chosen height.
 *
 * @example markerSizeRequest(id, 213.4, 46) // { yanzhen: 'marker-size', id, width: 216, height: 46 }
 */
export function markerSizeRequest(id: string, contentWidth: number, height: number) {
  const b = MARKER_SIZE_BOUNDS;
  const width = clamp(Math.ceil(contentWidth / 8) * 8, b.minWidth, b.maxWidth);
  return { yanzhen: MARKER_SIZE_MESSAGE, id, width, height: clamp(Math.ceil(height), b.minHeight, b.maxHeight) };
}

/**
 * The size in a message, when it is one for the marker with this id (within bounds); null
 * for anything else.
 *
 * @example acceptedMarkerSize({ yanzhen: 'marker-size', id, width: 9000, height: 46 }, id) // { width: 640, height: 46 }
 */
export function acceptedMarkerSize(data: unknown, id: string): MarkerSize | null {
  const d = data as { yanzhen?: unknown; id?: unknown; width?: unknown; height?: unknown } | null;
  if (!d || typeof d !== 'object' || d.yanzhen !== MARKER_SIZE_MESSAGE || d.id !== id || id === '') return null;
  const { width, height } = d;
  if (typeof width !== 'number' || typeof height !== 'number' || !Number.isFinite(width) || !Number.isFinite(height))
    return null;
  const b = MARKER_SIZE_BOUNDS;
  return {
    width: clamp(Math.round(width), b.minWidth, b.maxWidth),
    height: clamp(Math.round(height), b.minHeight, b.maxHeight),
  };
}

import { describe, expect, it } from 'vitest';
import { acceptedMarkerSize, MARKER_SIZE_BOUNDS, markerSizeRequest } from '../../../utils/extension/marker-size.ts';

describe('marker frame size', () => {
  it.each([
    [213.4, 46, 216, 46],
    [217, 56, 224, 56],
    [30, 10, MARKER_SIZE_BOUNDS.minWidth, MARKER_SIZE_BOUNDS.minHeight],
    [5000, 500, MARKER_SIZE_BOUNDS.maxWidth, MARKER_SIZE_BOUNDS.maxHeight],
  ])('asks for %d x %d px of content as %d x %d (rounded up to 8 px, within bounds)', (w, h, width, height) => {
    expect(markerSizeRequest('a1', w, h)).toEqual({ yanzhen: 'marker-size', id: 'a1', width, height });
  });

  it('never rounds a measured width down (the word would be cut by a pixel)', () => {
    for (let w = 120; w < 640; w += 0.7) expect(markerSizeRequest('a1', w, 46).width).toBeGreaterThanOrEqual(w);
  });

  it.each([
    ['a size message', { yanzhen: 'marker-size', id: 'a1', width: 300, height: 46 }, { width: 300, height: 46 }],
    ['one past the bounds', { yanzhen: 'marker-size', id: 'a1', width: 9000, height: -3 }, { width: 640, height: 40 }],
    ['one for another marker', { yanzhen: 'marker-size', id: 'b2', width: 300, height: 46 }, null],
    ['one without an id', { yanzhen: 'marker-size', width: 300, height: 46 }, null],
    ['another message', { yanzhen: 'other', id: 'a1', width: 300, height: 46 }, null],
    ['a string', 'marker-size', null],
    ['no numbers', { yanzhen: 'marker-size', id: 'a1', width: '300px', height: 46 }, null],
    ['NaN', { yanzhen: 'marker-size', id: 'a1', width: Number.NaN, height: 46 }, null],
    ['null', null, null],
  ])('takes %s as %j', (_, data, expected) => {
    expect(acceptedMarkerSize(data, 'a1')).toEqual(expected);
  });
});

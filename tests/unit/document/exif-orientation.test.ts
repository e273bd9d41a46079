import { describe, expect, it } from 'vitest';
import { applyOrientation, exifOrientation } from '../../../utils/document/exif-orientation.ts';
import type { RgbaImage } from '../../../utils/document/image-types.ts';
import { blankImage, toJpeg } from '../../fixtures/documents/make-documents.ts';

/** A 3x2 image whose pixels are numbered 1..6 in the red byte, row by row: 1 2 3 / 4 5 6. */
const numbered: RgbaImage = {
  width: 3,
  height: 2,
  data: new Uint8ClampedArray([1, 2, 3, 4, 5, 6].flatMap((v) => [v, 0, 0, 255])),
};
const rows = (image: RgbaImage) =>
  Array.from({ length: image.height }, (_, y) =>
    Array.from({ length: image.width }, (_, x) => image.data[(y * image.width + x) * 4]),
  );

describe('exifOrientation', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('reads orientation %i from a JPEG APP1 Exif segment', (orientation) => {
    expect(exifOrientation(toJpeg(blankImage(8, 8), 80, orientation))).toBe(orientation);
  });

  it('reads 1 when the JPEG has no Exif segment', () => {
    expect(exifOrientation(toJpeg(blankImage(8, 8)))).toBe(1);
  });

  it('reads 1 from bytes that are not a JPEG', () => {
    expect(exifOrientation(new Uint8Array([1, 2, 3]))).toBe(1);
  });
});

describe('applyOrientation', () => {
  it.each([
    [
      1,
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ],
    [
      2,
      [
        [3, 2, 1],
        [6, 5, 4],
      ],
    ],
    [
      3,
      [
        [6, 5, 4],
        [3, 2, 1],
      ],
    ],
    [
      4,
      [
        [4, 5, 6],
        [1, 2, 3],
      ],
    ],
    [
      5,
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    ],
    [
      6,
      [
        [4, 1],
        [5, 2],
        [6, 3],
      ],
    ],
    [
      7,
      [
        [6, 3],
        [5, 2],
        [4, 1],
      ],
    ],
    [
      8,
      [
        [3, 6],
        [2, 5],
        [1, 4],
      ],
    ],
  ])('turns stored pixels for orientation %i into the picture as seen', (orientation, expected) => {
    expect(rows(applyOrientation(numbered, orientation))).toEqual(expected);
  });
});

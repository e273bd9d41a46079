// The extension's per-page pixel limit: a page over it is refused from its header, with the
// limit named in the message; one under it is read.
import { describe, expect, it } from 'vitest';
import { readDocument } from '../../../utils/document/read-document.ts';
import { EXTENSION_MAX_PIXELS_PER_PAGE, EXTENSION_READ_LIMITS } from '../../../utils/extension/reader-limits.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import { blankPng } from '../../fixtures/hostile/make-hostile.ts';

const platform = nodeReaderPlatform();

describe('the extension reader limits', () => {
  it('sets only the pixel limit, below the reader default', () => {
    expect(EXTENSION_READ_LIMITS.maxPixelsPerPage).toBe(24_000_000);
    expect(EXTENSION_MAX_PIXELS_PER_PAGE).toBeLessThan(40_000_000);
  });

  it.each([
    { name: 'refuses a 25 MP page, naming 24 MP', width: 5000, height: 5000, error: { megapixels: 25, max: 24 } },
    { name: 'reads a 1 MP page', width: 1000, height: 1000, error: null },
  ])('$name', async ({ width, height, error }) => {
    const result = await readDocument(blankPng(width, height), { platform, limits: EXTENSION_READ_LIMITS });
    if (error) {
      expect(result).toEqual({
        ok: false,
        error: { key: 'reader.error.tooManyPixels', params: { page: 1, ...error } },
      });
    } else {
      expect(result).toMatchObject({ ok: true, pages: 1, codes: [] });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { isNewPage } from '../../../utils/extension/page-change.ts';

const PAGE = 'https://yb.dengzhou.gov.cn/review.html';

describe('isNewPage', () => {
  it.each([
    ['a reload (loading, no url)', PAGE, { status: 'loading' }, true],
    ['a link to another page', PAGE, { status: 'loading', url: 'https://yb.dengzhou.gov.cn/upload.html' }, true],
    ['pushState to another path', PAGE, { status: 'loading', url: `${PAGE}?id=7` }, true],
    ['a first page in a tab with no record', null, { status: 'loading', url: PAGE }, true],
    ['a #fragment link on the same page', PAGE, { status: 'loading', url: `${PAGE}#n3` }, false],
    [
      'a fragment change on a page recorded with a fragment',
      `${PAGE}#a`,
      { status: 'loading', url: `${PAGE}#b` },
      false,
    ],
    ['the load finishing', PAGE, { status: 'complete' }, false],
    ['a title change', PAGE, {}, false],
  ] as const)('%s → %s', (_what, recorded, change, expected) => {
    expect(isNewPage(recorded, change)).toBe(expected);
  });
});

// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://portal.example.gov.cn/review/17", "settings": {"handleDisabledFileLoadingAsSuccess": true}}
import { describe, expect, it } from 'vitest';
import { findDocuments } from '../../../utils/extension/document-discovery.ts';

/** The test window's document (happy-dom resolves `img.currentSrc` against the window's URL). */
function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

describe('names of previews', () => {
  it.each([
    [
      'the download name of a link to the same file, before or after the preview',
      '<img src="/f/17.png" width="600" height="800"><a href="/f/17.png" download="授权书-王某.png">下载</a>',
      '授权书-王某.png',
    ],
    [
      'the download name when the link comes first',
      '<a href="/f/17.png" download="授权书-李某.png">下载</a><img src="/f/17.png" width="600" height="800">',
      '授权书-李某.png',
    ],
    ['the last part of the URL when no link names it', '<img src="/f/17.png" width="600" height="800">', '17.png'],
    [
      'the last part of the URL when the link has no download name',
      '<img src="/f/17.png" width="600" height="800"><a href="/f/17.png">原图</a>',
      '17.png',
    ],
  ])('uses %s', (_what, html, name) => {
    expect(findDocuments(page(html)).map((d) => [d.source, d.name])).toEqual([['img', name]]);
  });
});

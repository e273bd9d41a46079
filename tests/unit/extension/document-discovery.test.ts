// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://portal.example.gov.cn/review/17", "settings": {"handleDisabledFileLoadingAsSuccess": true}}
import { describe, expect, it } from 'vitest';
import {
  findDocuments,
  isDocumentFile,
  isSameOrigin,
  MIN_IMAGE_SIDE,
} from '../../../utils/extension/document-discovery.ts';

const BASE = 'https://portal.example.gov.cn/review/17';

/**
 * The test window's own document (at the portal URL, see the environment options above) with
 * the snippet as its body: happy-dom resolves `img.currentSrc` against the window's location.
 */
function page(html: string): Document {
  expect(document.baseURI).toBe(BASE);
  document.body.innerHTML = html;
  return document;
}

const found = (html: string) => findDocuments(page(html)).map((d) => [d.source, d.name, d.url]);

describe('findDocuments', () => {
  it.each([
    [
      'a large image preview',
      '<img src="/files/授权书-王某.png" width="800" height="1100">',
      [
        [
          'img',
          '授权书-王某.png',
          'https://portal.example.gov.cn/files/%E6%8E%88%E6%9D%83%E4%B9%A6-%E7%8E%8B%E6%9F%90.png',
        ],
      ],
    ],
    ['a tiny icon', '<img src="/icons/pdf.png" width="16" height="16">', []],
    [
      'an image just at the size limit',
      `<img src="/a.png" width="${MIN_IMAGE_SIDE}" height="${MIN_IMAGE_SIDE}">`,
      [['img', 'a.png', 'https://portal.example.gov.cn/a.png']],
    ],
    ['an image one pixel too narrow', `<img src="/a.png" width="${MIN_IMAGE_SIDE - 1}" height="900">`, []],
    ['an image of unknown size', '<img src="/a.png">', []],
    [
      'a decorative image (role=presentation)',
      '<img src="/banner.png" width="900" height="300" role="presentation">',
      [],
    ],
    ['an image hidden from screen readers', '<img src="/seal.png" width="300" height="300" aria-hidden="true">', []],
    ['an SVG picture', '<img src="/map.svg" width="900" height="600">', []],
    [
      'a link to a PDF, named by its download attribute',
      '<a href="/files/17.pdf" download="授权书.pdf">下载</a>',
      [['link', '授权书.pdf', 'https://portal.example.gov.cn/files/17.pdf']],
    ],
    [
      'a link to a PNG relative to the page',
      '<a href="att/2.png">附件二</a>',
      [['link', '2.png', 'https://portal.example.gov.cn/review/att/2.png']],
    ],
    [
      'a link without an extension but with type=application/pdf',
      '<a href="/download?id=9" type="application/pdf">授权书</a>',
      [['link', 'download', 'https://portal.example.gov.cn/download?id=9']],
    ],
    ['a link to an HTML page', '<a href="/review/18">下一份</a>', []],
    ['a javascript: link', '<a href="javascript:void(0)">授权书.pdf</a>', []],
    ['a mailto link', '<a href="mailto:a@b.cn?subject=x.pdf">mail</a>', []],
    [
      'a PDF in an <embed>',
      '<embed src="/files/a.pdf" type="application/pdf">',
      [['embed', 'a.pdf', 'https://portal.example.gov.cn/files/a.pdf']],
    ],
    [
      'a PDF in an <object> with no extension',
      '<object data="/view?doc=3" type="application/pdf"></object>',
      [['embed', 'view', 'https://portal.example.gov.cn/view?doc=3']],
    ],
    [
      'a PDF in an <iframe>',
      '<iframe src="https://files.example.cn/x/letter.pdf"></iframe>',
      [['embed', 'letter.pdf', 'https://files.example.cn/x/letter.pdf']],
    ],
    ['an <iframe> showing a web page', '<iframe src="/help.html"></iframe>', []],
    [
      'the same file linked twice, once with a #fragment',
      '<a href="/f/a.pdf">一</a><a href="/f/a.pdf#page=2">二</a>',
      [['link', 'a.pdf', 'https://portal.example.gov.cn/f/a.pdf']],
    ],
    [
      'a preview and a link to the same image (the preview wins: the marker goes beside it)',
      '<a href="/f/a.png">原图</a><img src="/f/a.png" width="600" height="800">',
      [['img', 'a.png', 'https://portal.example.gov.cn/f/a.png']],
    ],
  ])('%s', (_what, html, expected) => {
    expect(found(html)).toEqual(expected);
  });

  it('lists documents in page order', () => {
    const names = findDocuments(
      page(`
        <div><a href="/c.pdf">c</a></div>
        <img src="/a.png" width="400" height="400">
        <section><embed src="/b.pdf" type="application/pdf"></section>`),
    ).map((d) => d.name);
    expect(names).toEqual(['c.pdf', 'a.png', 'b.pdf']);
  });

  it('keeps the element each document was found at, for placing its marker', () => {
    const doc = page('<p><img id="prev" src="/a.png" width="400" height="400"></p>');
    expect(findDocuments(doc)[0]?.element).toBe(doc.getElementById('prev'));
  });

  it('cuts a very long link text name to 200 characters', () => {
    const [d] = findDocuments(page(`<a href="/get?id=1" download="${'长'.repeat(300)}.pdf">x</a>`));
    expect(d?.name.length).toBe(200);
  });

  it('finds nothing on a page with no documents', () => {
    expect(found('<h1>欢迎</h1><p>本页没有附件。</p><img src="/logo.png" width="48" height="48">')).toEqual([]);
  });
});

describe('isSameOrigin', () => {
  it.each([
    ['https://portal.example.gov.cn/a.png', true],
    ['https://files.example.gov.cn/a.png', false],
    ['http://portal.example.gov.cn/a.png', false],
    ['data:image/png;base64,AAAA', true],
    ['blob:https://portal.example.gov.cn/1234', true],
    ['not a url', false],
  ])('%s is same-origin with the portal: %s', (url, expected) => {
    expect(isSameOrigin(url, 'https://portal.example.gov.cn')).toBe(expected);
  });
});

describe('isDocumentFile', () => {
  it.each([
    [{ name: 'scan.pdf', type: 'application/pdf' }, true],
    [{ name: 'photo.jpg', type: 'image/jpeg' }, true],
    [{ name: 'IMG_0001.HEIC', type: '' }, false],
    [{ name: '授权书.PNG', type: '' }, true],
    [{ name: 'logo.svg', type: 'image/svg+xml' }, false],
    [{ name: 'notes.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }, false],
  ])('%j is worth checking: %s', (file, expected) => {
    expect(isDocumentFile(file)).toBe(expected);
  });
});

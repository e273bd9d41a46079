// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://portal.example.gov.cn/review/17", "settings": {"handleDisabledFileLoadingAsSuccess": true, "disableIframePageLoading": true}}
import { describe, expect, it } from 'vitest';
import {
  backgroundImageUrl,
  findDocuments,
  frameOrigins,
  isAttachmentSized,
  isLetterSizedCanvas,
  viewerFileOf,
} from '../../../utils/extension/document-discovery.ts';

const ORIGIN = 'https://portal.example.gov.cn';

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

const found = (html: string) =>
  findDocuments(page(html)).map((d) => [d.source, d.name, d.url.replace(ORIGIN, ''), d.probe ?? false]);

describe('links that look like attachments but say nothing of their type', () => {
  it.each([
    ['named 授权书', '<a href="/download?id=17">授权书</a>', [['link', '授权书', '/download?id=17', true]]],
    ['named 附件', '<a href="/file/get/88">附件1</a>', [['link', '附件1', '/file/get/88', true]]],
    ['named 介绍信', '<a href="/att?f=3">介绍信（扫描）</a>', [['link', '介绍信（扫描）', '/att?f=3', true]]],
    ['called 下载 in its title', '<a href="/dl/5" title="下载">⬇</a>', [['link', '⬇', '/dl/5', true]]],
    ['called 预览', '<a href="/show/5">预览</a>', [['link', '预览', '/show/5', true]]],
    [
      'in an Element-UI upload list, whatever its text',
      '<ul class="el-upload-list el-upload-list--text"><li class="el-upload-list__item"><a class="el-upload-list__item-name" href="/api/oss/9a7f">scan-0098</a></li></ul>',
      [['link', 'scan-0098', '/api/oss/9a7f', true]],
    ],
    [
      'with a download attribute but no extension',
      '<a href="/api/file/9" download>文件</a>',
      [['link', '文件', '/api/file/9', true]],
    ],
  ])('reads the response of a link %s', (_what, html, expected) => {
    expect(found(html)).toEqual(expected);
  });

  it.each([
    ['删除', '<a href="/attach/del?id=17">删除附件</a>'],
    ['退出', '<a href="/logout">退出登录</a>'],
    ['提交', '<a href="/apply/17?do=go">提交附件</a>'],
    ['logout in the URL', '<a href="/user/logout?next=/attach">附件</a>'],
    ['delete in the URL', '<a href="/attach/17/delete">附件</a>'],
    ['审核通过', '<ul class="attach-list"><li><a href="/flow/17/pass">审核通过</a></li></ul>'],
    ['an encoded 删除 in the URL', '<a href="/op?a=%E5%88%A0%E9%99%A4&f=1">附件</a>'],
  ])('never follows an action link (%s)', (_what, html) => {
    expect(found(html)).toEqual([]);
  });

  it.each([
    ['another origin', '<a href="https://other.example.cn/download?id=1">授权书</a>'],
    ['this very page', '<a href="/review/17">附件</a>'],
    ['this page with a fragment', '<a href="#files">附件</a>'],
    ['an HTML page', '<a href="/attach/list.html">附件列表</a>'],
    ['a Word file', '<a href="/files/授权书.docx">授权书</a>'],
    ['a link with ordinary words', '<a href="/review/18">下一份</a>'],
  ])('leaves alone a link to %s', (_what, html) => {
    expect(found(html)).toEqual([]);
  });

  it('probes an extensionless download frame but not an ordinary page frame', () => {
    expect(found('<iframe src="/preview?id=3"></iframe><iframe src="/help/index"></iframe>')).toEqual([
      ['embed', 'preview', '/preview?id=3', true],
    ]);
  });
});

describe('viewer pages', () => {
  it.each([
    ['https://a.cn/pdfjs/web/viewer.html?file=%2Ffiles%2Fx.pdf', 'https://a.cn/files/x.pdf'],
    ['https://a.cn/static/pdf/web/viewer.html?file=../../files/x.pdf', 'https://a.cn/static/files/x.pdf'],
    ['https://a.cn/viewer?file=/download%3Fid%3D17', 'https://a.cn/download?id=17'],
    ['https://a.cn/preview.html?url=https%3A%2F%2Fb.cn%2Fa.pdf', 'https://b.cn/a.pdf'],
    ['https://a.cn/page?file=/files/x.jpg', 'https://a.cn/files/x.jpg'],
    ['https://a.cn/page?file=/download?id=1', null],
    ['https://a.cn/pdfjs/web/viewer.html', null],
    ['https://a.cn/pdfjs/web/viewer.html?file=javascript:alert(1)', null],
  ])('%s shows %s', (viewer, file) => {
    expect(viewerFileOf(viewer)).toBe(file);
  });

  it('finds the file of a viewer in an iframe, and of a link to a viewer', () => {
    expect(
      found(
        '<iframe src="/pdfjs/web/viewer.html?file=/files/a.pdf"></iframe><a href="/viewer.html?file=%2Fdownload%3Fid%3D2">预览</a>',
      ),
    ).toEqual([
      ['embed', 'a.pdf', '/files/a.pdf', false],
      ['link', 'download', '/download?id=2', false],
    ]);
  });
});

describe('painted documents', () => {
  it.each([
    ['url("/t/17.jpg")', 'https://portal.example.gov.cn/t/17.jpg'],
    ["url('blob:https://portal.example.gov.cn/1-2')", 'blob:https://portal.example.gov.cn/1-2'],
    ['url(data:image/png;base64,AAAA)', 'data:image/png;base64,AAAA'],
    ['linear-gradient(red, blue), url("/t/2.png")', 'https://portal.example.gov.cn/t/2.png'],
    ['url("/icons/a.svg")', null],
    ['none', null],
    ['linear-gradient(red, blue)', null],
  ])('takes the picture of background-image %s', (css, url) => {
    expect(backgroundImageUrl(css, `${ORIGIN}/review/17`)).toBe(url);
  });

  it.each([
    [148, 148, true],
    [200, 280, true],
    [119, 300, false],
    [1200, 120, false],
    [1920, 1080, false],
  ])('reads a %ix%i background as an attachment: %s', (w, h, expected) => {
    expect(isAttachmentSized(w, h)).toBe(expected);
  });

  it.each([
    [760, 1000, true],
    [1000, 760, true],
    [595, 842, true],
    [800, 450, false],
    [400, 400, false],
    [200, 280, false],
  ])('reads a %ix%i canvas as a letter: %s', (w, h, expected) => {
    expect(isLetterSizedCanvas(w, h)).toBe(expected);
  });
});

describe('frameOrigins', () => {
  it('names the other origins the page frames, once each', () => {
    page(
      '<iframe src="https://files.example.cn/a"></iframe><iframe src="https://files.example.cn/b"></iframe><iframe src="/own"></iframe><iframe srcdoc="<p>x</p>"></iframe>',
    );
    expect(frameOrigins(document)).toEqual(['https://files.example.cn']);
  });
});

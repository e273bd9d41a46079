// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://portal.example.gov.cn/notices/list", "settings": {"handleDisabledFileLoadingAsSuccess": true, "disableIframePageLoading": true}}
import { describe, expect, it } from 'vitest';
import { findDocuments } from '../../../utils/extension/document-discovery.ts';
import { worthReading } from '../../../utils/extension/first-look-rules.ts';

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

const PLAIN = `<nav><a href="/review.html">授权备案审核</a><a href="/many.html">批量附件</a></nav>
<ul>${Array.from({ length: 30 }, (_, i) => `<li><a href="/notice/${i}.html">关于做好医保参保缴费工作的通知（第 ${i + 1} 号）</a></li>`).join('')}</ul>
<img src="/logo.png" width="48" height="48"><div style="background:#fff;height:300px"></div>`;

describe('the first look', () => {
  it('leaves a page of notices and page links alone', () => {
    expect(worthReading(page(PLAIN))).toBe(false);
  });

  it.each([
    ['a document-sized image', '<img src="/f/17.png" width="300" height="400">'],
    ['a lazy image with its declared size', '<img data-src="/f/17.png" src="/p.gif" width="380" height="500">'],
    ['a link to a PDF', '<a href="/f/17.pdf">材料</a>'],
    ['an extensionless link named 授权书', '<a href="/download?id=17">授权书</a>'],
    ['a link with a download attribute', '<a href="/get/1" download>文件</a>'],
    ['a link to a viewer', '<a href="/pdfjs/web/viewer.html?file=/x">查看</a>'],
    ['a link in an Element-UI upload list', '<ul class="el-upload-list"><li><a href="/oss/9">scan-9</a></li></ul>'],
    ['a canvas', '<canvas width="760" height="1000"></canvas>'],
    ['a file input', '<input type="file" hidden>'],
    ['a frame', '<iframe srcdoc="<p>x</p>"></iframe>'],
    ['an inline background picture', '<div style="background-image:url(/t/1.jpg)"></div>'],
  ])('wakes the full script for %s', (_what, html) => {
    expect(worthReading(page(PLAIN + html))).toBe(true);
  });

  it.each([
    '<a href="/f/17.pdf">材料</a>',
    '<a href="/download?id=17">授权书</a>',
    '<img src="/f/17.png" width="300" height="400">',
    '<ul class="el-upload-list"><li><a href="/oss/9">scan-9</a></li></ul>',
    '<iframe src="/pdfjs/web/viewer.html?file=/f/1.pdf"></iframe>',
  ])('never misses what the full rules find: %s', (html) => {
    const doc = page(PLAIN + html);
    expect(findDocuments(doc).length).toBeGreaterThan(0);
    expect(worthReading(doc)).toBe(true);
  });
});

// Demo pages that show one letter the way real portals do (Vue/Element-UI single-page
// portals and older frame-based government systems): blob: and data: previews, lazy images,
// files behind a session cookie, revoked blob: URLs, background-image thumbnails, letters
// drawn into a canvas, extensionless download endpoints, same- and cross-origin frames,
// frameset layouts, srcdoc frames, pdf.js-style viewers, download buttons. Each page lists
// what the extension must find on it (the browser test in tests/browser/portal-patterns
// checks every one). Every page also carries links that act (删除, 退出, 提交): the extension
// must never request them.
import type { DemoCase } from './demo-world.ts';

export interface PatternExpectation {
  /** The demo letter the page shows (its verdict and reasons are in the demo world). */
  case: DemoCase | 'bulk-0' | 'bulk-1';
  /** The card's name, when the pattern is about naming (Content-Disposition). */
  name?: string;
  source?: string;
}

export interface PatternPage {
  path: string;
  /** What a tester does on the page before the extension can see the letter. */
  action?: 'scroll' | 'upload' | 'drop' | 'route' | 'download';
  /** What the issue calls the pattern. */
  pattern: string;
  expected: PatternExpectation[];
  /** Origins of frames on the page the extension may not read (named in the popup); `{other}` is the other-origin server. */
  blockedFrames?: string[];
}

/** Links that act on the portal: present on every pattern page, and never to be requested. */
export const ACTION_PATHS = ['/attach/del', '/logout', '/apply/submit', '/attach/17/delete'];

const ELEMENT_STYLE = `
body{margin:0;font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;background:#f0f2f5;color:#303133}
.el-header{background:#304156;color:#fff;padding:12px 24px;font-size:18px}
.el-main{padding:20px 24px;background:#fff;margin:16px;border-radius:4px}
.el-image{display:inline-block;overflow:hidden;width:190px;height:250px;border:1px solid #dcdfe6}
.el-image__inner{width:100%;height:100%;object-fit:contain}
.el-upload-list{list-style:none;margin:0;padding:0}
.el-upload-list--picture-card .el-upload-list__item{display:inline-block;width:148px;height:148px;margin:0 8px 8px 0;border:1px solid #c0ccda;border-radius:6px;overflow:hidden;position:relative}
.el-upload-list__item-thumbnail{width:100%;height:100%;object-fit:cover}
.thumb-card{display:inline-block;width:180px;height:240px;background-size:cover;background-position:center;border:1px solid #ddd;margin:6px}
.icon{width:24px;height:24px;margin:2px}
.actions a{margin-right:12px;color:#f56c6c}`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

function actions(): string {
  return `<p class="actions"><a href="/attach/del?id=17">删除附件</a><a href="/logout">退出登录</a><a href="/apply/submit?id=17">提交</a><a href="/attach/17/delete">附件</a></p>`;
}

function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}（演示）</title><style>${ELEMENT_STYLE}</style></head>
<body><div class="el-header">邓州市医疗保障局 · 授权备案（演示）</div><div class="el-main"><h3>${title}</h3>${body}${actions()}</div>${script ? `<script>${script}</script>` : ''}</body></html>`;
}

/** The inner pages of frames, keyed by path. */
function framePages(otherOrigin: string): Record<string, string> {
  return {
    '/p/frames/attachment.html': page(
      '附件（框架内）',
      '<img src="/files/valid.png" width="380" height="500" alt="授权书">',
    ),
    '/p/frames/cross.html': page(
      '附件（其他网站框架）',
      '<img src="/files/fake-issuer.png" width="380" height="500" alt="授权书">',
    ),
    '/p/frames/menu.html': page(
      '菜单',
      '<ul><li><a href="/p/frames/content.html" target="main">授权备案</a></li></ul>',
    ),
    '/p/frames/content.html': page(
      '授权备案详情',
      '<table><tr><td>附件</td><td><img src="/files/valid.png" width="300" height="395"></td></tr></table>',
    ),
    '/p/frames/viewer-embed.html': page(
      '附件预览',
      '<embed src="/files/expired.pdf" type="application/pdf" width="600" height="800">',
    ),
    '/p/frames/other.html': `<!doctype html><html><body><p>来自 ${otherOrigin} 的附件</p><img src="/files/revoked.png" width="300" height="395"></body></html>`,
  };
}

/** A pdf.js-style viewer: reads its `file=` parameter and draws the page into a canvas (the drawing comes from /render/). */
export function viewerPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>PDF.js viewer</title>
<style>body{margin:0;background:#404040}#viewerContainer{padding:20px}.page{margin:0 auto;width:595px;box-shadow:0 0 8px #000}canvas{display:block;width:595px;height:783px}</style></head>
<body><div id="toolbarContainer" style="height:32px;background:#2a2a2e"></div><div id="viewerContainer"><div class="pdfViewer"><div class="page" data-page-number="1"></div></div></div>
<script>
const file = new URLSearchParams(location.search).get('file');
fetch(file).then((r) => r.arrayBuffer()).then(() => {
  const name = new URL(file, location.href).pathname.split('/').pop().replace(/\\.pdf$/, '');
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    canvas.getContext('2d').drawImage(img, 0, 0);
    document.querySelector('.page').append(canvas);
  };
  img.src = '/render/' + name + '.png';
});
</script></body></html>`;
}

/**
 * Every pattern page, with its HTML. `dataUrl` is the valid letter as a data: URL;
 * `crossOrigin` is the portal under another enabled origin (`http://localhost:<port>`),
 * `otherOrigin` an origin the extension is not enabled on.
 */
export function patternPages(options: { dataUrl: string; crossOrigin: string; otherOrigin: string }): {
  pages: PatternPage[];
  html: Map<string, string>;
} {
  const { dataUrl, crossOrigin, otherOrigin } = options;
  const html = new Map<string, string>();
  const pages: PatternPage[] = [];
  const add = (p: PatternPage, body: string) => {
    pages.push(p);
    html.set(new URL(p.path, 'http://x').pathname, body);
  };

  add(
    {
      path: '/p/blob-fetch.html',
      pattern: 'blob: image from an authenticated fetch (el-image)',
      expected: [{ case: 'valid' }],
    },
    page(
      '附件预览（el-image）',
      '<div class="el-image"><img class="el-image__inner" id="preview" alt="授权书"></div>',
      `fetch('/secure/valid.png', { credentials: 'include' }).then((r) => r.blob()).then((b) => { document.getElementById('preview').src = URL.createObjectURL(b); });`,
    ),
  );
  add(
    { path: '/p/data-url.html', pattern: 'data: image', expected: [{ case: 'valid' }] },
    page('附件（内嵌图片）', `<img src="${dataUrl}" width="380" height="500" alt="授权书">`),
  );
  add(
    {
      path: '/p/lazy.html',
      pattern: 'lazy data-src image after scrolling',
      action: 'scroll',
      expected: [{ case: 'valid' }],
    },
    page(
      '附件（滚动加载）',
      '<div style="height:2400px">请向下滚动查看附件</div><img class="lazy" data-src="/files/valid.png" src="/img/placeholder.gif" width="380" height="500" alt="授权书">',
      `const lazy = document.querySelector('img.lazy');
new IntersectionObserver((entries, obs) => { for (const e of entries) if (e.isIntersecting) { lazy.src = lazy.dataset.src; obs.disconnect(); } }).observe(lazy);`,
    ),
  );
  add(
    { path: '/p/cookie.html', pattern: 'a file behind a session cookie', expected: [{ case: 'valid' }] },
    page('附件（需登录）', '<img src="/secure/valid.png" width="380" height="500" alt="授权书">'),
  );
  add(
    {
      path: '/p/hidden-input.html',
      pattern: 'a hidden file input set programmatically',
      action: 'upload',
      expected: [{ case: 'fake-issuer', source: 'upload' }],
    },
    page(
      '上传授权书（隐藏文件框）',
      '<div class="el-upload el-upload--picture-card" onclick="document.getElementById(\'hidden-file\').click()">＋ 上传</div><input type="file" id="hidden-file" style="display:none" accept="image/*">',
    ),
  );
  add(
    { path: '/p/drop.html', pattern: 'a drop zone', action: 'drop', expected: [{ case: 'revoked', source: 'drop' }] },
    page(
      '拖拽上传',
      '<div id="zone" class="el-upload-dragger" style="width:360px;height:180px;border:1px dashed #409eff">将文件拖到此处</div>',
      `const z = document.getElementById('zone'); z.addEventListener('dragover', (e) => e.preventDefault()); z.addEventListener('drop', (e) => e.preventDefault());`,
    ),
  );
  add(
    { path: '/p/spa.html', pattern: 'a pushState route change', action: 'route', expected: [{ case: 'valid' }] },
    page(
      '单页应用',
      '<nav><a id="to-detail" href="/p/spa/detail/17">查看申请详情</a></nav><div id="app">申请列表</div>',
      `document.getElementById('to-detail').addEventListener('click', (e) => {
  e.preventDefault();
  history.pushState({}, '', '/p/spa/detail/17');
  document.getElementById('app').innerHTML = '<div class="el-image"><img class="el-image__inner" src="/files/valid.png" alt="授权书"></div>';
});`,
    ),
  );
  const icons = Array.from(
    { length: 300 },
    (_, i) => `<img class="icon" src="/img/icon-${i % 12}.png" width="24" height="24" alt="">`,
  ).join('');
  add(
    { path: '/p/icons.html', pattern: '2 letters among 300 icons', expected: [{ case: 'bulk-0' }, { case: 'bulk-1' }] },
    page(
      '附件与图标',
      `<div>${icons}</div><img src="/bulk/1.png" width="300" height="395"><img src="/bulk/2.png" width="300" height="395">`,
    ),
  );
  add(
    {
      path: '/p/revoked-blob.html',
      pattern: '<img> whose blob: URL is revoked after it loads',
      expected: [{ case: 'valid' }],
    },
    page(
      '附件预览（已释放的 blob）',
      '<div class="el-image"><img class="el-image__inner" id="preview" alt="授权书"></div>',
      `fetch('/secure/valid.png', { credentials: 'include' }).then((r) => r.blob()).then((b) => {
  const img = document.getElementById('preview');
  const url = URL.createObjectURL(b);
  img.onload = () => URL.revokeObjectURL(url);
  img.src = url;
});`,
    ),
  );
  add(
    { path: '/p/background.html', pattern: 'CSS background-image thumbnail', expected: [{ case: 'other-county' }] },
    page(
      '附件缩略图',
      `<div class="thumb-card" title="授权书（外县）" style="background-image:url('/files/other-county.png')"></div>`,
    ),
  );
  add(
    {
      path: '/p/canvas.html',
      pattern: 'an image drawn into a <canvas>',
      expected: [{ case: 'valid', source: 'canvas' }],
    },
    page(
      '附件（画布显示）',
      '<canvas id="letter" width="760" height="1000" style="width:380px;height:500px;border:1px solid #ccc"></canvas>',
      `const img = new Image(); img.onload = () => document.getElementById('letter').getContext('2d').drawImage(img, 0, 0); img.src = '/files/valid.png';`,
    ),
  );
  add(
    {
      path: '/p/download-link.html',
      pattern: '<a href="/download?id=17">授权书</a> served as application/pdf with filename*',
      expected: [{ case: 'scope', name: '授权书-开通支付账户.pdf' }],
    },
    page('附件下载', '<p>申请材料：<a href="/download?id=17">授权书</a></p>'),
  );
  add(
    { path: '/p/octet.html', pattern: 'a JPEG served as application/octet-stream', expected: [{ case: 'valid' }] },
    page('附件列表', '<ul class="attachment-list"><li><a href="/attachment/get?fid=88">扫描件 0088</a></li></ul>'),
  );
  add(
    { path: '/p/iframe-same.html', pattern: 'an image inside a same-origin <iframe>', expected: [{ case: 'valid' }] },
    page('附件（框架）', '<iframe src="/p/frames/attachment.html" width="520" height="640"></iframe>'),
  );
  add(
    {
      path: '/p/iframe-cross.html',
      pattern: 'an image inside a cross-origin <iframe>',
      expected: [{ case: 'fake-issuer' }],
      blockedFrames: ['{other}'],
    },
    page(
      '附件（其他网站框架）',
      `<iframe src="${crossOrigin}/p/frames/cross.html" width="520" height="640"></iframe><iframe src="${otherOrigin}/p/frames/other.html" width="420" height="520"></iframe>`,
    ),
  );
  add(
    {
      path: '/p/viewer-frame.html',
      pattern: 'a viewer.html?file= page drawing the PDF into a canvas',
      expected: [{ case: 'scope' }],
    },
    page(
      '附件预览（PDF）',
      '<iframe src="/pdfjs/web/viewer.html?file=%2Ffiles%2Fscope.pdf" width="700" height="900"></iframe>',
    ),
  );
  add(
    { path: '/p/frameset.html', pattern: 'a frameset layout', expected: [{ case: 'valid' }] },
    `<!doctype html><html><head><meta charset="utf-8"><title>业务系统（演示）</title></head><frameset cols="200,*"><frame src="/p/frames/menu.html" name="menu"><frame src="/p/frames/content.html" name="main"></frameset></html>`,
  );
  add(
    {
      path: '/p/srcdoc.html',
      pattern: 'srcdoc and about:blank frames',
      expected: [{ case: 'valid' }, { case: 'other-county' }],
    },
    page(
      '附件（内联框架）',
      `<iframe srcdoc="&lt;img src='/files/valid.png' width='300' height='395'&gt;" width="340" height="440"></iframe><div id="holder"></div>`,
      `const f = document.createElement('iframe'); f.width = 340; f.height = 440; document.getElementById('holder').append(f);
f.contentDocument.body.innerHTML = '<img src="/files/other-county.png" width="300" height="395">';`,
    ),
  );
  add(
    {
      path: '/p/download-button.html',
      pattern: 'a letter offered only as a download button',
      action: 'download',
      expected: [{ case: 'expired', source: 'download', name: '授权书-已过期.pdf' }],
    },
    page(
      '附件下载',
      `<button id="download" class="el-button el-button--primary" onclick="location.href='/download?id=21'">下载授权书</button>`,
    ),
  );
  add(
    {
      path: '/p/el-upload.html',
      pattern: 'an Element-UI el-upload picture-card list',
      expected: [{ case: 'valid' }, { case: 'revoked' }],
    },
    page(
      '已上传附件（el-upload）',
      `<ul class="el-upload-list el-upload-list--picture-card">
<li class="el-upload-list__item is-success"><img class="el-upload-list__item-thumbnail" src="/files/valid.png" alt=""><span class="el-upload-list__item-actions"><span class="el-upload-list__item-delete"><a href="/attach/del?id=3">删除</a></span></span></li>
</ul>
<ul class="el-upload-list el-upload-list--text"><li class="el-upload-list__item"><a class="el-upload-list__item-name" href="/oss/object/7f3a">scan-0007</a></li></ul>`,
    ),
  );
  add(
    { path: '/p/viewer-embed.html', pattern: 'a PDF <embed> inside a viewer frame', expected: [{ case: 'expired' }] },
    page('附件预览', '<iframe src="/p/frames/viewer-embed.html" width="700" height="900"></iframe>'),
  );
  add(
    {
      path: '/pdfjs/web/viewer.html?file=%2Ffiles%2Fscope.pdf',
      pattern: 'a pdf.js viewer page opened on its own',
      expected: [{ case: 'scope' }],
    },
    viewerPage(),
  );
  for (const [path, body] of Object.entries(framePages(otherOrigin))) html.set(path, body);
  // An index for people trying the demo (npm start): one link per pattern page.
  const items = pages.map((p) => `<li><a href="${p.path}">${escapeHtml(p.pattern)}</a></li>`).join('');
  html.set('/p/index.html', page('附件的各种显示方式', `<ol>${items}</ol>`));
  return { pages, html };
}

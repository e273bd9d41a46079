// The demo portal's pages: a county review page with applications and their attachments, a
// clinic upload page, a 40-attachment page (performance) and a page with no documents.
// Plain HTML in the style of a county government portal (Chinese UI).
import type { DemoLetter } from './demo-world.ts';

const STYLE = `
body{margin:0;font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;background:#f2f4f7;color:#222}
header{background:linear-gradient(#1d4f91,#163d72);color:#fff;padding:14px 32px;display:flex;align-items:center;gap:16px}
header .emblem{width:40px;height:40px;border-radius:50%;background:#c8102e;display:flex;align-items:center;justify-content:center;font-weight:700}
header h1{font-size:22px;margin:0}header p{margin:2px 0 0;font-size:13px;opacity:.85}
nav{background:#fff;border-bottom:3px solid #1d4f91;padding:0 32px}nav a{display:inline-block;padding:10px 16px;color:#1d4f91;text-decoration:none}
main{max-width:1200px;margin:20px auto;background:#fff;padding:20px 28px;border:1px solid #d9dee5}
h2{font-size:18px;border-left:4px solid #1d4f91;padding-left:10px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d9dee5;padding:8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#eef2f8}.thumb{width:160px;height:auto;border:1px solid #ccc;display:block}
.notice{background:#fff8e6;border:1px solid #f0c36d;padding:10px;font-size:14px}
footer{text-align:center;color:#777;font-size:12px;padding:20px}
form label{display:block;margin:12px 0 4px}button{background:#1d4f91;color:#fff;border:0;padding:8px 20px;font-size:15px}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title} - 邓州市医疗保障局业务平台（演示）</title><style>${STYLE}</style></head>
<body><header><div class="emblem">医</div><div><h1>邓州市医疗保障局 业务协同平台</h1><p>演示站点 · 所有单位、人员、授权书均为虚构</p></div></header>
<nav><a href="/review.html">授权备案审核</a><a href="/upload.html">卫生室材料上传</a><a href="/many.html">批量附件</a><a href="/plain.html">通知公告</a><a href="/p/index.html">附件样式</a></nav>
<main>${body}</main><footer>邓州市医疗保障局（演示） · 本站仅用于演示“验真”插件</footer></body></html>`;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** The attachment path of a demo letter. */
export function attachmentPath(letter: DemoLetter): string {
  return `/files/${letter.case}.${letter.format}`;
}

export function reviewPage(letters: DemoLetter[]): string {
  const rows = letters
    .map((l, i) => {
      const path = attachmentPath(l);
      const cell =
        l.format === 'png'
          ? `<img class="thumb" src="${path}" alt="${escapeHtml(l.fileName)}" width="160" height="210" data-case="${l.case}"><a href="${path}" download="${escapeHtml(l.fileName)}">${escapeHtml(l.fileName)}</a>`
          : `<a href="${path}" data-case="${l.case}" download="${escapeHtml(l.fileName)}">📄 ${escapeHtml(l.fileName)}</a>`;
      return `<tr><td>${i + 1}</td><td>${escapeHtml(l.applicant)}</td><td>${escapeHtml(l.title)}</td><td>${cell}</td><td>待审核</td></tr>`;
    })
    .join('\n');
  return layout(
    '授权备案审核',
    `<h2>入村服务授权备案 · 待审核</h2>
<p class="notice">近期有人冒充医保部门或支付公司进村“激活医保卡”“绑定银行卡”。请逐份核对授权书，核对编号与签发机关。</p>
<table><thead><tr><th>序号</th><th>申请单位 / 人员</th><th>事项</th><th>附件</th><th>状态</th></tr></thead><tbody>
${rows}
</tbody></table>`,
  );
}

export function uploadPage(): string {
  return layout(
    '卫生室材料上传',
    `<h2>村卫生室 · 上传来访人员授权书</h2>
<p>有人持授权书到卫生室开展“医保服务”时，请先拍照或扫描授权书上传，由县医保局核验。</p>
<p class="notice">装有“验真”插件时，选好文件后文件框旁会出现核验结果。本页不会因此拦下提交：请先看结果，再决定是否提交。</p>
<form id="upload-form" action="/upload-disabled" method="post" enctype="multipart/form-data" onsubmit="event.preventDefault();document.getElementById('result').textContent='已提交（演示站点不保存任何文件）';">
<label for="clinic">卫生室名称</label><input id="clinic" name="clinic" value="陶营镇某村卫生室" size="30">
<label for="letter">授权书照片或 PDF</label><input id="letter" name="letter" type="file" accept="image/*,application/pdf">
<p><button type="submit">提交</button></p><p id="result"></p></form>`,
  );
}

export function manyPage(count: number): string {
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<tr><td>${i + 1}</td><td>邓州市惠民医保服务中心</td><td><img class="thumb" src="/bulk/${i + 1}.png" width="160" height="210" alt="授权书 ${i + 1}"></td></tr>`,
  ).join('\n');
  return layout('批量附件', `<h2>批量备案附件（${count} 份）</h2><table><tbody>${items}</tbody></table>`);
}

export function plainPage(): string {
  return layout(
    '通知公告',
    `<h2>通知公告</h2><ul>${Array.from({ length: 30 }, (_, i) => `<li><a href="/plain.html#n${i}">关于做好 2026 年度城乡居民医保参保缴费工作的通知（第 ${i + 1} 号）</a></li>`).join('')}</ul>`,
  );
}

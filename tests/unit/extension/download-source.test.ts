import { describe, expect, it } from 'vitest';
import { downloadSource } from '../../../utils/extension/download-source.ts';

describe('downloadSource', () => {
  it.each([
    [
      'a PDF from a download endpoint',
      { url: 'https://a.cn/download?id=17', mime: 'application/pdf', filename: '/home/w/Downloads/授权书.pdf' },
      { origin: 'https://a.cn', url: 'https://a.cn/download?id=17', name: '授权书.pdf' },
    ],
    [
      'a JPEG sent as octet-stream, named by the URL',
      { url: 'https://a.cn/f/scan.jpg', mime: 'application/octet-stream' },
      { origin: 'https://a.cn', url: 'https://a.cn/f/scan.jpg', name: 'scan.jpg' },
    ],
    [
      'a redirect: the final URL is read',
      { url: 'https://a.cn/dl/1', finalUrl: 'https://a.cn/files/1.png', mime: 'image/png' },
      { origin: 'https://a.cn', url: 'https://a.cn/files/1.png', name: '1.png' },
    ],
    [
      'a blob: URL the page made: its creator is the site',
      { url: 'blob:https://a.cn/2b1f', mime: 'image/jpeg', filename: 'C:\\Users\\w\\Downloads\\介绍信.jpg' },
      { origin: 'https://a.cn', url: 'blob:https://a.cn/2b1f', name: '介绍信.jpg' },
    ],
    ['a data: URL', { url: 'data:application/pdf;base64,JVBER', referrer: 'https://a.cn/' }, null],
    ['a Word file', { url: 'https://a.cn/f/1.docx', filename: '授权书.docx' }, null],
    ['a ZIP by type', { url: 'https://a.cn/f/1', mime: 'application/zip' }, null],
    ['an HTML page saved', { url: 'https://a.cn/p', mime: 'text/html' }, null],
    ['a very large file', { url: 'https://a.cn/f/1.pdf', mime: 'application/pdf', totalBytes: 900e6 }, null],
    ['an ftp download', { url: 'ftp://a.cn/1.pdf' }, null],
  ])('%s', (_what, item, expected) => {
    expect(downloadSource(item)).toEqual(expected);
  });
});

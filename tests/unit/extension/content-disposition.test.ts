import { describe, expect, it } from 'vitest';
import { parseContentDisposition } from '../../../utils/extension/content-disposition.ts';

/** A header as `fetch` hands it over: each byte of the UTF-8 text as one character. */
const asBytes = (text: string) => String.fromCharCode(...new TextEncoder().encode(text));

describe('parseContentDisposition', () => {
  it.each([
    ['attachment; filename="a.pdf"', 'attachment', 'a.pdf'],
    ["attachment; filename*=UTF-8''%E6%8E%88%E6%9D%83%E4%B9%A6.pdf", 'attachment', '授权书.pdf'],
    [
      'attachment; filename="fallback.pdf"; filename*=utf-8\'zh-CN\'%E6%8E%88%E6%9D%83%E4%B9%A6.pdf',
      'attachment',
      '授权书.pdf',
    ],
    ['attachment; filename*=UTF-8\'\'%E6%8E%88.pdf; filename="fallback.pdf"', 'attachment', '授.pdf'],
    ['inline; filename=scan.jpg', 'inline', 'scan.jpg'],
    [`attachment; filename="${asBytes('授权书-王某.pdf')}"`, 'attachment', '授权书-王某.pdf'],
    ['attachment; filename="%E4%BB%8B%E7%BB%8D%E4%BF%A1.png"', 'attachment', '介绍信.png'],
    ['attachment; filename="a \\"quoted\\" name.pdf"', 'attachment', 'a "quoted" name.pdf'],
    ['attachment; filename="C:\\\\fakepath\\\\x.pdf"', 'attachment', 'x.pdf'],
    ['attachment; filename="../../etc/x.pdf"', 'attachment', 'x.pdf'],
    ['ATTACHMENT; FILENAME="A.PDF"', 'attachment', 'A.PDF'],
    ['attachment', 'attachment', null],
    ["attachment; filename*=GBK''%CA%DA.pdf", 'attachment', null],
    ['attachment; filename*=UTF-8\'\'%E6%8E; filename="b.pdf"', 'attachment', 'b.pdf'],
    ['attachment; filename="a;b.pdf"; size=3', 'attachment', 'a;b.pdf'],
  ])('%s → %s %s', (header, type, filename) => {
    expect(parseContentDisposition(header)).toEqual({ type, filename });
  });

  it('says nothing for a missing header', () => {
    expect(parseContentDisposition(null)).toEqual({ type: '', filename: null });
  });
});

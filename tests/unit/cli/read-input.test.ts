import { describe, expect, it } from 'vitest';
import { codeOfLine, planInput, readWithNodeReader, sniffInput } from '../../../scripts/cli/read-input.ts';

const bytes = (...parts: (string | number[])[]) => {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'string') for (const char of part) out.push(char.charCodeAt(0));
    else out.push(...part);
  }
  return new Uint8Array(out);
};
const utf8 = (text: string) => new TextEncoder().encode(text);
const padded = (head: Uint8Array, length = 64) => {
  const out = new Uint8Array(Math.max(length, head.length));
  out.set(head);
  return out;
};

describe('sniffInput', () => {
  it.each([
    ['png', padded(bytes('\x89PNG\r\n\x1a\n'))],
    ['jpeg', padded(bytes([0xff, 0xd8, 0xff, 0xe0]))],
    ['webp', padded(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '))],
    ['gif', padded(bytes('GIF89a'))],
    ['gif', padded(bytes('GIF87a'))],
    ['bmp', padded(bytes('BM', [0x36, 0x10, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]))],
    ['tiff', padded(bytes('II*\0'))],
    ['tiff', padded(bytes('MM\0*'))],
    ['pdf', utf8('%PDF-1.7\n')],
    ['pdf', utf8(`${'junk from a scanner '.repeat(20)}%PDF-1.4\n`)],
    ['text', utf8('AL1:eyJhbGciOiJFUzI1NiJ9.e30.sig\n')],
    ['text', utf8('附件：授权书验证码\n')],
    ['text', utf8('BMW 4S 店授权书\n')],
    ['text', new Uint8Array([0xff, 0xfe, 0x41, 0, 0x4c, 0, 0x31, 0, 0x3a, 0])],
    ['text', new Uint8Array(0)],
    ['binary', padded(bytes('PK', [3, 4]))],
    ['binary', new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70])],
  ] as const)('recognises %s by its bytes', (kind, data) => {
    expect(sniffInput(data)).toBe(kind);
  });

  it('does not take %PDF- after the first 1024 bytes as a PDF', () => {
    expect(sniffInput(utf8(`${'x'.repeat(1100)}%PDF-1.4`))).toBe('text');
  });
});

describe('codeOfLine', () => {
  it.each([
    ['AL1:a.b.c', 'AL1:a.b.c'],
    ['   AL1:d.e.f  ', 'AL1:d.e.f'],
    ['\tAL1:g.h.i\u3000', 'AL1:g.h.i'],
    ['al1:lowercase', null],
    ['https://example.com AL1:not-at-start', null],
    ['', null],
  ])('reads %j as %j', (line, code) => {
    expect(codeOfLine(line)).toBe(code);
  });
});

describe('planInput', () => {
  const random = new Uint8Array(512).map((_, i) => (i * 7919 + 13) % 256);
  it.each([
    ['an empty file, whatever its name', new Uint8Array(0), 'a.pdf', { error: { key: 'reader.error.empty' } }],
    ['an empty text file', new Uint8Array(0), 'a.txt', { error: { key: 'reader.error.empty' } }],
    ['random bytes named .pdf', random, 'scan.PDF', { error: { key: 'reader.error.damagedPdf' } }],
    ['an HTML page saved as .pdf', utf8('<html>登录</html>'), 'a.pdf', { error: { key: 'reader.error.damagedPdf' } }],
    ['random bytes named .jpg', random, 'photo.jpg', { error: { key: 'reader.error.damagedImage' } }],
    ['random bytes with another name', random, 'data.bin', { error: { key: 'cli.input.unsupported' } }],
    ['text', utf8('AL1:a.b.c\n'), 'codes.txt', { read: 'text' }],
    ['text without an extension', utf8('AL1:a.b.c\n'), 'codes', { read: 'text' }],
    ['a PDF named .jpg', utf8('%PDF-1.7\n'), 'scan.jpg', { read: 'pdf' }],
    ['a PNG named .pdf', padded(bytes('\x89PNG\r\n\x1a\n')), 'scan.pdf', { read: 'png' }],
  ] as const)('plans %s', (_, head, name, plan) => {
    expect(planInput(head, name)).toEqual(plan);
  });
});

describe('readWithNodeReader', () => {
  it.each([
    ['scan.png', padded(bytes('\x89PNG\r\n\x1a\n')), 'reader.error.damagedImage'],
    ['scan.jpg', utf8('%PDF-1.7\n'), 'reader.error.damagedPdf'],
    ['scan.tif', padded(bytes('II*\0')), 'reader.error.damagedImage'],
  ])('hands images and PDFs to the document reader, whose errors it passes on (%s: %s)', async (name, data, key) => {
    expect(await readWithNodeReader(data, { fileName: name })).toEqual({ ok: false, error: { key } });
  });
});

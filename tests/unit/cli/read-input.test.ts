import { describe, expect, it } from 'vitest';
import { codesFromText, pageUnit, readInput, sniffInput } from '../../../scripts/cli/read-input.ts';

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

describe('codesFromText', () => {
  it('finds one code a line, numbering lines from 1 and ignoring every other line', () => {
    const text = '说明\r\nAL1:a.b.c\n\n   AL1:d.e.f  \nal1:lowercase\nhttps://example.com AL1:not-at-start\rAL1:g.h.i';
    expect(codesFromText(text)).toEqual([
      { page: 2, text: 'AL1:a.b.c' },
      { page: 4, text: 'AL1:d.e.f' },
      { page: 7, text: 'AL1:g.h.i' },
    ]);
  });
});

describe('readInput', () => {
  it('reads a UTF-8 text file with a byte order mark', async () => {
    expect(await readInput('a.txt', utf8('\uFEFFAL1:a.b.c\n'))).toEqual({ codes: [{ page: 1, text: 'AL1:a.b.c' }] });
  });

  it('reads a UTF-16 text file (as old Windows Notepad saves it)', async () => {
    const text = '\uFEFF备注\r\nAL1:a.b.c\r\n';
    const data = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i += 1) {
      data[2 * i] = text.charCodeAt(i) & 0xff;
      data[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    expect(await readInput('a.txt', data)).toEqual({ codes: [{ page: 2, text: 'AL1:a.b.c' }] });
  });

  it('reads the ASCII code lines of a text file in a legacy Chinese encoding', async () => {
    const gbk = bytes([0xb1, 0xb8, 0xd7, 0xa2], '\nAL1:a.b.c\n'); // 备注 in GBK
    expect(await readInput('a.txt', gbk)).toEqual({ codes: [{ page: 2, text: 'AL1:a.b.c' }] });
  });

  it('gives no codes for a text file without AL1 lines (the document is then "none")', async () => {
    expect(await readInput('notes.txt', utf8('just notes\n'))).toEqual({ codes: [] });
  });

  it.each([
    ['scan.png', padded(bytes('\x89PNG\r\n\x1a\n')), 'reader.error.damagedImage'],
    ['scan.jpg', utf8('%PDF-1.7\n'), 'reader.error.damagedPdf'],
    ['scan.tif', padded(bytes('II*\0')), 'reader.error.damagedImage'],
  ])('hands images and PDFs to the document reader, whose errors it passes on (%s: %s)', async (name, data, key) => {
    expect(await readInput(name, data)).toEqual({ error: { key } });
  });

  it('refuses a binary file it does not know, whatever its name', async () => {
    expect(await readInput('letter.txt', padded(bytes('PK', [3, 4])))).toEqual({
      error: { key: 'cli.input.unsupported' },
    });
  });
});

describe('pageUnit', () => {
  it.each([
    ['line', utf8('AL1:a.b.c')],
    ['page', utf8('%PDF-1.7')],
    ['page', padded(bytes('\x89PNG\r\n\x1a\n'))],
  ] as const)('counts %ss', (unit, data) => {
    expect(pageUnit(data)).toBe(unit);
  });
});

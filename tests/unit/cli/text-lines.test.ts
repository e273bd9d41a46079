import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkDocument, MAX_CODES_PER_FILE } from '../../../scripts/cli/check-document.ts';
import { type TextLine, textLines } from '../../../scripts/cli/text-lines.ts';
import type { Verdict } from '../../../utils/verify/verdict.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yanzhen-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileCount = 0;
async function linesOf(content: string | Uint8Array, maxLineChars = 1 << 20): Promise<TextLine[]> {
  const path = join(dir, `f${fileCount++}.txt`);
  await writeFile(path, content);
  const handle = await open(path, 'r');
  try {
    const out: TextLine[] = [];
    for await (const line of textLines(handle, maxLineChars)) out.push(line);
    return out;
  } finally {
    await handle.close();
  }
}

const texts = (lines: TextLine[]) => lines.map((l) => l.text);
/** Where a 64 KiB chunk ends, to put line breaks across it. */
const CHUNK = 64 * 1024;

describe('textLines', () => {
  it.each([
    ['\\n', 'a\nb\nc', ['a', 'b', 'c']],
    ['\\r\\n', 'a\r\nb\r\n', ['a', 'b']],
    ['a lone \\r', 'a\rb', ['a', 'b']],
    ['blank lines', 'a\n\n\r\n\rb', ['a', '', '', '', 'b']],
    ['a UTF-8 byte order mark', '\uFEFFAL1:x', ['AL1:x']],
    ['an empty file', '', []],
    ['\\r\\n split across two chunks', `${'x'.repeat(CHUNK - 1)}\r\nb`, ['x'.repeat(CHUNK - 1), 'b']],
    ['\\r at a chunk end before another line', `${'x'.repeat(CHUNK - 1)}\rb`, ['x'.repeat(CHUNK - 1), 'b']],
    ['\\r\\r across a chunk end', `${'x'.repeat(CHUNK - 1)}\r\rb`, ['x'.repeat(CHUNK - 1), '', 'b']],
  ])('splits lines at %s', async (_, content, expected) => {
    expect(texts(await linesOf(content))).toEqual(expected);
  });

  it('numbers lines from 1', async () => {
    expect((await linesOf('a\r\nb\n\nc')).map((l) => l.number)).toEqual([1, 2, 3, 4]);
  });

  it('decodes a multi-byte character split across two chunks', async () => {
    const content = `${'x'.repeat(CHUNK - 1)}授权\n`;
    expect(texts(await linesOf(content))).toEqual([`${'x'.repeat(CHUNK - 1)}授权`]);
  });

  it('reads UTF-16 with a byte order mark', async () => {
    const text = '\uFEFF备注\r\nAL1:a.b.c\r\n';
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i += 1) {
      bytes[2 * i] = text.charCodeAt(i) & 0xff;
      bytes[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    expect(texts(await linesOf(bytes))).toEqual(['备注', 'AL1:a.b.c']);
  });

  it('keeps only the first maxLineChars of a long line, and says it was cut', async () => {
    const lines = await linesOf(`${'y'.repeat(3 * CHUNK)}\nshort\n`, 100);
    expect(lines).toEqual([
      { number: 1, text: 'y'.repeat(100), cut: true },
      { number: 2, text: 'short', cut: false },
    ]);
  });

  it.each([
    ['leading white space, never held', `${' '.repeat(3 * CHUNK)}\tAL1:x  `, 20, { text: 'AL1:x  ', cut: false }],
    [
      'a short code padded with spaces past the limit',
      `AL1:x${' '.repeat(3 * CHUNK)}`,
      20,
      { text: `AL1:x${' '.repeat(15)}`, cut: false },
    ],
    [
      'a code, spaces past the limit, then more text',
      `AL1:x${' '.repeat(3 * CHUNK)}junk`,
      20,
      { text: `AL1:x${' '.repeat(15)}`, cut: true },
    ],
    ['more text right at the limit', `${'a'.repeat(20)}b`, 20, { text: 'a'.repeat(20), cut: true }],
    ['exactly the limit', 'a'.repeat(20), 20, { text: 'a'.repeat(20), cut: false }],
  ])('keeps %s', async (_, content, max, line) => {
    expect(await linesOf(content, max)).toEqual([{ number: 1, ...line }]);
  });

  it('gives the same lines as splitting the whole text (less leading white space), for random text across chunk ends', async () => {
    const piece = fc.oneof(
      fc.constantFrom('\n', '\r', '\r\n', 'AL1:', '授', '😀'),
      fc.string({ maxLength: 20 }),
      fc.nat({ max: 3 * CHUNK }).map((n) => 'z'.repeat(n)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        const text = pieces.join('');
        const expected = text.split(/\r\n|\n|\r/).map((line) => line.trimStart());
        if (expected.at(-1) === '') expected.pop();
        expect(texts(await linesOf(text))).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});

describe('a hostile text file', () => {
  const neverValid = vi.fn(
    async (): Promise<Verdict> =>
      ({
        verdict: 'invalid',
        reasons: ['MALFORMED'],
        letter: null,
        facts: { clockSuspect: false },
      }) as unknown as Verdict,
  );

  it('ends a flood of short AL1 lines in one error, after reading only the start of the file', async () => {
    // 1.4 million lines, 8.4 MB: the shape of the red team's 8.3 million-line file, smaller.
    const path = join(dir, 'flood.txt');
    await writeFile(path, 'AL1:x\n'.repeat(1_400_000));
    neverValid.mockClear();
    const checked = await checkDocument({ path, display: 'flood.txt' }, neverValid);
    expect(checked.check).toEqual({
      codes: [],
      verdict: 'error',
      error: { key: 'cli.input.tooManyCodes', params: { max: MAX_CODES_PER_FILE } },
    });
    // Refused while counting: no code of it was verified.
    expect(neverValid).not.toHaveBeenCalled();
  });

  it.each([
    ['a code after 1 MB of spaces', `${' '.repeat(1 << 20)}AL1:a.b.c\n`, ['AL1:a.b.c']],
    ['a code followed by 1 MB of spaces', `AL1:a.b.c${' '.repeat(1 << 20)}\n`, ['AL1:a.b.c']],
    // The whole line trimmed is the code, 1 MB of spaces and "junk": over the size limit, never the code alone.
    ['a code, 1 MB of spaces, then junk', `AL1:a.b.c${' '.repeat(1 << 20)}junk\n`, ['over the limit']],
  ])('gives the core the line as a whole would read: %s', async (_, content, expected) => {
    const path = join(dir, 'padded.txt');
    await writeFile(path, content);
    const seen: string[] = [];
    await checkDocument({ path, display: 'padded.txt' }, async (text) => {
      seen.push(text.length > 4 + 4096 ? 'over the limit' : text);
      return neverValid();
    });
    expect(seen).toEqual(expected);
  });

  it('reads a 20 MB line without a break as one code over the size limit', async () => {
    const path = join(dir, 'one-line.txt');
    await writeFile(path, `AL1:${'a'.repeat(20 * 1024 * 1024)}`);
    const seen: number[] = [];
    const checked = await checkDocument({ path, display: 'one-line.txt' }, async (text) => {
      seen.push(text.length);
      return neverValid();
    });
    expect(checked.check.verdict).toBe('invalid');
    // The core got the line's kept start and one character for the rest: still over
    // MAX_TOKEN_LENGTH, so it says MALFORMED.
    expect(seen).toEqual([2 * (4 + 4096) + 1]);
  });
});

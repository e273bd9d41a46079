import { describe, expect, it } from 'vitest';
import { stderrStatus } from '../../../scripts/cli/stderr-status.ts';

type Step = ['progress' | 'line' | 'clear', string] | ['summary', string[]];

function written(options: { tty: boolean; quiet: boolean }, steps: Step[]): string {
  let out = '';
  const status = stderrStatus((text) => {
    out += text;
  }, options);
  for (const [kind, value] of steps) {
    if (kind === 'summary') status.summary(value);
    else if (kind === 'clear') status.clear();
    else status[kind](value);
  }
  return out;
}

const steps: Step[] = [
  ['progress', '正在检查 1/2：a.pdf'],
  ['progress', '正在检查 1/2：a.pdf 第 2/3 页'],
  ['line', '注意：使用本机缓存'],
  ['progress', '正在检查 2/2：b.pdf'],
  ['summary', ['共检查 2 个文件', '需要跟进的文件（1 个）：']],
];

describe('stderrStatus', () => {
  it.each([
    [
      'on a terminal: progress redrawn in place, erased before a note and the summary',
      { tty: true, quiet: false },
      '正在检查 1/2：a.pdf\r\x1b[K正在检查 1/2：a.pdf 第 2/3 页\r\x1b[K注意：使用本机缓存\n正在检查 2/2：b.pdf\r\x1b[K共检查 2 个文件\n需要跟进的文件（1 个）：\n',
    ],
    [
      'elsewhere: a line per step',
      { tty: false, quiet: false },
      '正在检查 1/2：a.pdf\n正在检查 1/2：a.pdf 第 2/3 页\n注意：使用本机缓存\n正在检查 2/2：b.pdf\n共检查 2 个文件\n需要跟进的文件（1 个）：\n',
    ],
    ['--quiet on a terminal: notes only', { tty: true, quiet: true }, '注意：使用本机缓存\n'],
    ['--quiet elsewhere: notes only', { tty: false, quiet: true }, '注意：使用本机缓存\n'],
  ])('writes %s', (_, options, expected) => {
    expect(written(options, steps)).toBe(expected);
  });

  it('erases a progress line only once, and only when one is shown', () => {
    expect(
      written({ tty: true, quiet: false }, [
        ['clear', ''],
        ['progress', 'p'],
        ['clear', ''],
        ['clear', ''],
      ]),
    ).toBe('p\r\x1b[K');
  });

  it('cuts a progress line to the terminal width, counting CJK as two columns', () => {
    let out = '';
    const status = stderrStatus(
      (text) => {
        out += text;
      },
      { tty: true, quiet: false, columns: 12 },
    );
    status.progress('正在检查 1/1：a-long-name.pdf');
    expect(out).toBe('正在检查 1…'); // 11 columns: one is left for the cursor
    status.line('a note is never cut, whatever its length');
    expect(out.endsWith('\r\x1b[Ka note is never cut, whatever its length\n')).toBe(true);
  });

  it('escapes a file name in progress so it cannot move the cursor or break the line', () => {
    expect(written({ tty: false, quiet: false }, [['progress', '正在检查 1/1：a\x1b[1A\x1b[2K\r\nb.pdf']])).toBe(
      '正在检查 1/1：a⟨U+001B⟩[1A⟨U+001B⟩[2K⟨U+000D⟩⟨U+000A⟩b.pdf\n',
    );
  });
});

import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkDocument, withUnreadCodes } from '../../../scripts/cli/check-document.ts';
import { type DocumentCheck, documentVerdict } from '../../../utils/check/document-check.ts';
import type { Verdict } from '../../../utils/verify/verdict.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yanzhen-check-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (name: string) => ({ path: join(dir, name), display: name });
const neverCalled = vi.fn(async (): Promise<Verdict> => {
  throw new Error('verify must not be called');
});

describe('checkDocument', () => {
  it('refuses a file over the size limit without verifying anything', async () => {
    await writeFile(join(dir, 'big.txt'), `AL1:${'a'.repeat(3 * 1024 * 1024)}`);
    const checked = await checkDocument(file('big.txt'), neverCalled, { limits: { maxBytes: 2 * 1024 * 1024 } });
    expect(checked.check).toEqual({
      codes: [],
      verdict: 'error',
      error: { key: 'cli.input.tooLarge', params: { size: 4, max: 2 } },
    });
    expect(neverCalled).not.toHaveBeenCalled();
  });

  it('refuses a folder given where a file was expected', async () => {
    await mkdir(join(dir, 'folder'));
    expect((await checkDocument(file('folder'), neverCalled)).check.error).toEqual({ key: 'cli.input.isFolder' });
  });

  it('refuses a named pipe without opening it (opening would block)', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect((await checkDocument(file('pipe'), neverCalled)).check.error).toEqual({ key: 'cli.input.notRegular' });
  });

  it("reports a folder the walk could not open with the walk's reason, as an error", async () => {
    await mkdir(join(dir, 'locked'));
    const problem = { key: 'cli.input.folderNoPermission' } as const;
    const checked = await checkDocument({ ...file('locked'), problem }, neverCalled);
    expect(checked.check).toMatchObject({ verdict: 'error', error: problem, codes: [] });
  });

  it('turns a failure of the core into an error the user can report, never a verdict', async () => {
    await writeFile(join(dir, 'a.txt'), 'AL1:a.b.c\n');
    const broken = vi.fn(async (): Promise<Verdict> => {
      throw new TypeError('cannot read properties of undefined');
    });
    const checked = await checkDocument(file('a.txt'), broken);
    expect(checked.check).toEqual({
      codes: [],
      verdict: 'error',
      error: { key: 'cli.input.internal', params: { detail: 'TypeError: cannot read properties of undefined' } },
    });
  });

  it('counts text file positions in lines and everything else in pages', async () => {
    await writeFile(join(dir, 'a.txt'), 'no codes\n');
    await writeFile(join(dir, 'b.pdf'), '%PDF-1.7\n');
    expect((await checkDocument(file('a.txt'), neverCalled)).unit).toBe('line');
    expect((await checkDocument(file('b.pdf'), neverCalled)).unit).toBe('page');
  });
});

describe('withUnreadCodes (cli.md: error "when a code was seen on it that could not be read")', () => {
  const code = (verdict: Verdict['verdict']) => ({ page: 1, verdict: { verdict } as Verdict });
  const unreadable = { key: 'reader.unreadableCode' } as const;
  it.each([
    ['a valid code beside an unread one is an error, the code kept', [code('valid')], 1, null, 'error'],
    ['an invalid code beside an unread one is an error too', [code('invalid')], 2, null, 'error'],
    ['a valid code with nothing unread stays valid', [code('valid')], 0, null, 'valid'],
    ['a valid code from a reader that cannot tell stays valid', [code('valid')], undefined, null, 'valid'],
    ['no code and an unread one keeps the reader error', [], 1, unreadable, 'error'],
  ] as const)('%s', (_, codes, unreadableRegions, error, verdict) => {
    const check: DocumentCheck = {
      codes: [...codes],
      verdict: error ? 'error' : documentVerdict([...codes], null),
      error,
      ...(unreadableRegions === undefined ? {} : { unreadableRegions }),
    };
    const shown = withUnreadCodes(check);
    expect(shown.verdict).toBe(verdict);
    expect(shown.codes).toEqual(codes);
    expect(shown.error).toEqual(verdict === 'error' ? (error ?? { key: 'cli.input.unreadableBesideCodes' }) : null);
  });
});

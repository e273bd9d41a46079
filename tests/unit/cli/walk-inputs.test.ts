import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { walkInputs } from '../../../scripts/cli/walk-inputs.ts';

// A folder named `locked` cannot be listed, as for a user without permission (the tests run
// as root in CI, where permissions never refuse).
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = ((path: string, options: unknown) =>
    basename(String(path)) === 'locked'
      ? Promise.reject(Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' }))
      : real.readdir(path, options as never)) as typeof real.readdir;
  return { ...real, readdir, default: { ...real, readdir } };
});

let dir: string;
const put = async (path: string, content: string | Uint8Array = 'AL1:x') => {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), content);
};
const displays = (files: { display: string }[]) => files.map((f) => f.display);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yanzhen-walk-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('walkInputs', () => {
  it('lists a folder recursively in sorted order, skipping hidden folders and node_modules', async () => {
    await put('in/b.txt');
    await put('in/a.pdf', '%PDF-1.7');
    await put('in/sub/c.PNG', '\x89PNG');
    await put('in/.git/config.txt');
    await put('in/node_modules/pkg/readme.txt');
    await put('in/Z.txt');
    const walked = await walkInputs(['in'], dir);
    expect(displays(walked.files)).toEqual(['in/Z.txt', 'in/a.pdf', 'in/b.txt', 'in/sub/c.PNG']);
    expect(walked.files[0]?.path).toBe(join(dir, 'in/Z.txt'));
  });

  // A forged attachment named with a leading dot was left out without a word: the batch
  // then read "all valid" with the forgery never looked at.
  it.each([
    ['a hidden PDF', 'in/.授权书.pdf', '%PDF-1.7', 'files'],
    ['a hidden text file of codes', 'in/sub/.codes.txt', 'AL1:x', 'files'],
    ['a hidden file that is not an attachment, counted', 'in/.notes.md', 'notes', 'skipped'],
    ['macOS metadata beside a copied scan, counted', 'in/._scan.pdf', '\x00\x05\x16\x07', 'skipped'],
    ['a PDF named like macOS metadata', 'in/._授权书.pdf', '%PDF-1.7', 'files'],
  ] as const)('lists %s', async (_, path, content, list) => {
    await put(path, content);
    const walked = await walkInputs(['in'], dir);
    expect(displays(walked[list])).toEqual([path]);
  });

  it('keeps inside folders only images, PDFs and text files, by extension or by content', async () => {
    await put('in/renamed-scan', '%PDF-1.4\n');
    await put('in/notes.md', 'AL1:x');
    await put('in/letter.docx', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]));
    const walked = await walkInputs(['in'], dir);
    expect(displays(walked.files)).toEqual(['in/renamed-scan']);
    expect(displays(walked.skipped)).toEqual(['in/letter.docx', 'in/notes.md']);
  });

  it('always checks a file named on the command line, and a name that does not exist', async () => {
    await put('letter.docx', new Uint8Array([0x50, 0x4b, 3, 4]));
    const walked = await walkInputs(['letter.docx', 'missing.pdf'], dir);
    expect(displays(walked.files)).toEqual(['letter.docx', 'missing.pdf']);
  });

  it('checks a file reached twice only once', async () => {
    await put('in/a.txt');
    const walked = await walkInputs(['in', 'in/a.txt', './in/a.txt'], dir);
    expect(displays(walked.files)).toEqual(['in/a.txt']);
  });

  it('follows a link to a file but not a link to a folder (no endless cycle)', async () => {
    await put('in/real.txt');
    await put('elsewhere/linked.txt');
    await symlink(join(dir, 'elsewhere/linked.txt'), join(dir, 'in/link.txt'));
    await symlink(join(dir, 'in'), join(dir, 'in/loop'));
    const walked = await walkInputs(['in'], dir);
    expect(displays(walked.files)).toEqual(['in/link.txt', 'in/real.txt']);
  });

  it('says so instead of losing them: a folder it cannot open, a link to nothing, a pipe named like a letter', async () => {
    await put('in/a.txt');
    await put('in/locked/hidden-from-us.pdf', '%PDF-1.7');
    await symlink(join(dir, 'gone.pdf'), join(dir, 'in/moved.pdf'));
    await symlink(join(dir, 'gone-notes'), join(dir, 'in/moved-notes'));
    expect(spawnSync('mkfifo', [join(dir, 'in/pipe.png'), join(dir, 'in/pipe-without-extension')]).status).toBe(0);
    const walked = await walkInputs(['in'], dir);
    expect(displays(walked.files)).toEqual(['in/a.txt', 'in/locked', 'in/moved-notes', 'in/moved.pdf', 'in/pipe.png']);
    expect(walked.files.find((f) => f.display === 'in/locked')?.problem).toEqual({
      key: 'cli.input.folderNoPermission',
    });
    expect(walked.files.filter((f) => f.problem)).toHaveLength(1);
    expect(displays(walked.skipped)).toEqual(['in/pipe-without-extension']);
  });
});

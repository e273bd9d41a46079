/**
 * The `yanzhen` launcher as npm runs it (package.json "bin"): a real Node process that
 * must start the TypeScript sources through tsx and keep stdout to the report alone.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmBannerInStdout } from '../../../scripts/cli/node-io.ts';

const run = promisify(execFile);
const BIN = 'scripts/cli/bin.mjs';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yanzhen-bin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the yanzhen bin', () => {
  it('is the package.json bin, and is a node script', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8'));
    expect(pkg.bin).toEqual({ yanzhen: BIN });
    expect((await readFile(BIN, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints the help on stdout from the TypeScript sources, and exits 0', async () => {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'verify', '--help'], {
      env: { ...process.env, LANG: 'C' },
    });
    expect(stdout.startsWith('用法：npx yanzhen verify')).toBe(true);
    expect(stderr).toBe('');
  });

  it('checks a file with --demo --jsonl: stdout is only JSON lines, the demo note on stderr', async () => {
    await writeFile(join(dir, 'codes.txt'), 'AL1:x\n');
    const child = run(process.execPath, [BIN, 'verify', '--demo', '--offline', '--jsonl', join(dir, 'codes.txt')], {
      env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), LANG: 'C' },
    });
    const failure = await child.then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1); // MALFORMED: not valid
    const lines = (failure?.stdout ?? '').trimEnd().split('\n');
    expect(lines.map((line) => Object.keys(JSON.parse(line)))).toEqual([
      ['file', 'verdict', 'error', 'codes'],
      ['summary'],
    ]);
    expect(failure?.stderr).toContain('演示模式');
  });
});

describe('npmBannerInStdout', () => {
  it.each([
    [{ npm_lifecycle_event: 'verify' }, false, true],
    [{ npm_lifecycle_event: 'verify', npm_config_loglevel: 'warn' }, false, true],
    [{ npm_lifecycle_event: 'verify', npm_config_loglevel: 'silent' }, false, false],
    [{ npm_lifecycle_event: 'verify' }, true, false],
    [{ npm_lifecycle_event: 'npx' }, false, false],
    [{}, false, false],
  ])('with %j and a terminal on stdout: %s, says %s', (env, tty, expected) => {
    expect(npmBannerInStdout(env, tty)).toBe(expected);
  });
});

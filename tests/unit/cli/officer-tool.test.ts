/**
 * The CLI as a county officer uses it on a folder (issue 11, cli.md): results streamed in
 * input order, --jsonl, a closing summary with the files needing follow-up and repeated
 * letter numbers, --demo, errors that name the cause, and output no letter or file name
 * can spoof (issue 9).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runYanzhen } from '../../../scripts/cli/commands.ts';
import { buildDemoWorld } from '../../../scripts/demo/demo-world.ts';
import { DAY, issue, NOW } from '../../support/fixtures.ts';
import { type Workspace, workspace } from './support.ts';

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.cleanup();
});

const expired = { iat: NOW - 60 * DAY, nbf: NOW - 60 * DAY, exp: NOW - 2 * DAY };
const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/** Terminal control: ESC, CSI (C1), CR, and the bidi override. */
const CONTROL = new RegExp(`[${['\u001B', '\u009B', '\r', '\u202E'].join('')}]`);

describe('streamed output', () => {
  it('writes each document as soon as it is judged, in input order, folders sorted', async () => {
    await ws.write('batch/b.txt', await issue(ws.world.issuerKey, { jti: 'B-1' }));
    await ws.write('batch/a.txt', await issue(ws.world.issuerKey, { jti: 'A-1' }));
    await ws.write('batch/sub/c.txt', 'no code here\n');
    await ws.write('z-first.txt', await issue(ws.world.issuerKey, { ...expired, jti: 'Z-1' }));
    const order: string[] = [];
    const run = await ws.run(['--jsonl', 'z-first.txt', 'batch'], {
      onWrite: (stream, text) => {
        if (stream === 'stdout') order.push(JSON.parse(text).file ?? 'summary');
        else order.push(`progress ${text.trim()}`);
      },
    });
    expect(run.code).toBe(1);
    expect(order.slice(0, 8)).toEqual([
      'progress 正在检查 1/4：z-first.txt',
      'z-first.txt',
      'progress 正在检查 2/4：batch/a.txt',
      'batch/a.txt',
      'progress 正在检查 3/4：batch/b.txt',
      'batch/b.txt',
      'progress 正在检查 4/4：batch/sub/c.txt',
      'batch/sub/c.txt',
    ]);
    expect(order[8]).toBe('summary');
  });

  it('gives --jsonl one document per line in the --json shape, then one summary line', async () => {
    const letter = await issue(ws.world.issuerKey);
    await ws.write('a.txt', letter);
    await ws.write('copy.txt', `note\n${letter}\n`);
    await ws.write('old.txt', await issue(ws.world.issuerKey, { ...expired, jti: 'DZ-2025-0099' }));
    await ws.write('empty.txt', '');
    const jsonl = await ws.run(['--jsonl', 'a.txt', 'copy.txt', 'old.txt', 'empty.txt']);
    const json = await ws.run(['--json', 'a.txt', 'copy.txt', 'old.txt', 'empty.txt']);
    const rows = lines(jsonl.stdout).map((line) => JSON.parse(line));
    expect(rows).toHaveLength(5);
    expect(rows.slice(0, 4)).toEqual(JSON.parse(json.stdout).documents);
    expect(rows[4]).toEqual({
      summary: {
        registry: { iss: 'cn-hsa-henan-root', version: 42, stale: false },
        documents: 4,
        verdicts: { valid: 2, warning: 0, invalid: 1, none: 0, error: 1 },
        follow_up: [
          { file: 'old.txt', verdict: 'invalid', error: null },
          { file: 'empty.txt', verdict: 'error', error: '文件是空的（0 字节），里面没有可读的内容。' },
        ],
        repeated_jti: [
          {
            jti: 'DZ-2026-0017',
            iss: 'cn-hsa-411381',
            seen: [
              { file: 'a.txt', page: 1 },
              { file: 'copy.txt', page: 2 },
            ],
          },
        ],
        skipped: 0,
      },
    });
    expect(jsonl.code).toBe(1);
  });
});

describe('the closing summary on stderr', () => {
  it('counts verdicts, lists the files needing follow-up and the letter numbers seen more than once', async () => {
    const letter = await issue(ws.world.issuerKey);
    await ws.write('letters/1-ok.txt', letter);
    await ws.write('letters/2-same.txt', letter);
    await ws.write('letters/3-old.txt', await issue(ws.world.issuerKey, { ...expired, jti: 'DZ-2025-0099' }));
    await ws.write('letters/4-notes.txt', '没有验证码\n');
    await ws.write('letters/5-empty.txt', '');
    const run = await ws.run(['letters']);
    const summary = run.stderr.slice(run.stderr.indexOf('共检查'));
    expect(summary).toBe(
      [
        '共检查 5 个文件：有效 2，需核实 0，无效 1，没有授权二维码 1，无法读取 1。',
        '需要跟进的文件（3 个）：',
        '  无效            letters/3-old.txt',
        '  没有授权二维码  letters/4-notes.txt',
        '  无法读取        letters/5-empty.txt：文件是空的（0 字节），里面没有可读的内容。',
        '重复出现的授权书编号（1 个）：',
        '  编号 DZ-2026-0017（签发机关代码 cn-hsa-411381）出现 2 次：letters/1-ok.txt 第 1 行；letters/2-same.txt 第 1 行',
        '',
      ].join('\n'),
    );
  });

  it('says the same in English', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey, expired));
    const run = await ws.run(['--lang', 'en', 'a.txt']);
    expect(run.stderr).toContain('Files that need follow-up (1):');
  });
});

describe('the table detail rows', () => {
  it('puts the number to call, from the registry, before the reasons of a letter that is not valid', async () => {
    await ws.write('old.txt', await issue(ws.world.issuerKey, expired));
    await ws.write('ok.txt', await issue(ws.world.issuerKey));
    const run = await ws.run(['old.txt', 'ok.txt']);
    const rows = run.stdout.split('\n');
    const call = rows.indexOf(
      '                  · 办理前请打电话向邓州市医疗保障局核实：0377-62000000（号码来自签发机关名单）',
    );
    expect(call).toBeGreaterThan(rows.indexOf('无效            old.txt'));
    // Then what it does NOT authorize, then the reasons: the card's order.
    expect(rows[call + 1]).toMatch(/^ {18}· 不授权：.+（来人要求做这些事，请拒绝并报告）$/);
    expect(rows[call + 2]).toMatch(/· 此授权书已过期/);
    expect(rows.filter((row) => row.includes('· 不授权：'))).toHaveLength(2);
    // A valid letter needs no call.
    expect(rows.filter((row) => row.includes('办理前请打电话'))).toHaveLength(1);
  });

  it('hints when the organization name mixes scripts that hide lookalikes', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey, { sub_name: '邓州市陶营镇卫生院сервис' }));
    await ws.write('b.txt', await issue(ws.world.issuerKey, { sub_name: 'TCL邓州市陶营镇卫生院', jti: 'DZ-2' }));
    const run = await ws.run(['a.txt', 'b.txt']);
    expect(run.stdout.match(/注意：单位名称里混有不同文字的字母/g)).toHaveLength(1);
    const rows = run.stdout.split('\n');
    expect(rows[rows.findIndex((row) => row.includes('сервис')) + 1]).toMatch(/注意：单位名称里混有不同文字的字母/);
  });
});

describe('errors that name the cause', () => {
  it.each([
    ['a 0-byte file', 'empty.txt', new Uint8Array(0), '文件是空的（0 字节），里面没有可读的内容。'],
    ['a 0-byte PDF', 'empty.pdf', new Uint8Array(0), '文件是空的（0 字节），里面没有可读的内容。'],
    [
      'random bytes named .pdf',
      'scan.pdf',
      new Uint8Array(4096).map((_, i) => (i * 131 + 7) % 256),
      'PDF 文件已损坏或不完整，无法打开。请向对方重新索要文件。',
    ],
    [
      'random bytes named .jpg',
      'photo.jpg',
      new Uint8Array(4096).map((_, i) => (i * 131 + 7) % 256),
      '图片文件已损坏或不完整，无法打开。请重新扫描或向对方重新索要文件。',
    ],
  ])('reports %s as an error with its cause, not as "no code"', async (_, name, content, error) => {
    await ws.write(name, content);
    const run = await ws.run(['--json', name]);
    expect(JSON.parse(run.stdout).documents).toEqual([{ file: name, verdict: 'error', error, codes: [] }]);
    const table = await ws.run([name]);
    expect(table.stdout).toContain(`无法读取        ${name}`);
    expect(table.stdout).toContain(error);
  });

  it('ends a text file holding more codes than the cap in one error, and goes on with the batch', async () => {
    await ws.write('flood.txt', 'AL1:x\n'.repeat(51));
    await ws.write('fine.txt', await issue(ws.world.issuerKey));
    const run = await ws.run(['--json', 'flood.txt', 'fine.txt'], { limits: { maxCodes: 50 } });
    expect(
      JSON.parse(run.stdout).documents.map((d: { verdict: string; error: string | null }) => [d.verdict, d.error]),
    ).toEqual([
      ['error', '这个文本文件里以“AL1:”开头的行超过了 50 个的上限，没有检查。请把它分成几个较小的文件再检查。'],
      ['valid', null],
    ]);
  });

  it.each([
    ['after 1 MB of spaces', (code: string) => `${' '.repeat(1 << 20)}${code}\n`, 'valid', []],
    ['followed by 1 MB of spaces', (code: string) => `${code}${' '.repeat(1 << 20)}\n`, 'valid', []],
    [
      'followed by 1 MB of spaces and junk',
      (code: string) => `${code}${' '.repeat(1 << 20)}junk\n`,
      'invalid',
      ['MALFORMED'],
    ],
  ])('reads a genuine code %s as the whole line reads', async (_, line, verdict, reasons) => {
    await ws.write('padded.txt', line(await issue(ws.world.issuerKey)));
    const [doc] = JSON.parse((await ws.run(['--json', 'padded.txt'])).stdout).documents;
    expect(doc.codes.map((c: { verdict: string; reasons: string[] }) => [c.verdict, c.reasons])).toEqual([
      [verdict, reasons],
    ]);
  });

  it('checks a text file holding exactly the cap', async () => {
    await ws.write('full.txt', 'AL1:x\n'.repeat(50));
    const run = await ws.run(['--json', 'full.txt'], { limits: { maxCodes: 50 } });
    const [doc] = JSON.parse(run.stdout).documents;
    expect(doc.codes).toHaveLength(50);
    expect(doc.codes[49]).toMatchObject({ page: 50, reasons: ['MALFORMED'] });
  });
});

describe('output no letter or file name can spoof', () => {
  const forged = '\u001B[1A\u001B[2K有效            真的.pdf\r\n\u202E\u009B2K';

  it('escapes a forged sub_name, jti and file name in the table: stdout bytes hold no control character', async () => {
    const name = `evil\u001B[1A\u001B[2K\n有效 x.txt`;
    await ws.write(name, await issue(ws.world.attackerKey, { sub_name: `诊所${forged}`, jti: `J${forged}` }));
    const run = await ws.run([name]);
    const bytes = Buffer.from(run.stdout, 'utf8');
    expect(bytes.includes(0x1b)).toBe(false); // ESC
    expect(bytes.includes(0x0d)).toBe(false); // CR
    expect(bytes.includes(Buffer.from('\u009B', 'utf8'))).toBe(false); // CSI as UTF-8
    expect(bytes.includes(Buffer.from('\u202E', 'utf8'))).toBe(false); // RLO as UTF-8
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout).toContain('无效            evil⟨U+001B⟩[1A⟨U+001B⟩[2K⟨U+000A⟩有效 x.txt\n');
    const shown = '⟨U+001B⟩[1A⟨U+001B⟩[2K有效            真的.pdf⟨U+000D⟩⟨U+000A⟩⟨U+202E⟩⟨U+009B⟩2K';
    expect(run.stdout).toContain(`第 1 行  无效  编号 J${shown}  邓州市医疗保障局  诊所${shown}  （ES256 签名）\n`);
    // Each row is one line: the forged text never starts a row of its own.
    for (const line of run.stdout.split('\n')) expect(line.startsWith('有效')).toBe(false);
    expect(run.stderr).not.toMatch(CONTROL);
  });

  it('keeps the JSON exact but writes the control characters as \\u escapes', async () => {
    const name = `evil\u001B[2K.txt`;
    await ws.write(name, await issue(ws.world.attackerKey, { sub_name: `诊所${forged}`, jti: `J${forged}` }));
    for (const mode of ['--json', '--jsonl']) {
      const run = await ws.run([mode, name]);
      expect(run.stdout).not.toMatch(CONTROL);
      expect(run.stdout).not.toContain('\u2028');
      const doc = mode === '--json' ? JSON.parse(run.stdout).documents[0] : JSON.parse(lines(run.stdout)[0] ?? '');
      expect(doc.file).toBe(name);
      expect(doc.codes[0].reasons).toEqual(['KEY_UNKNOWN']);
      expect(doc.codes[0].letter.sub_name).toBe(`诊所${forged}`);
      expect(doc.codes[0].letter.jti).toBe(`J${forged}`);
      expect(run.stdout).toContain('\\u202e\\u009b2K');
    }
  });
});

describe('--demo', () => {
  it('checks a demo letter against the bundled demo registry, says so on stderr, and keeps its own cache', async () => {
    const world = await buildDemoWorld('http://127.0.0.1:47311', NOW);
    const valid = world.letters.find((l) => l.case === 'valid')?.text ?? '';
    const fake = world.letters.find((l) => l.case === 'fake-issuer')?.text ?? '';
    await ws.write('demo.txt', `${valid}\n${fake}\n`);
    const run = await ws.run(['--demo', '--offline', '--json', 'demo.txt'], { bare: true });
    expect(run.stderr).toContain('演示模式');
    expect(run.stderr).toContain('不代表真实授权书');
    const report = JSON.parse(run.stdout);
    expect(report.registry.iss).toBe('cn-hsa-henan-demo-root');
    // Offline, the demo status list is not cached: the genuine demo letter is a warning, never
    // valid unchecked; the letter of the unregistered "payment" issuer is invalid.
    expect(report.documents[0].codes.map((c: { reasons: string[] }) => c.reasons)).toEqual([
      ['STATUS_UNKNOWN'],
      ['ISSUER_UNKNOWN'],
    ]);
    const table = await ws.run(['--demo', '--offline', 'demo.txt'], { bare: true });
    expect(table.stdout.split('\n')[0]).toBe('演示模式：以下结果来自演示签发机关名单，不代表真实授权书。');
  });

  it('never lets the demo root sign for a real run: without --demo the demo letter has no registered issuer', async () => {
    const world = await buildDemoWorld('http://127.0.0.1:47311', NOW);
    await ws.write('demo.txt', world.letters.find((l) => l.case === 'valid')?.text ?? '');
    await ws.run(['--demo', '--offline', 'demo.txt'], { bare: true });
    const real = await ws.run(['--json', '--offline', 'demo.txt']);
    expect(JSON.parse(real.stdout).registry.iss).toBe('cn-hsa-henan-root');
    expect(JSON.parse(real.stdout).documents[0].verdict).toBe('invalid');
  });
});

describe('the yanzhen command', () => {
  const io = (out: string[], err: string[]) => ({
    stdout: (text: string) => out.push(text),
    stderr: (text: string) => err.push(text),
    stderrIsTTY: false,
    env: { ...ws.env },
    cwd: ws.dir,
    fetch: ws.fetch,
    now: () => new Date(NOW * 1000),
  });

  it('runs verify with the words after it', async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await runYanzhen(['verify', '--help'], io(out, err))).toBe(0);
    expect(out.join('')).toContain('npx yanzhen verify [选项]');
    expect(err).toEqual([]);
  });

  it.each([[[]], [['check', 'a.pdf']], [['a.pdf']]])('exits 2 with the usage for %j', async (argv) => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await runYanzhen(argv, io(out, err))).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('')).toContain('用法：npx yanzhen verify');
    expect(err.join('').endsWith('\n')).toBe(true);
  });
});

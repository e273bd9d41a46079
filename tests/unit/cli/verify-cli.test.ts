import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signRegistry } from '../../../scripts/issuer/lib/index.ts';
import { qrImage, scannedPdf } from '../../fixtures/documents/make-documents.ts';
import { at, DAY, issue, NOW, REMOTE_ISSUER, URLS } from '../../support/fixtures.ts';
import { type Workspace, workspace } from './support.ts';

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.cleanup();
});

const json = (stdout: string) => JSON.parse(stdout);
const revoked = { status: { status_list: { idx: 3, uri: URLS.status1 } } };
const expired = { iat: NOW - 60 * DAY, nbf: NOW - 60 * DAY, exp: NOW - 2 * DAY };

describe('npm run verify: exit status and the JSON report', () => {
  it('exits 0 and reports the exact cli.md shape when every document holds only valid codes', async () => {
    const letter = await issue(ws.world.issuerKey);
    await ws.write('letters/a.txt', `附件一的验证码：\n\n${letter}\n`);
    const run = await ws.run(['--json', 'letters/a.txt']);
    expect(run.code).toBe(0);
    expect(json(run.stdout)).toEqual({
      registry: { iss: 'cn-hsa-henan-root', version: 42, stale: false },
      documents: [
        {
          file: 'letters/a.txt',
          verdict: 'valid',
          error: null,
          codes: [
            {
              page: 3,
              verdict: 'valid',
              reasons: [],
              letter: {
                iss: 'cn-hsa-411381',
                issuer_name: '邓州市医疗保障局',
                sub: '91350100M000100Y43',
                sub_name: '邓州市陶营镇卫生院',
                scope: ['ehi.voucher.assist'],
                region: ['411381121'],
                nbf: NOW - DAY,
                exp: NOW + 30 * DAY,
                jti: 'DZ-2026-0017',
              },
            },
          ],
        },
      ],
    });
  });

  it('exits 1 and gives each document of a folder its own verdict, in sorted order', async () => {
    await ws.write('letters/b-expired.txt', await issue(ws.world.issuerKey, expired));
    await ws.write('letters/a-valid.txt', await issue(ws.world.rotatedKey));
    await ws.write('letters/sub/c-revoked.txt', await issue(ws.world.issuerKey, revoked));
    await ws.write('letters/d-notes.txt', '这里没有验证码\nhttps://example.com\n');
    await ws.write('letters/e-scan.pdf', '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
    const run = await ws.run(['--json', 'letters']);
    expect(run.code).toBe(1);
    const report = json(run.stdout);
    expect(
      report.documents.map((d: { file: string; verdict: string; codes: { reasons: string[] }[] }) => [
        d.file,
        d.verdict,
        d.codes.map((c) => c.reasons),
      ]),
    ).toEqual([
      ['letters/a-valid.txt', 'valid', [[]]],
      ['letters/b-expired.txt', 'invalid', [['EXPIRED']]],
      ['letters/d-notes.txt', 'none', []],
      ['letters/e-scan.pdf', 'error', []],
      ['letters/sub/c-revoked.txt', 'invalid', [['REVOKED']]],
    ]);
  });

  it('keeps the letter of an invalid code, and gives null for a code that cannot be decoded', async () => {
    await ws.write('mixed.txt', `${await issue(ws.world.attackerKey)}\nAL1:not-a-token\n`);
    const run = await ws.run(['--json', 'mixed.txt']);
    const [doc] = json(run.stdout).documents;
    expect(doc.codes.map((c: { page: number; reasons: string[] }) => [c.page, c.reasons])).toEqual([
      [1, ['KEY_UNKNOWN']],
      [2, ['MALFORMED']],
    ]);
    expect(doc.codes[0].letter.jti).toBe('DZ-2026-0017');
    expect(doc.codes[1].letter).toBeNull();
  });

  it('reads a scanned PDF through the shared pipeline: every page, repeats kept, other QR codes ignored', async () => {
    const letter = await issue(ws.world.issuerKey);
    const page = (text: string) => qrImage(text);
    await ws.write('scan.pdf', await scannedPdf([page(letter), page('https://pay.example.cn/q/1'), page(letter)]));
    const run = await ws.run(['--json', 'scan.pdf']);
    const doc = json(run.stdout).documents[0];
    expect(run.code).toBe(0);
    expect(doc.verdict).toBe('valid');
    expect(doc.codes.map((c: { page: number }) => c.page)).toEqual([1, 3]);
    expect(run.stderr).toContain('DZ-2026-0017');
  });

  it('says in one sentence why a file could not be read, and exits 1', async () => {
    await ws.write('scan.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]));
    await ws.write('data.bin', new Uint8Array([0, 1, 2, 3, 0, 0]));
    const run = await ws.run(['--json', 'scan.png', 'data.bin', 'missing.txt']);
    expect(run.code).toBe(1);
    expect(json(run.stdout).documents).toEqual([
      {
        file: 'scan.png',
        verdict: 'error',
        error: '图片文件已损坏或不完整，无法打开。请重新扫描或向对方重新索要文件。',
        codes: [],
      },
      {
        file: 'data.bin',
        verdict: 'error',
        error: expect.stringMatching(/^不支持这种文件类型：.*。$/),
        codes: [],
      },
      { file: 'missing.txt', verdict: 'error', error: '找不到这个文件。', codes: [] },
    ]);
  });

  it('writes the error sentence in English with --lang en', async () => {
    const run = await ws.run(['--json', '--lang', 'en', 'missing.txt']);
    expect(json(run.stdout).documents[0].error).toBe('This file does not exist.');
  });
});

describe('npm run verify: --at, --region and --offline', () => {
  it('checks as of --at: a letter expired today is valid on a day it was in force', async () => {
    await ws.write('old.txt', await issue(ws.world.issuerKey, expired));
    const today = await ws.run(['--json', 'old.txt']);
    expect(json(today.stdout).documents[0].codes[0].reasons).toEqual(['EXPIRED']);
    const then = await ws.run(['--json', '--at', '2025-11-20T10:00:00+08:00', 'old.txt']);
    expect(json(then.stdout).documents[0].codes[0].reasons).not.toContain('EXPIRED');
    expect(json(then.stdout).documents[0].codes[0].reasons).not.toContain('NOT_YET_VALID');
  });

  it('reports NOT_YET_VALID when --at is before the letter starts', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const run = await ws.run(['--json', '--at', '2025-12-01', 'a.txt']);
    expect(run.code).toBe(1);
    expect(json(run.stdout).documents[0].codes[0].reasons).toContain('NOT_YET_VALID');
  });

  it.each([
    ['411302', 1, ['REGION_MISMATCH']],
    ['411381121', 0, []],
  ] as const)('with --region %s exits %i with reasons %j', async (region, code, reasons) => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const run = await ws.run(['--json', '--region', region, 'a.txt']);
    expect(run.code).toBe(code);
    expect(json(run.stdout).documents[0].codes[0].reasons).toEqual(reasons);
  });

  it('names the townships a letter covers in the readable report, not only their codes', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const run = await ws.run(['--region', '411302', 'a.txt']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '此授权书只适用于 河南省南阳市邓州市陶营镇（411381121），不包括您所在的河南省南阳市宛城区（411302）。',
    );
  });

  it.each([
    ['zh-CN', '411302', '不包括您所在的河南省南阳市宛城区（411302）。'],
    ['en', '411302', 'which does not include your area (河南省南阳市宛城区 (411302)).'],
    ['zh-CN', '411381107', '不包括您所在的河南省南阳市邓州市'],
  ] as const)('in %s names the --region %s in the region reason', async (lang, region, wording) => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const run = await ws.run(['--lang', lang, '--region', region, 'a.txt']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(wording);
    expect(run.stdout).not.toContain('您所在的地区');
    expect(run.stdout).not.toContain('as set in the options');
  });

  it('never calls fetch with --offline, so a required status list with nothing cached is STATUS_UNKNOWN', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const run = await ws.run(['--json', '--offline', 'a.txt']);
    expect(ws.fetch).not.toHaveBeenCalled();
    expect(run.code).toBe(1);
    expect(json(run.stdout).documents[0].codes[0].reasons).toEqual(['STATUS_UNKNOWN']);
  });

  it('uses, offline, the status list a previous run cached', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    expect((await ws.run(['--json', 'a.txt'])).code).toBe(0);
    expect(ws.fetch.mock.calls.map(([url]) => String(url))).toEqual([URLS.status1]);
    ws.fetch.mockClear();
    const offline = await ws.run(['--json', '--offline', 'a.txt'], { now: at(NOW + 2 * 3600) });
    expect(ws.fetch).not.toHaveBeenCalled();
    expect(offline.code).toBe(0);
  });

  it('fetches issuer keys from jwks_uri and reports KEYS_UNAVAILABLE for them offline with nothing cached', async () => {
    const letter = await issue(ws.world.remoteKey, { iss: REMOTE_ISSUER, region: ['411302'], status: undefined });
    await ws.write('remote.txt', letter);
    const offline = await ws.run(['--json', '--offline', 'remote.txt']);
    expect(json(offline.stdout).documents[0].codes[0].reasons).toEqual(['KEYS_UNAVAILABLE']);
    const online = await ws.run(['--json', 'remote.txt']);
    expect(online.code).toBe(0);
    expect(ws.fetch.mock.calls.map(([url]) => String(url))).toEqual([URLS.remoteJwks]);
  });
});

describe('npm run verify: the registry', () => {
  it('refuses, with exit 2, a registry older than one a previous run used from the same cache', async () => {
    const newer = await signRegistry(ws.world.description, ws.world.root.privateJwk, { now: NOW - DAY, version: 43 });
    await ws.write('trust/registry-43.jws', newer.jws);
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const first = await ws.run(
      ['--json', '--registry', 'trust/registry-43.jws', '--root-keys', 'trust/root.jwks', 'a.txt'],
      {
        bare: true,
      },
    );
    expect(first.code).toBe(0);
    expect(json(first.stdout).registry.version).toBe(43);
    const second = await ws.run(['--json', 'a.txt']); // the workspace's version 42
    expect(second.code).toBe(2);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('比本机以前用过的版本旧');
  });

  it('fetches a registry URL, caches it, and uses the cached copy offline', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const trust = ['--registry', URLS.registry, '--root-keys', 'trust/root.jwks'];
    const online = await ws.run(['--json', ...trust, 'a.txt'], { bare: true });
    expect(online.code).toBe(0);
    expect(ws.fetch.mock.calls.map(([url]) => String(url))).toContain(URLS.registry);
    ws.fetch.mockClear();
    const offline = await ws.run(['--json', '--offline', ...trust, 'a.txt'], { bare: true });
    expect(ws.fetch).not.toHaveBeenCalled();
    expect(json(offline.stdout).registry).toEqual({ iss: 'cn-hsa-henan-root', version: 42, stale: false });
  });

  it('goes on with NO_REGISTRY when the registry URL cannot be reached and nothing is cached', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const run = await ws.run(
      ['--json', '--registry', 'https://down.example.gov.cn/registry.jws', '--root-keys', 'trust/root.jwks', 'a.txt'],
      { bare: true },
    );
    expect(run.code).toBe(1);
    const report = json(run.stdout);
    expect(report.registry).toBeNull();
    expect(report.documents[0].codes[0].reasons).toEqual(['NO_REGISTRY']);
    expect(run.stderr).toContain('服务器返回错误');
  });

  it('marks the registry stale in the report after its exp', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey, { exp: NOW + 80 * DAY }));
    const run = await ws.run(['--json', '--at', '2026-02-15', 'a.txt']);
    const report = json(run.stdout);
    expect(report.registry.stale).toBe(true);
    expect(report.documents[0].codes[0].reasons).toContain('REGISTRY_STALE');
    expect(run.code).toBe(1);
  });

  it.each([
    ['a registry signed by another root', 'impostor', '不是用给定的根公钥签名的'],
    ['a registry file that is not a JWS', 'garbage', '格式不对'],
    ['a registry file that does not exist', 'missing', '无法读取签发机关名单文件'],
    ['root keys that are not a JWKS', 'bad-root', '没有可用的公钥'],
    ['a root keys file that does not exist', 'missing-root', '无法读取根公钥文件'],
    ['a plain http registry URL off loopback', 'http-url', '只允许 https://'],
  ])('exits 2 with a specific message for %s', async (_, variant, message) => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const impostor = await signRegistry(ws.world.description, ws.world.impostorRoot.privateJwk, { now: NOW - DAY });
    await ws.write('trust/impostor.jws', impostor.jws);
    await ws.write('trust/garbage.jws', 'this is not a registry');
    await ws.write('trust/bad-root.jwks', '{"keys": []}');
    const pick = {
      impostor: ['trust/impostor.jws', 'trust/root.jwks'],
      garbage: ['trust/garbage.jws', 'trust/root.jwks'],
      missing: ['trust/nope.jws', 'trust/root.jwks'],
      'bad-root': ['trust/registry.jws', 'trust/bad-root.jwks'],
      'missing-root': ['trust/registry.jws', 'trust/nope.jwks'],
      'http-url': ['http://registry.example.gov.cn/registry.jws', 'trust/root.jwks'],
    }[variant] as [string, string];
    const run = await ws.run(['--json', '--registry', pick[0], '--root-keys', pick[1], 'a.txt'], { bare: true });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });
});

describe('npm run verify: configuration and options', () => {
  it.each([
    [['--registry', 'x.jws'], '--root-keys'],
    [['--root-keys', 'x.jwks'], '--registry'],
  ])('exits 2 naming the missing option when %j is all that is configured', async (argv, missing) => {
    const run = await ws.run([...argv, 'a.txt'], { bare: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(missing);
  });

  it('takes the registry and root keys from YANZHEN_REGISTRY and YANZHEN_ROOT_KEYS', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const env = { YANZHEN_REGISTRY: 'trust/registry.jws', YANZHEN_ROOT_KEYS: 'trust/root.jwks' };
    const run = await ws.run(['a.txt'], { bare: true, env });
    expect(run.code).toBe(0);
  });

  it('takes them from yanzhen.config.json in the cache folder, relative to that file', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    await ws.write(
      'cache/yanzhen/yanzhen.config.json',
      JSON.stringify({ registry: '../../trust/registry.jws', rootKeys: '../../trust/root.jwks' }),
    );
    expect((await ws.run(['a.txt'], { bare: true })).code).toBe(0);
  });

  it('exits 2 on a config file that is not JSON', async () => {
    await ws.write('cache/yanzhen/yanzhen.config.json', '{ registry: ');
    const run = await ws.run(['a.txt'], { bare: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('yanzhen.config.json');
  });

  it.each([
    [['--region', '41138', 'a.txt'], '地区代码“41138”不对'],
    [['--region', '4113811070', 'a.txt'], '地区代码'],
    [['--at', '2026-02-30', 'a.txt'], '时间“2026-02-30”看不懂'],
    [['--at', 'yesterday', 'a.txt'], '看不懂'],
    [['--lang', 'fr', 'a.txt'], '不支持语言“fr”'],
    [['--colour', 'a.txt'], '不认识选项 --colour'],
    [['--json=yes', 'a.txt'], '不能带取值'],
    [['--json', '--json', 'a.txt'], '只能写一次'],
    [['a.txt', '--region'], '后面要写上取值'],
    [[], '没有给出要检查的文件或文件夹'],
  ])('exits 2 for %j and says what is wrong', async (argv, message) => {
    const run = await ws.run(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(ws.fetch).not.toHaveBeenCalled();
  });

  it('exits 2 when the folders hold nothing to check', async () => {
    await ws.write('empty/.git/HEAD.txt', 'AL1:x');
    const run = await ws.run(['empty']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('没有找到可以检查的文件');
  });

  it('prints the help on standard output and exits 0, without any configuration', async () => {
    const run = await ws.run(['--help'], { bare: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('npx yanzhen verify [选项]');
    expect(run.stdout).toContain('npm run --silent verify -- [选项]');
    expect(run.stdout).toContain('--offline');
  });

  it('speaks English when LANG says so', async () => {
    const run = await ws.run(['--help'], { bare: true, env: { LANG: 'en_US.UTF-8' } });
    expect(run.stdout).toContain('Usage: npx yanzhen verify');
  });
});

describe('npm run verify: the readable table', () => {
  it('shows each verdict word, the letter number, the registry issuer name and every reason in plain words', async () => {
    await ws.write('letters/a.txt', await issue(ws.world.issuerKey));
    await ws.write('letters/b.txt', await issue(ws.world.issuerKey, { ...expired, jti: 'DZ-2025-0099' }));
    await ws.write('letters/c.txt', '没有验证码\n');
    await ws.write('letters/skip.docx', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]));
    const run = await ws.run(['letters']);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('签发机关名单：cn-hsa-henan-root 第 42 版');
    expect(lines).toContain('有效            letters/a.txt');
    expect(lines).toContain(
      '                第 1 行  有效  编号 DZ-2026-0017  邓州市医疗保障局  邓州市陶营镇卫生院  （ES256 签名）',
    );
    expect(lines).toContain('无效            letters/b.txt');
    expect(run.stdout).toMatch(/ {18}· 此授权书已过期（有效期至 2025年12月30日）。/);
    expect(lines).toContain('没有授权二维码  letters/c.txt');
    // The counts close the run on stderr; stdout is only the table (cli.md).
    expect(run.stderr).toContain('共检查 3 个文件：有效 1，需核实 0，无效 1，没有授权二维码 1，无法读取 0。');
    expect(run.stderr).toContain('另有 1 个文件不是图片、PDF 或文本文件，已跳过。');
    expect(run.stdout).not.toContain('共检查');
  });

  it('says in the table which moment --at checked as of', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    const run = await ws.run(['--at', '2026-01-02T09:30:00+08:00', 'a.txt']);
    expect(run.stdout).toContain('按 2026年1月2日 09:30（北京时间）检查');
  });

  it('writes progress to stderr a line per file when stderr is not a terminal, then the summary', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    await ws.write('b.txt', await issue(ws.world.rotatedKey, { jti: 'DZ-2026-0018' }));
    const run = await ws.run(['a.txt', 'b.txt']);
    expect(run.stderr).toBe(
      [
        '正在检查 1/2：a.txt',
        '正在检查 2/2：b.txt',
        '共检查 2 个文件：有效 2，需核实 0，无效 0，没有授权二维码 0，无法读取 0。',
        '',
      ].join('\n'),
    );
  });

  it('redraws progress in place on a terminal and clears it before each row and the summary', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    await ws.write('b.txt', await issue(ws.world.rotatedKey, { jti: 'DZ-2026-0018' }));
    const writes: string[] = [];
    const watched = await ws.run(['a.txt', 'b.txt'], {
      tty: true,
      onWrite: (stream, text) => writes.push(`${stream}:${text}`),
    });
    expect(watched.stderr).toBe(
      '正在检查 1/2：a.txt\r\x1b[K正在检查 2/2：b.txt\r\x1b[K共检查 2 个文件：有效 2，需核实 0，无效 0，没有授权二维码 0，无法读取 0。\n',
    );
    // Interleaved: the progress line is erased before a row is written, so they never share a line.
    expect(writes.map((w) => w.slice(0, 10))).toEqual([
      'stdout:签发机',
      'stderr:正在检',
      'stderr:\r\x1b[',
      'stdout:有效 ',
      'stderr:正在检',
      'stderr:\r\x1b[',
      'stdout:有效 ',
      'stderr:共检查',
    ]);
  });

  it('writes neither progress nor summary with --quiet, but still its notes', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    expect((await ws.run(['--quiet', 'a.txt'])).stderr).toBe('');
    expect((await ws.run(['--quiet', 'a.txt'], { tty: true })).stderr).toBe('');
    const down = await ws.run(
      ['--quiet', '--registry', 'https://down.example.gov.cn/registry.jws', '--root-keys', 'trust/root.jwks', 'a.txt'],
      { bare: true },
    );
    expect(down.stderr).toContain('服务器返回错误');
    expect(down.stderr.endsWith('\n')).toBe(true);
  });
});

describe('npm run verify: the cache folder', () => {
  it('exits 2 when the cache folder cannot be written (the rollback guard could not be kept)', async () => {
    await ws.write('a.txt', await issue(ws.world.issuerKey));
    await ws.write('not-a-folder', 'a file where the cache folder should be');
    const run = await ws.run(['a.txt'], { env: { XDG_CACHE_HOME: `${ws.dir}/not-a-folder` } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('无法写入缓存文件夹');
  });
});

describe('npm run verify on a letter that prints its own hotline in its name', () => {
  it('hides the number in the table, as the card does, and keeps the name exact in JSON', async () => {
    const sub_name = '邓州市医保服务站（核实请拨 138 0000 0000）';
    await ws.write('a.txt', `${await issue(ws.world.attackerKey, { sub_name })}\n`);
    const table = await ws.run(['a.txt']);
    expect(table.stdout).toContain('邓州市医保服务站（核实请拨 （号码已隐去））');
    expect(table.stdout).not.toContain('138 0000 0000');
    const json = await ws.run(['--json', 'a.txt']);
    expect(JSON.parse(json.stdout).documents[0].codes[0].letter.sub_name).toBe(sub_name);
  });
});

describe('npm run verify on a hostile letter whose dates no calendar holds', () => {
  it('gives it a verdict and goes on with the batch (it stopped the run with exit 2: Invalid time value)', async () => {
    const forged = await issue(ws.world.attackerKey, { nbf: 1e20, exp: 1e20 + 1 });
    await ws.write('in/a.txt', `${forged}\n`);
    await ws.write('in/b.txt', `${await issue(ws.world.issuerKey)}\n`);
    for (const output of [[], ['--json']]) {
      const run = await ws.run([...output, 'in']);
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain('Invalid time value');
      if (output.length > 0) {
        const report = JSON.parse(run.stdout);
        expect(report.documents.map((d: { verdict: string }) => d.verdict)).toEqual(['invalid', 'valid']);
        expect(report.documents[0].codes[0].reasons).toEqual(['MALFORMED']);
      } else expect(run.stdout).toContain('in/b.txt');
    }
  });
});

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IssuerIo } from '../../../scripts/issuer/commands/command.ts';
import { COMMANDS, runIssuer } from '../../../scripts/issuer/main.ts';
import { memoryStore } from '../../../utils/verify/ports.ts';
import { loadRegistry } from '../../../utils/verify/registry.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';
import { at, NOW, SCOPE, VALID_USCC } from '../../support/fixtures.ts';

let dir: string;
const path = (name: string) => join(dir, name);

function testIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: IssuerIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    now: () => NOW,
    readText: (p) => readFile(p, 'utf8'),
    writeText: (p, text) => writeFile(p, text),
    locale: 'zh-CN',
  };
  return { io, out, err };
}

async function run(...argv: string[]) {
  const { io, out, err } = testIo();
  const code = await runIssuer(argv, io);
  return { code, out, err };
}

const STATUS_URI = 'https://dengzhou.example.gov.cn/status/1';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yanzhen-issuer-'));
});

describe('issuer commands', () => {
  it('lists every command in its usage text', async () => {
    const { code, err } = await run();
    expect(code).toBe(0);
    for (const words of Object.keys(COMMANDS)) expect(err.join('\n')).toContain(words);
  });

  it('refuses an unknown command with exit status 2', async () => {
    expect((await run('letter', 'burn')).code).toBe(2);
  });

  it.each([
    ['EdDSA', 'ES256'],
    ['SM2', 'SM2'],
  ])(
    'runs the whole chain (root %s, issuer %s): keys, registry, letter, status list, revocation, each verified by the core',
    async (rootAlg, issuerAlg) => {
      expect((await run('key', 'generate', '--alg', rootAlg, '--out', path('root'))).code).toBe(0);
      const issuerKey = await run('key', 'generate', '--alg', issuerAlg, '--out', path('dengzhou'));
      expect(issuerKey.code).toBe(0);
      const publicJwk = JSON.parse(issuerKey.out[0] as string);
      expect(publicJwk).toMatchObject(issuerAlg === 'SM2' ? { kty: 'EC', crv: 'SM2', alg: 'SM2' } : { alg: issuerAlg });
      expect(JSON.parse(await readFile(path('dengzhou.private.jwk.json'), 'utf8'))).toHaveProperty('d');

      const rootJwks = await run('key', 'jwks', '--key', path('root.private.jwk.json'));
      expect(rootJwks.out[0]).not.toContain('"d"');

      const description = {
        iss: 'cn-hsa-henan-root',
        version: 4,
        scopes: [{ id: SCOPE, label: { 'zh-CN': '指导激活', en: 'Help activate' }, excludes: [], max_days: 90 }],
        issuers: [
          {
            id: 'cn-hsa-411381',
            name: { 'zh-CN': '邓州市医疗保障局', en: 'Dengzhou' },
            jurisdiction: ['411381'],
            scopes: [SCOPE],
            jwks: { keys: [publicJwk] },
            status_required: true,
            state: 'active',
          },
        ],
      };
      await writeFile(path('registry.json'), JSON.stringify(description));
      const signed = await run(
        'registry',
        'sign',
        '--description',
        path('registry.json'),
        '--root-key',
        path('root.private.jwk.json'),
        '--out',
        path('registry.jws'),
      );
      expect(signed.code).toBe(0);
      const again = await run(
        'registry',
        'sign',
        '--description',
        path('registry.json'),
        '--root-key',
        path('root.private.jwk.json'),
        '--previous',
        path('registry.jws'),
      );
      expect(again.err.join('')).toContain('第 6 版');

      const store = memoryStore();
      const load = await loadRegistry(
        await readFile(path('registry.jws'), 'utf8'),
        JSON.parse(rootJwks.out[0] as string),
        { currentDate: at(NOW), store },
      );
      expect(load).toMatchObject({ ok: true, registry: { version: 5 } });
      if (!load.ok) return;

      expect(
        (
          await run(
            'status',
            'make',
            '--key',
            path('dengzhou.private.jwk.json'),
            '--uri',
            STATUS_URI,
            '--bits',
            '2',
            '--size',
            '1024',
            '--out',
            path('status.jws'),
          )
        ).code,
      ).toBe(0);
      const letter = await run(
        'letter',
        'issue',
        '--key',
        path('dengzhou.private.jwk.json'),
        '--iss',
        'cn-hsa-411381',
        '--sub',
        VALID_USCC,
        '--sub-name',
        '邓州市陶营镇卫生院',
        '--scope',
        SCOPE,
        '--region',
        '411381121',
        '--agent',
        '张三:1234',
        '--nbf',
        '2025-12-31T00:00:00Z',
        '--days',
        '60',
        '--jti',
        'DZ-2026-0001',
        '--status-uri',
        STATUS_URI,
        '--status-idx',
        '17',
      );
      expect(letter.code).toBe(0);
      const text = letter.out[0] as string;
      expect(text.startsWith('AL1:')).toBe(true);

      const fetcher = async () => ({ ok: true as const, body: await readFile(path('status.jws')) });
      const verify = () =>
        verifyLetter(text, { currentDate: at(NOW), registry: load.registry, store: memoryStore(), fetcher });
      expect(await verify()).toMatchObject({ verdict: 'valid', reasons: [], alg: issuerAlg });

      expect(
        (
          await run(
            'status',
            'update',
            '--key',
            path('dengzhou.private.jwk.json'),
            '--list',
            path('status.jws'),
            '--suspend',
            '17',
          )
        ).code,
      ).toBe(0);
      expect(await verify()).toMatchObject({ reasons: ['REVOKED'], facts: { status: { state: 'suspended' } } });
      expect(
        (
          await run(
            'status',
            'update',
            '--key',
            path('dengzhou.private.jwk.json'),
            '--list',
            path('status.jws'),
            '--revoke',
            '17',
          )
        ).code,
      ).toBe(0);
      expect(await verify()).toMatchObject({ reasons: ['REVOKED'], facts: { status: { state: 'revoked' } } });
    },
  );

  it('issues a letter from a JSON file, zip DEF by default and plain with --no-zip', async () => {
    await run('key', 'generate', '--out', path('k'));
    const input = {
      iss: 'x',
      sub: VALID_USCC,
      sub_name: 'y',
      scope: 'a b',
      region: ['411381'],
      nbf: NOW,
      exp: NOW + 100,
      jti: 'J',
    };
    await writeFile(path('letter.json'), JSON.stringify(input));
    const zipped = await run('letter', 'issue', '--key', path('k.private.jwk.json'), '--from', path('letter.json'));
    const plain = await run(
      'letter',
      'issue',
      '--key',
      path('k.private.jwk.json'),
      '--from',
      path('letter.json'),
      '--no-zip',
    );
    const header = (text: string) =>
      JSON.parse(Buffer.from(text.slice(4).split('.')[0] as string, 'base64url').toString());
    expect(header(zipped.out[0] as string)).toMatchObject({ alg: 'ES256', typ: 'al+jwt', zip: 'DEF' });
    expect(header(plain.out[0] as string)).not.toHaveProperty('zip');
  });

  it.each([
    ['a bad USCC', ['--sub', '91350100M000100Y44']],
    ['a 7-digit region', ['--region', '4113811']],
    ['an agent without ID digits', ['--agent', '张三']],
    ['a date that is not a date', ['--nbf', 'tomorrow']],
  ])('refuses to sign a letter with %s (exit 2, one plain line)', async (_, extra) => {
    await run('key', 'generate', '--out', path('r'));
    const base = [
      '--iss',
      'x',
      '--sub',
      VALID_USCC,
      '--sub-name',
      'y',
      '--scope',
      SCOPE,
      '--region',
      '411381',
      '--days',
      '10',
      '--jti',
      'J',
    ];
    const result = await run('letter', 'issue', '--key', path('r.private.jwk.json'), ...base, ...extra);
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err).toHaveLength(1);
  });

  it('refuses to put a private key into a registry', async () => {
    await run('key', 'generate', '--out', path('leak'));
    const priv = JSON.parse(await readFile(path('leak.private.jwk.json'), 'utf8'));
    await writeFile(
      path('leak.json'),
      JSON.stringify({ iss: 'r', scopes: [], issuers: [{ id: 'i', jwks: { keys: [priv] } }] }),
    );
    const result = await run(
      'registry',
      'sign',
      '--description',
      path('leak.json'),
      '--root-key',
      path('leak.private.jwk.json'),
    );
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configuredDefaults, demoCacheDir, demoTrust, isUrl } from '../../../scripts/cli/defaults.ts';
import { demoRootJwksText } from '../../../scripts/demo/demo-keys.ts';
import { readRootJwks } from '../../../utils/verify/registry.ts';

let dir: string;
let cache: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yanzhen-defaults-'));
  cache = join(dir, 'cache');
  await mkdir(cache);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const config = (value: unknown) => writeFile(join(cache, 'yanzhen.config.json'), JSON.stringify(value));

describe('configuredDefaults', () => {
  it('has no registry and no root keys when nothing is configured (there is no built-in key)', async () => {
    expect(await configuredDefaults({}, '/work', cache)).toEqual({
      ok: true,
      defaults: { registry: null, rootKeys: null },
    });
  });

  it('reads the config file, resolving paths against its folder and keeping URLs', async () => {
    await config({ registry: 'https://hsa.example.gov.cn/registry.jws', rootKeys: 'root.jwks' });
    expect(await configuredDefaults({}, '/work', cache)).toEqual({
      ok: true,
      defaults: { registry: 'https://hsa.example.gov.cn/registry.jws', rootKeys: join(cache, 'root.jwks') },
    });
  });

  it('lets environment variables win over the config file, relative to the working folder', async () => {
    await config({ registry: 'file.jws', rootKeys: 'root.jwks' });
    const env = { YANZHEN_REGISTRY: 'mine.jws', YANZHEN_ROOT_KEYS: '/etc/yanzhen/root.jwks' };
    expect(await configuredDefaults(env, '/work', cache)).toEqual({
      ok: true,
      defaults: { registry: '/work/mine.jws', rootKeys: '/etc/yanzhen/root.jwks' },
    });
  });

  it.each([['[]'], ['"text"'], ['{"registry": 42}'], ['{"rootKeys": ""}'], ['{ broken']])(
    'refuses a config file holding %s',
    async (content) => {
      await writeFile(join(cache, 'yanzhen.config.json'), content);
      expect(await configuredDefaults({}, '/work', cache)).toEqual({
        ok: false,
        error: { key: 'cli.config.badFile', params: { config: join(cache, 'yanzhen.config.json') } },
      });
    },
  );
});

describe('isUrl', () => {
  it.each([
    ['https://a.example/r.jws', true],
    ['http://127.0.0.1:8080/r.jws', true],
    ['ftp://a.example/r.jws', true],
    ['registry.jws', false],
    ['/etc/yanzhen/registry.jws', false],
    ['C:/registry.jws', false],
  ])('%s is a URL: %s', (value, expected) => {
    expect(isUrl(value)).toBe(expected);
  });
});

describe('demoTrust', () => {
  const payload = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));

  it('writes the demo registry and the demo root keys into the demo folder, for the demo servers', async () => {
    const demo = await demoTrust(demoCacheDir(cache), {}, new Date('2026-12-01T00:00:00Z'));
    expect(demo.origin).toBe('http://127.0.0.1:47311');
    expect(demo.registry.startsWith(join(cache, 'demo'))).toBe(true);
    expect(await readFile(demo.rootKeys, 'utf8')).toBe(demoRootJwksText());
    expect(readRootJwks(await readFile(demo.rootKeys, 'utf8'))).not.toBeNull();
    const registry = payload(await readFile(demo.registry, 'utf8'));
    expect(registry.iss).toBe('cn-hsa-henan-demo-root');
    expect(registry.issuers[0].contact.url.startsWith('http://127.0.0.1:47311/')).toBe(true);
  });

  it('follows YANZHEN_DEMO_REGISTRY_URL when npm start moved the demo servers, and versions by the real clock', async () => {
    const env = { YANZHEN_DEMO_REGISTRY_URL: 'http://127.0.0.1:50123/registry.jws' };
    const first = await demoTrust(demoCacheDir(cache), env, new Date('2026-12-01T00:00:00Z'));
    expect(first.origin).toBe('http://127.0.0.1:50123');
    const v1 = payload(await readFile(first.registry, 'utf8')).version;
    const later = await demoTrust(demoCacheDir(cache), env, new Date('2026-12-01T00:05:00Z'));
    expect(payload(await readFile(later.registry, 'utf8')).version).toBeGreaterThan(v1);
  });

  it('keeps the registry it wrote for a second run in the same minute (a re-signed one would equivocate)', async () => {
    const first = await demoTrust(demoCacheDir(cache), {}, new Date('2026-12-01T00:00:05Z'));
    const text = await readFile(first.registry, 'utf8');
    await demoTrust(demoCacheDir(cache), {}, new Date('2026-12-01T00:00:50Z'));
    expect(await readFile(first.registry, 'utf8')).toBe(text);
    // Another portal origin in the same minute: a newer version, never the same one re-signed.
    const moved = await demoTrust(
      demoCacheDir(cache),
      { YANZHEN_DEMO_REGISTRY_URL: 'http://127.0.0.1:50999/r.jws' },
      new Date('2026-12-01T00:00:55Z'),
    );
    expect(payload(await readFile(moved.registry, 'utf8')).version).toBe(payload(text).version + 1);
  });
});

/**
 * The CLI against a real server on 127.0.0.1 that misbehaves as clinics' networks do: a
 * captive portal answering every URL with its login page, a server that accepts the
 * connection and never answers. Letters, registry and status list are made at test time.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../scripts/cli/main.ts';
import { makeStatusList, signRegistry, signStatusList } from '../../../scripts/issuer/lib/index.ts';
import { at, getWorld, issue, NOW, REMOTE_ISSUER, type World } from '../../support/fixtures.ts';

type Mode = 'serve' | 'portal' | 'hang';

const PORTAL_PAGE = '<!DOCTYPE html><html><head><title>Wi-Fi 认证</title></head><body>请登录后上网</body></html>';

/**
 * How long the test's fetch waits for the hanging server before giving up. The CLI's own
 * limit is 10 s (section 4); the client giving up sooner is the same failure, sooner.
 */
const GIVE_UP_MS = 250;

let world: World;
let server: Server;
let base: string;
let mode: Mode;
let requests: string[];
let served: Map<string, string>;
let dir: string;

beforeEach(async () => {
  world = await getWorld();
  mode = 'serve';
  requests = [];
  served = new Map();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (mode === 'hang') return; // accepts, reads, never answers
    if (mode === 'portal') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PORTAL_PAGE);
      return;
    }
    const body = served.get(req.url ?? '');
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'yanzhen-cli-net-'));

  // The registry names a jwks_uri on the server; Dengzhou's letters name a status list there.
  const description = {
    ...world.description,
    issuers: world.description.issuers.map((issuer) =>
      issuer.id === REMOTE_ISSUER ? { ...issuer, jwks_uri: `${base}/jwks.json` } : issuer,
    ),
  };
  const registry = await signRegistry(description, world.root.privateJwk, { now: NOW - 86_400, version: 42 });
  const status = makeStatusList({ uri: `${base}/status/1`, bits: 1, size: 64 });
  served.set('/registry.jws', registry.jws);
  served.set('/jwks.json', JSON.stringify({ keys: [world.remoteKey.publicJwk] }));
  served.set('/status/1', await signStatusList(status, world.issuerKey.privateJwk, { now: NOW - 60, ttl: 3600 }));
  await write('trust/root.jwks', JSON.stringify(world.rootJwks));
  await write('trust/registry.jws', registry.jws);
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await rm(dir, { recursive: true, force: true });
});

async function write(relativePath: string, content: string): Promise<void> {
  const path = join(dir, relativePath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/**
 * Node's fetch; against the silent server it gives up after GIVE_UP_MS, as the 10 s timeout
 * would. Answering servers get the CLI's own limit (a loaded machine can be slow to answer).
 */
const impatientFetch: typeof fetch = (input, init) => {
  if (mode !== 'hang') return fetch(input, init);
  const giveUp = AbortSignal.timeout(GIVE_UP_MS);
  return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, giveUp]) : giveUp });
};

async function run(argv: string[], now: number) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTTY: false,
    env: { XDG_CACHE_HOME: join(dir, 'cache'), HOME: join(dir, 'home'), LANG: 'zh_CN.UTF-8' },
    cwd: dir,
    fetch: impatientFetch,
    now: () => at(now),
  });
  return { code, stdout, stderr };
}

const reasonsOf = (stdout: string): string[][] =>
  JSON.parse(stdout).documents.flatMap((d: { codes: { reasons: string[] }[] }) => d.codes.map((c) => c.reasons));

async function writeLetters(): Promise<void> {
  const status = { status_list: { idx: 0, uri: `${base}/status/1` } };
  await write('letters/dengzhou.txt', await issue(world.issuerKey, { status }));
  const remote = { iss: REMOTE_ISSUER, region: ['411302'], status: undefined };
  await write('letters/wancheng.txt', await issue(world.remoteKey, remote));
}

describe('npm run verify behind a captive portal (letter-format.md section 4)', () => {
  it('goes on with the cached registry, keys and status list when every URL answers a login page', async () => {
    await writeLetters();
    const trust = ['--registry', `${base}/registry.jws`, '--root-keys', 'trust/root.jwks'];
    const primed = await run(['--json', ...trust, 'letters'], NOW);
    expect(primed.code).toBe(0);
    expect([...requests].sort()).toEqual(['/jwks.json', '/registry.jws', '/status/1']);

    // Two hours later the JWKS and the status list are past their freshness and asked for again.
    mode = 'portal';
    requests = [];
    const behindPortal = await run(['--json', ...trust, 'letters'], NOW + 2 * 3600);
    expect(behindPortal.code).toBe(0);
    expect(JSON.parse(behindPortal.stdout).registry).toEqual({ iss: 'cn-hsa-henan-root', version: 42, stale: false });
    expect(reasonsOf(behindPortal.stdout)).toEqual([[], []]);
    expect(behindPortal.stderr).toContain('使用本机');
    expect([...requests].sort()).toEqual(['/jwks.json', '/registry.jws', '/status/1']);
  });

  it('goes on with the held registry, saying the source is inconsistent, when the URL serves another registry of its version', async () => {
    await writeLetters();
    const trust = ['--registry', `${base}/registry.jws`, '--root-keys', 'trust/root.jwks'];
    expect((await run(['--json', ...trust, 'letters'], NOW)).code).toBe(0);
    const held = served.get('/registry.jws');
    // Version 42 again, without Dengzhou: shown to this verifier only, it would make its letters ISSUER_UNKNOWN.
    const other = await signRegistry(
      { ...world.description, issuers: world.description.issuers.filter((issuer) => issuer.id !== 'cn-hsa-411381') },
      world.root.privateJwk,
      { now: NOW - 86_400, version: 42 },
    );
    served.set('/registry.jws', other.jws);
    const result = await run(['--json', ...trust, 'letters'], NOW + 600);
    expect(result.code).toBe(0);
    expect(reasonsOf(result.stdout)).toEqual([[], []]);
    expect(result.stderr).toContain('名单来源前后不一致');
    served.set('/registry.jws', held as string);
  });

  // Section 4: "never refuses a registry it holds because a fetch went wrong". These stopped the run with exit 2.
  it.each([
    ['signed by a key that is no root key', 'impostor', '不是用受信任的根密钥签的'],
    ['whose payload was altered', 'altered', '签名核对不通过'],
  ])('goes on with the held registry, with a note, when the URL serves a registry %s', async (_, variant, why) => {
    await writeLetters();
    const trust = ['--registry', `${base}/registry.jws`, '--root-keys', 'trust/root.jwks'];
    expect((await run(['--json', ...trust, 'letters'], NOW)).code).toBe(0);
    const held = served.get('/registry.jws') as string;
    const impostor = await signRegistry(world.description, world.impostorRoot.privateJwk, { now: NOW, version: 99 });
    const [h, , sig] = held.split('.');
    const altered = `${h}.${impostor.jws.split('.')[1]}.${sig}`;
    served.set('/registry.jws', variant === 'impostor' ? impostor.jws : altered);
    const result = await run(['--json', ...trust, 'letters'], NOW + 600);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).registry).toEqual({ iss: 'cn-hsa-henan-root', version: 42, stale: false });
    expect(reasonsOf(result.stdout)).toEqual([[], []]);
    expect(result.stderr).toContain(why);
    expect(result.stderr).toContain('继续使用本机');
    served.set('/registry.jws', held);
  });

  it('still stops (exit 2) when the URL serves an older version than the one held', async () => {
    await writeLetters();
    const trust = ['--registry', `${base}/registry.jws`, '--root-keys', 'trust/root.jwks'];
    expect((await run(['--json', ...trust, 'letters'], NOW)).code).toBe(0);
    const held = served.get('/registry.jws') as string;
    served.set(
      '/registry.jws',
      (await signRegistry(world.description, world.root.privateJwk, { now: NOW, version: 41 })).jws,
    );
    expect((await run(['--json', ...trust, 'letters'], NOW + 600)).code).toBe(2);
    served.set('/registry.jws', held);
  });

  it('says the answer was not a registry when a login page answers and nothing is cached', async () => {
    await writeLetters();
    mode = 'portal';
    const result = await run(
      ['--json', '--registry', `${base}/registry.jws`, '--root-keys', 'trust/root.jwks', 'letters'],
      NOW,
    );
    expect(result.code).toBe(1);
    expect(reasonsOf(result.stdout)).toEqual([['NO_REGISTRY'], ['NO_REGISTRY']]);
    expect(result.stderr).toContain('返回的不是签发机关名单');
  });
});

describe('npm run verify with a server that never answers (issue 9 item 3)', () => {
  it('asks each URL once for a folder of letters depending on it, and gives every letter its warning', async () => {
    const status = { status_list: { idx: 0, uri: `${base}/status/1` } };
    for (const n of [1, 2, 3]) {
      await write(`letters/dengzhou-${n}.txt`, await issue(world.issuerKey, { status, jti: `DZ-${n}` }));
      const remote = { iss: REMOTE_ISSUER, region: ['411302'], status: undefined, jti: `WC-${n}` };
      await write(`letters/wancheng-${n}.txt`, await issue(world.remoteKey, remote));
    }
    mode = 'hang';
    const result = await run(
      ['--json', '--registry', 'trust/registry.jws', '--root-keys', 'trust/root.jwks', 'letters'],
      NOW,
    );
    expect(result.code).toBe(1);
    expect(reasonsOf(result.stdout)).toEqual([
      ['STATUS_UNKNOWN'],
      ['STATUS_UNKNOWN'],
      ['STATUS_UNKNOWN'],
      ['KEYS_UNAVAILABLE'],
      ['KEYS_UNAVAILABLE'],
      ['KEYS_UNAVAILABLE'],
    ]);
    expect([...requests].sort()).toEqual(['/jwks.json', '/status/1']);
  });

  it('asks the registry URL once and goes on with the cached registry, keys and status list', async () => {
    await writeLetters();
    const trust = ['--registry', `${base}/registry.jws`, '--root-keys', 'trust/root.jwks'];
    expect((await run(['--json', ...trust, 'letters'], NOW)).code).toBe(0);
    // More letters of both issuers, checked while everything hangs.
    const status = { status_list: { idx: 1, uri: `${base}/status/1` } };
    await write('letters/dengzhou-2.txt', await issue(world.issuerKey, { status, jti: 'DZ-2' }));
    await write(
      'letters/wancheng-2.txt',
      await issue(world.remoteKey, { iss: REMOTE_ISSUER, region: ['411302'], status: undefined, jti: 'WC-2' }),
    );
    mode = 'hang';
    requests = [];
    const result = await run(['--json', ...trust, 'letters'], NOW + 2 * 3600);
    expect(result.code).toBe(0);
    expect(reasonsOf(result.stdout)).toEqual([[], [], [], []]);
    expect([...requests].sort()).toEqual(['/jwks.json', '/registry.jws', '/status/1']);
  });
});

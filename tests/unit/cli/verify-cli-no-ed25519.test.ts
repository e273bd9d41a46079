/**
 * The CLI as a new user on an old machine would meet it (issue 7 item 2): a separate Node
 * process whose WebCrypto refuses Ed25519 (a `--import` preload), checking EdDSA letters
 * under an EdDSA-rooted registry with an EdDSA-signed status list. Every report must be
 * exactly the one the same process gives with WebCrypto's Ed25519 present.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateIssuerKey,
  issueLetter,
  makeStatusList,
  rootJwksOf,
  setStatus,
  signRegistry,
  signStatusList,
} from '../../../scripts/issuer/lib/index.ts';
import { at, deflatedPayload, getWorld, ISSUER, letterInput, NOW, withPayload } from '../../support/fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const PRELOAD = pathToFileURL(join(ROOT, 'tests/support/no-ed25519-preload.ts')).href;
// The letters' folder is elsewhere, so tsx is named by its own file, not resolved from there.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

let dir: string;
let server: Server;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yanzhen-no-ed25519-'));
  const served = new Map<string, string>();
  server = createServer((request, response) => {
    const body = served.get(request.url ?? '');
    response.writeHead(body ? 200 : 404).end(body ?? 'not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const statusUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status/1`;

  const world = await getWorld();
  const [root, issuerKey] = await Promise.all([generateIssuerKey('EdDSA'), generateIssuerKey('EdDSA')]);
  const description = {
    ...world.description,
    issuers: world.description.issuers.map((issuer) =>
      issuer.id === ISSUER ? { ...issuer, jwks: { keys: [issuerKey.publicJwk] } } : issuer,
    ),
  };
  const { jws } = await signRegistry(description, root.privateJwk, { now: NOW - 86_400, version: 7 });
  const list = setStatus(makeStatusList({ uri: statusUri, bits: 1, size: 64 }), 3, 'revoked');
  served.set('/status/1', await signStatusList(list, issuerKey.privateJwk, { now: NOW - 60, ttl: 3600 }));
  const status = (idx: number) => ({ status: { status_list: { idx, uri: statusUri } } });
  const genuine = (await issueLetter(letterInput(status(0)), issuerKey.privateJwk)).text;
  const letters = {
    'genuine.txt': genuine,
    'revoked.txt': (await issueLetter(letterInput(status(3)), issuerKey.privateJwk)).text,
    'tampered.txt': withPayload(genuine, base64url.encode(deflatedPayload({ sub_name: '冒名公司', ...status(0) }))),
    'other-key.txt': (await issueLetter(letterInput(status(0)), { ...root.privateJwk, kid: issuerKey.kid })).text,
  };
  await writeFile(join(dir, 'root.jwks'), JSON.stringify(rootJwksOf([root.privateJwk])));
  await writeFile(join(dir, 'registry.jws'), jws);
  for (const [name, text] of Object.entries(letters)) await writeFile(join(dir, name), `${text}\n`);
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(dir, { recursive: true, force: true });
});

function runCli(preload: boolean, cache: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = [
    '--import',
    TSX,
    ...(preload ? ['--import', PRELOAD] : []),
    join(ROOT, 'scripts/cli/verify.ts'),
    '--json',
    '--at',
    at(NOW).toISOString(),
    '--registry',
    'registry.jws',
    '--root-keys',
    'root.jwks',
    'genuine.txt',
    'revoked.txt',
    'tampered.txt',
    'other-key.txt',
  ];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: dir,
      env: { PATH: process.env.PATH, XDG_CACHE_HOME: join(dir, cache), HOME: join(dir, cache), LANG: 'C.UTF-8' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('npm run verify with WebCrypto Ed25519 removed (node --import preload)', () => {
  it('reports every EdDSA letter exactly as with WebCrypto: genuine ones valid, forged ones invalid', async () => {
    const [withWebCrypto, without] = await Promise.all([runCli(false, 'cache-a'), runCli(true, 'cache-b')]);
    expect(without.stderr).not.toMatch(/Error|TypeError/);
    const report = JSON.parse(without.stdout);
    expect(report).toEqual(JSON.parse(withWebCrypto.stdout));
    expect(without.code).toBe(withWebCrypto.code);
    const byFile = Object.fromEntries(
      report.documents.map((d: { file: string; codes: { verdict: string; reasons: string[] }[] }) => [
        d.file,
        d.codes.map((c) => [c.verdict, c.reasons]),
      ]),
    );
    expect(byFile).toEqual({
      'genuine.txt': [['valid', []]],
      'revoked.txt': [['invalid', ['REVOKED']]],
      'tampered.txt': [['invalid', ['SIGNATURE_INVALID']]],
      'other-key.txt': [['invalid', ['SIGNATURE_INVALID']]],
    });
  }, 60_000);

  it('really runs without Ed25519 in that process', async () => {
    const probe = await new Promise<string>((done) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          TSX,
          '--import',
          PRELOAD,
          '--input-type=module',
          '-e',
          "crypto.subtle.generateKey({name:'Ed25519'},false,['sign']).then(()=>console.log('present'),(e)=>console.log(e.name))",
        ],
        { cwd: ROOT },
      );
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      child.on('close', () => done(out.trim()));
    });
    expect(probe).toBe('NotSupportedError');
  }, 30_000);
});

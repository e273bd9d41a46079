/**
 * SM2 interop with an independent implementation, both ways (issue 13):
 * - what OpenSSL 3 signed (tests/fixtures/interop/make-interop-sm2.sh, committed outputs)
 *   verifies in the core: an SM2-rooted registry, SM2 letters, an SM2 status list;
 * - what the issuer tools sign, OpenSSL verifies (`openssl pkeyutl -verify -rawin -digest
 *   sm3 -pkeyopt distid:1234567812345678`, after r || s -> DER).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, calculateJwkThumbprint } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateIssuerKey,
  issueLetter,
  makeStatusList,
  signRegistry,
  signStatusList,
} from '../../../scripts/issuer/lib/index.ts';
import { toHex } from '../../../utils/verify/bytes.ts';
import { memoryStore } from '../../../utils/verify/ports.ts';
import { loadRegistry } from '../../../utils/verify/registry.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';
import { getWorld, letterInput, NOW } from '../../support/fixtures.ts';

const dir = new URL('../../fixtures/interop/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8').trim();
const rootJwks = JSON.parse(read('sm2-root-jwks.json'));
const registryJws = read('sm2-registry.jws');
const statusJws = read('sm2-status.jws');
const letters = read('sm2-letters.txt').split('\n');
const checkedAt = new Date(Date.UTC(2026, 0, 15));
const STATUS_URI = 'https://xichuan.example.gov.cn/status/1';

async function check(text: string) {
  const store = memoryStore();
  const load = await loadRegistry(registryJws, rootJwks, { currentDate: checkedAt, store });
  if (!load.ok) throw new Error(`${load.problem}: ${load.detail}`);
  const fetcher = async (url: string) =>
    url === STATUS_URI
      ? { ok: true as const, body: new TextEncoder().encode(statusJws) }
      : { ok: false as const, failure: 'NETWORK' as const };
  return verifyLetter(text, { currentDate: checkedAt, registry: load.registry, store, fetcher });
}

describe('what OpenSSL signed with SM2, the core verifies', () => {
  it('verifies the registry signed with an SM2 root key', async () => {
    const load = await loadRegistry(registryJws, rootJwks, { currentDate: checkedAt, store: memoryStore() });
    expect(load).toMatchObject({
      ok: true,
      registry: { iss: 'cn-hsa-interop-sm2-root', rootKid: rootJwks.keys[0].kid },
    });
  });

  it('computes the same RFC 7638 thumbprints for SM2 keys as the script', async () => {
    const load = await loadRegistry(registryJws, rootJwks, { currentDate: checkedAt, store: memoryStore() });
    if (!load.ok) throw new Error(load.detail);
    for (const { kid, ...jwk } of [...rootJwks.keys, ...(load.registry.payload.issuers[0]?.jwks ?? [])]) {
      expect(await calculateJwkThumbprint(jwk)).toBe(kid);
    }
  });

  it.each([
    ['INTEROP-SM2', []],
    ['INTEROP-SM2-DEF', []],
    ['INTEROP-SM2-REVOKED', ['REVOKED']],
  ])('gives letter %s the reasons %j (its status from the SM2 status list)', async (jti, reasons) => {
    expect(letters).toHaveLength(3);
    const verdict = (await Promise.all(letters.map(check))).find((v) => v.letter?.jti === jti);
    expect(verdict).toMatchObject({ reasons, alg: 'SM2' });
    expect(verdict?.facts.status.state).toBe(reasons.length ? 'revoked' : 'valid');
  });

  it("refuses OpenSSL's own DER signature: JOSE signatures are r || s", async () => {
    expect((await check(read('sm2-der-letter.txt'))).reasons).toEqual(['SIGNATURE_INVALID']);
  });
});

/** SubjectPublicKeyInfo of an SM2 key: id-ecPublicKey with the SM2 curve OID, then 04 || x || y. */
const SM2_SPKI_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200';

function derSignature(rs: Uint8Array): Buffer {
  const integer = (bytes: Uint8Array) => {
    let body = Array.from(bytes);
    while (body.length > 1 && body[0] === 0) body = body.slice(1);
    if ((body[0] as number) >= 0x80) body = [0, ...body];
    return [0x02, body.length, ...body];
  };
  const content = [...integer(rs.subarray(0, 32)), ...integer(rs.subarray(32))];
  return Buffer.from([0x30, content.length, ...content]);
}

const work = mkdtempSync(join(tmpdir(), 'yanzhen-sm2-openssl-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Whether `openssl pkeyutl -verify` accepts the compact JWS under the public JWK. */
function opensslVerifies(compact: string, jwk: { x: string; y: string }, name: string): boolean {
  const dot = compact.lastIndexOf('.');
  const spki = Buffer.from(
    SM2_SPKI_PREFIX + '04' + toHex(base64url.decode(jwk.x)) + toHex(base64url.decode(jwk.y)),
    'hex',
  );
  const pem = `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n`;
  writeFileSync(join(work, `${name}.pem`), pem);
  writeFileSync(join(work, `${name}.input`), compact.slice(0, dot));
  writeFileSync(join(work, `${name}.sig`), derSignature(base64url.decode(compact.slice(dot + 1))));
  try {
    const out = execFileSync(
      'openssl',
      ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-pubin']
        .concat(['-inkey', join(work, `${name}.pem`), '-in', join(work, `${name}.input`)])
        .concat(['-sigfile', join(work, `${name}.sig`)]),
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return out.includes('Signature Verified Successfully');
  } catch {
    return false;
  }
}

describe('what the issuer tools sign with SM2, OpenSSL verifies', () => {
  it('verifies a letter, a registry and a status list, and refuses each once altered', async () => {
    const world = await getWorld();
    const key = await generateIssuerKey('SM2');
    const publicJwk = key.publicJwk as unknown as { x: string; y: string };
    const letter = (await issueLetter(letterInput(), key.privateJwk)).text.slice(4);
    const registry = (await signRegistry(world.description, key.privateJwk, { now: NOW })).jws;
    const status = await signStatusList(makeStatusList({ uri: STATUS_URI, bits: 1, size: 16 }), key.privateJwk, {
      now: NOW,
    });
    for (const [name, compact] of Object.entries({ letter, registry, status })) {
      expect(opensslVerifies(compact, publicJwk, name)).toBe(true);
      const [h, p, s] = compact.split('.') as [string, string, string];
      const altered = `${h}.${p.slice(0, -1)}${p.endsWith('A') ? 'Q' : 'A'}.${s}`;
      expect(opensslVerifies(altered, publicJwk, `${name}-altered`)).toBe(false);
    }
  });
});

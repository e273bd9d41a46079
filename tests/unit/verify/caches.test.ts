/**
 * What the verifier keeps between letters (prepared keys with their WebCrypto import, parsed
 * headers, read JWKS bodies, verified status lists, the newest signed iat) must never make a
 * rotated, revoked, rolled-back or clock-tampered case look better than a fresh verifier would
 * say. Each case warms the cache first with a valid letter, then changes the world.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateIssuerKey,
  type IssuerKey,
  issueLetter,
  makeStatusList,
  type PrivateSigningJwk,
  rootJwksOf,
  type SigningAlg,
  setStatus,
  signRegistry,
  signStatusList,
} from '../../../scripts/issuer/lib/index.ts';
import { splitCompactJws } from '../../../utils/verify/compact-jws.ts';
import { type Fetcher, memoryStore, type VerifierStore } from '../../../utils/verify/ports.ts';
import { loadRegistry, type VerifiedRegistry } from '../../../utils/verify/registry.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';

const NOW = 1_790_000_000;
const DAY = 86_400;
const at = (seconds: number) => new Date(seconds * 1000);
const ISSUER = 'cn-hsa-411381';
const JWKS_URI = 'https://keys.example.gov.cn/jwks.json';
const STATUS_URI = 'https://status.example.gov.cn/1';
const SCOPE = { id: 'ehi.voucher.assist', label: { 'zh-CN': '协助', en: 'Assist' }, excludes: [], max_days: 90 };
const text = new TextEncoder();

let root: IssuerKey;
beforeAll(async () => {
  root = await generateIssuerKey('EdDSA');
});

type IssuerKeys = { jwks?: object[]; jwks_uri?: string; status_required?: boolean };

/** A registry of one issuer, with the given keys, at the given version. */
async function registryJws(version: number, keys: IssuerKeys): Promise<string> {
  const issuer = {
    id: ISSUER,
    name: { 'zh-CN': '邓州市医疗保障局', en: 'Dengzhou' },
    jurisdiction: ['411381'],
    scopes: [SCOPE.id],
    contact: { phone: '0377-00000000' },
    state: 'active',
    ...(keys.jwks ? { jwks: { keys: keys.jwks } } : {}),
    ...(keys.jwks_uri ? { jwks_uri: keys.jwks_uri } : {}),
    ...(keys.status_required ? { status_required: true } : {}),
  };
  const signed = await signRegistry({ iss: 'cn-hsa-henan-root', scopes: [SCOPE], issuers: [issuer] }, root.privateJwk, {
    now: NOW - DAY + version,
    version,
  });
  return signed.jws;
}

async function load(jws: string, store: VerifierStore, now = NOW): Promise<VerifiedRegistry> {
  const loaded = await loadRegistry(jws, rootJwksOf([root.privateJwk]), { currentDate: at(now), store });
  if (!loaded.ok) throw new Error(`registry refused: ${loaded.problem}`);
  return loaded.registry;
}

async function letter(key: PrivateSigningJwk, jti: string, status?: { idx: number; uri: string }): Promise<string> {
  const issued = await issueLetter(
    {
      iss: ISSUER,
      sub: '91350100M000100Y43',
      sub_name: '邓州市陶营镇卫生院',
      scope: [SCOPE.id],
      region: ['411381121'],
      iat: NOW - DAY,
      nbf: NOW - DAY,
      exp: NOW + 30 * DAY,
      jti,
      ...(status ? { status: { status_list: status } } : {}),
    },
    key,
  );
  return issued.text;
}

/** A fetcher over a map that the test changes as it goes. */
function servedFetcher(served: Map<string, string>): Fetcher {
  return async (url) => {
    const body = served.get(url);
    return body === undefined ? { ok: false, failure: 'HTTP_STATUS' } : { ok: true, body: text.encode(body) };
  };
}

const ALGS: SigningAlg[] = ['ES256', 'EdDSA', 'SM2'];

describe.each(ALGS)('prepared %s keys', (alg) => {
  let kept: IssuerKey;
  let other: IssuerKey;
  let impostor: IssuerKey;
  beforeAll(async () => {
    [kept, other, impostor] = await Promise.all([
      generateIssuerKey(alg),
      generateIssuerKey(alg),
      generateIssuerKey(alg),
    ]);
  });

  it('reports KEY_UNKNOWN once a newer registry version drops the key, and refuses the older registry', async () => {
    const store = memoryStore();
    const v1 = await registryJws(1, { jwks: [kept.publicJwk, other.publicJwk] });
    const first = await load(v1, store);
    const underKept = await letter(kept.privateJwk, 'ROT-1');
    const options = { currentDate: at(NOW), store, fetcher: null };
    expect((await verifyLetter(underKept, { ...options, registry: first })).reasons).toEqual([]);
    const second = await load(await registryJws(2, { jwks: [other.publicJwk] }), store);
    expect((await verifyLetter(underKept, { ...options, registry: second })).reasons).toEqual(['KEY_UNKNOWN']);
    expect(
      (await verifyLetter(await letter(other.privateJwk, 'ROT-2'), { ...options, registry: second })).reasons,
    ).toEqual([]);
    // Rollback: the registry that still listed the key is refused in this store from now on.
    const rolledBack = await loadRegistry(v1, rootJwksOf([root.privateJwk]), { currentDate: at(NOW), store });
    expect(rolledBack).toMatchObject({ ok: false, problem: 'REGISTRY_ROLLBACK' });
  });

  it('verifies with the new coordinates when a newer registry lists another key under the same kid', async () => {
    const store = memoryStore();
    const underKept = await letter(kept.privateJwk, 'KID-1');
    const options = { currentDate: at(NOW), store, fetcher: null };
    const first = await load(await registryJws(1, { jwks: [kept.publicJwk] }), store);
    expect((await verifyLetter(underKept, { ...options, registry: first })).verdict).toBe('valid');
    // The same kid now names the impostor's public key: the key prepared for the kid must not answer.
    const swapped = await load(await registryJws(2, { jwks: [{ ...impostor.publicJwk, kid: kept.kid }] }), store);
    expect((await verifyLetter(underKept, { ...options, registry: swapped })).reasons).toEqual(['SIGNATURE_INVALID']);
    const byImpostor = await letter({ ...impostor.privateJwk, kid: kept.kid }, 'KID-2');
    expect((await verifyLetter(byImpostor, { ...options, registry: swapped })).reasons).toEqual([]);
    expect((await verifyLetter(byImpostor, { ...options, registry: first })).reasons).toEqual(['SIGNATURE_INVALID']);
  });

  it('reads a changed JWKS afresh: a key rotated out at jwks_uri is KEY_UNKNOWN once the cache is refreshed', async () => {
    const store = memoryStore();
    const served = new Map([[JWKS_URI, JSON.stringify({ keys: [kept.publicJwk, other.publicJwk] })]]);
    const registry = await load(await registryJws(1, { jwks_uri: JWKS_URI }), store);
    const fetcher = servedFetcher(served);
    const underKept = await letter(kept.privateJwk, 'URI-1');
    const check = (now: number) => verifyLetter(underKept, { currentDate: at(now), registry, store, fetcher });
    expect((await check(NOW)).reasons).toEqual([]);
    expect((await check(NOW + 60)).reasons).toEqual([]);
    served.set(JWKS_URI, JSON.stringify({ keys: [other.publicJwk] }));
    // Past the hour a cached JWKS is fresh for, it is fetched again, and the new text read.
    expect((await check(NOW + 3601)).reasons).toEqual(['KEY_UNKNOWN']);
    served.set(JWKS_URI, JSON.stringify({ keys: [{ ...impostor.publicJwk, kid: kept.kid }] }));
    expect((await check(NOW + 7300)).reasons).toEqual(['SIGNATURE_INVALID']);
  });
});

describe('held JWKS', () => {
  it('reads the stored JWKS once for a batch of letters, and again once the hour is over or the clock went back', async () => {
    const key = await generateIssuerKey('ES256');
    const base = memoryStore();
    const reads: string[] = [];
    const store: VerifierStore = {
      ...base,
      getEntry: (name) => {
        reads.push(name);
        return base.getEntry(name);
      },
    };
    const registry = await load(await registryJws(1, { jwks_uri: JWKS_URI }), store);
    const fetcher = servedFetcher(new Map([[JWKS_URI, JSON.stringify({ keys: [key.publicJwk] })]]));
    const texts = await Promise.all([1, 2, 3, 4].map((n) => letter(key.privateJwk, `BATCH-${n}`)));
    reads.length = 0;
    for (const t of texts) {
      expect((await verifyLetter(t, { currentDate: at(NOW), registry, store, fetcher })).reasons).toEqual([]);
    }
    // One read before the first fetch; the fetched keys then answer for the batch.
    expect(reads.filter((name) => name.includes(JWKS_URI))).toHaveLength(1);
    await verifyLetter(texts[0] as string, { currentDate: at(NOW - 10), registry, store, fetcher });
    expect(reads.filter((name) => name.includes(JWKS_URI))).toHaveLength(2);
    await verifyLetter(texts[0] as string, { currentDate: at(NOW + 3601), registry, store, fetcher });
    expect(reads.filter((name) => name.includes(JWKS_URI))).toHaveLength(3);
  });
});

describe('held status lists', () => {
  let letterKey: IssuerKey;
  let listKey: IssuerKey;
  let nextListKey: IssuerKey;
  beforeAll(async () => {
    [letterKey, listKey, nextListKey] = await Promise.all([
      generateIssuerKey('ES256'),
      generateIssuerKey('ES256'),
      generateIssuerKey('ES256'),
    ]);
  });

  const list = (revoked: number[], key: PrivateSigningJwk, now: number, ttl = 600) => {
    let draft = makeStatusList({ uri: STATUS_URI, bits: 1, size: 128 });
    for (const idx of revoked) draft = setStatus(draft, idx, 'revoked');
    return signStatusList(draft, key, { now, ttl });
  };

  it('reports REVOKED once a changed list is fetched after its ttl, and not before', async () => {
    const store = memoryStore();
    const served = new Map([[STATUS_URI, await list([], listKey.privateJwk, NOW - 10)]]);
    const registry = await load(
      await registryJws(1, { jwks: [letterKey.publicJwk, listKey.publicJwk], status_required: true }),
      store,
    );
    const fetcher = servedFetcher(served);
    const texts = [3, 4].map((idx) => letter(letterKey.privateJwk, `ST-${idx}`, { idx, uri: STATUS_URI }));
    const [three, four] = await Promise.all(texts);
    const check = (t: string, now: number) => verifyLetter(t, { currentDate: at(now), registry, store, fetcher });
    expect((await check(three as string, NOW)).reasons).toEqual([]);
    served.set(STATUS_URI, await list([3], listKey.privateJwk, NOW + 100));
    // Within the ttl (600 s) the list held is the answer, as the cached copy would be.
    expect((await check(three as string, NOW + 300)).reasons).toEqual([]);
    const after = await check(three as string, NOW + 700);
    expect(after.reasons).toEqual(['REVOKED']);
    expect(after.facts.status.checkedAt).toBe((NOW + 700) * 1000);
    expect((await check(four as string, NOW + 700)).reasons).toEqual([]);
  });

  it('verifies the held list again under a newer registry: a list signed by a withdrawn key is STATUS_UNKNOWN', async () => {
    const store = memoryStore();
    const served = new Map([[STATUS_URI, await list([], listKey.privateJwk, NOW - 10)]]);
    const fetcher = servedFetcher(served);
    const first = await load(await registryJws(1, { jwks: [letterKey.publicJwk, listKey.publicJwk] }), store);
    const three = await letter(letterKey.privateJwk, 'WD-3', { idx: 3, uri: STATUS_URI });
    const options = { currentDate: at(NOW), store, fetcher };
    expect((await verifyLetter(three, { ...options, registry: first })).reasons).toEqual([]);
    // Still within the list's ttl, but the registry no longer lists the key that signed it.
    const second = await load(await registryJws(2, { jwks: [letterKey.publicJwk, nextListKey.publicJwk] }), store);
    expect((await verifyLetter(three, { ...options, registry: second })).reasons).toEqual(['STATUS_UNKNOWN']);
    served.set(STATUS_URI, await list([], nextListKey.privateJwk, NOW));
    expect((await verifyLetter(three, { ...options, currentDate: at(NOW + 61), registry: second })).reasons).toEqual(
      [],
    );
  });
});

describe('the clock check with everything cached', () => {
  it('still flags a clock set back after a batch was checked from memory', async () => {
    const store = memoryStore();
    const key = await generateIssuerKey('ES256');
    const registry = await load(await registryJws(1, { jwks: [key.publicJwk] }), store);
    const text = await letter(key.privateJwk, 'CLK-1');
    for (let n = 0; n < 3; n += 1) {
      const verdict = await verifyLetter(text, { currentDate: at(NOW + n), registry, store, fetcher: null });
      expect(verdict.facts.clockSuspect).toBe(false);
    }
    // Set back by two days, before the registry's own signed iat (NOW - 1 day).
    const setBack = await verifyLetter(text, { currentDate: at(NOW - 2 * DAY), registry, store, fetcher: null });
    expect(setBack.facts.clockSuspect).toBe(true);
  });
});

describe('parsed headers', () => {
  it('are shared only between tokens with the same header text, and frozen', async () => {
    const key = await generateIssuerKey('ES256');
    const token = (await letter(key.privateJwk, 'HDR-1')).slice('AL1:'.length);
    const first = splitCompactJws(token);
    const again = splitCompactJws(token);
    if (!first.ok || !again.ok) throw new Error('letter did not split');
    expect(again.jws.header).toBe(first.jws.header);
    expect(Object.isFrozen(first.jws.header)).toBe(true);
    expect(() => {
      (first.jws.header as Record<string, unknown>).typ = 'statuslist+jwt';
    }).toThrow(TypeError);
    // A remembered header does not excuse the rest of the token.
    const [h, p] = token.split('.') as [string, string, string];
    expect(splitCompactJws(`${h}.${p}.not base64`)).toEqual({ ok: false, error: 'signature is not base64url' });
    expect(splitCompactJws(`${h}.${p}*.AA`)).toEqual({ ok: false, error: 'payload is not base64url' });
  });

  it('reject a header edited after a valid letter with the same key was checked', async () => {
    const store = memoryStore();
    const key = await generateIssuerKey('ES256');
    const registry = await load(await registryJws(1, { jwks: [key.publicJwk] }), store);
    const text = await letter(key.privateJwk, 'HDR-2');
    const options = { currentDate: at(NOW), registry, store, fetcher: null };
    expect((await verifyLetter(text, options)).verdict).toBe('valid');
    const [h, p, s] = text.slice('AL1:'.length).split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    const edited = Buffer.from(JSON.stringify({ ...header, jku: 'https://evil.example/jwks' })).toString('base64url');
    expect((await verifyLetter(`AL1:${edited}.${p}.${s}`, options)).reasons).toContain('HEADER_REJECTED');
    const retyped = Buffer.from(JSON.stringify({ ...header, kid: `${key.kid}x` })).toString('base64url');
    expect((await verifyLetter(`AL1:${retyped}.${p}.${s}`, options)).reasons).toEqual(['KEY_UNKNOWN']);
  });
});

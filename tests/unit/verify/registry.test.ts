import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { rootJwksOf, signRegistry } from '../../../scripts/issuer/lib/index.ts';
import { memoryStore } from '../../../utils/verify/ports.ts';
import { isRegistryStale, loadRegistry, readRootJwks } from '../../../utils/verify/registry.ts';
import { obtainRegistry } from '../../../utils/verify/registry-source.ts';
import { jwkThumbprint, rootKeySetId } from '../../../utils/verify/rollback-floor.ts';
import { at, DAY, getWorld, issue, NOW, rawSign, URLS, type World, worldFetcher } from '../../support/fixtures.ts';

let world: World;
beforeAll(async () => {
  world = await getWorld();
});

const options = () => ({ currentDate: at(NOW), store: memoryStore() });
const encode = (text: string) => new TextEncoder().encode(text);

describe('loadRegistry', () => {
  it('accepts a registry signed by a configured root key and reads every issuer', async () => {
    const load = await loadRegistry(world.registryJws, world.rootJwks, options());
    expect(load.ok).toBe(true);
    if (!load.ok) return;
    expect(load.registry).toMatchObject({ iss: 'cn-hsa-henan-root', version: 42, rootKid: world.root.kid });
    expect(load.registry.payload.issuers.map((i) => i.id)).toEqual([
      'cn-hsa-411381',
      'cn-hsa-411302',
      'cn-hsa-411323',
      'cn-hsa-411303',
    ]);
    expect(load.registry.payload.issuers[0]?.jwks).toHaveLength(2);
  });

  it('accepts the root JWKS as JSON text', async () => {
    const load = await loadRegistry(world.registryJws, JSON.stringify(world.rootJwks), options());
    expect(load.ok).toBe(true);
  });

  it('accepts a registry signed by the second (ES256) root key', async () => {
    const { jws } = await signRegistry(world.description, world.secondRoot.privateJwk, { now: NOW, version: 50 });
    expect((await loadRegistry(jws, world.rootJwks, options())).ok).toBe(true);
  });

  it.each([
    ['an empty object', {}],
    ['no keys', { keys: [] }],
    ['only a symmetric key', { keys: [{ kty: 'oct', k: 'AAAA', kid: 'x' }] }],
    ['a key without kid', { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }] }],
    ['text that is not JSON', '{keys'],
  ])('refuses root keys that are %s (ROOT_KEYS_INVALID)', async (_, rootJwks) => {
    const load = await loadRegistry(world.registryJws, rootJwks, options());
    expect(load).toMatchObject({ ok: false, problem: 'ROOT_KEYS_INVALID' });
  });

  it('refuses a root private key in the configuration (no verifier should hold one)', () => {
    expect(readRootJwks({ keys: [world.root.privateJwk] })).toBeNull();
  });

  it('refuses a registry signed by a key that is not a root key (REGISTRY_KEY_UNKNOWN)', async () => {
    const { jws } = await signRegistry(world.description, world.impostorRoot.privateJwk, { now: NOW, version: 99 });
    expect(await loadRegistry(jws, world.rootJwks, options())).toMatchObject({
      ok: false,
      problem: 'REGISTRY_KEY_UNKNOWN',
    });
  });

  it("refuses a registry signed by another key under the root's kid (REGISTRY_SIGNATURE_INVALID)", async () => {
    const payload = encode(JSON.stringify({ ...world.description, version: 99, iat: NOW, exp: NOW + DAY }));
    const jws = await rawSign(
      { alg: 'EdDSA', typ: 'al-registry+jwt', kid: world.root.kid },
      payload,
      world.impostorRoot.privateJwk,
    );
    expect(await loadRegistry(jws, world.rootJwks, options())).toMatchObject({
      ok: false,
      problem: 'REGISTRY_SIGNATURE_INVALID',
    });
  });

  it('refuses a tampered registry payload (REGISTRY_SIGNATURE_INVALID)', async () => {
    const [h, , s] = world.registryJws.split('.');
    const forged = base64url.encode(JSON.stringify({ ...world.description, version: 43, iat: NOW, exp: NOW + DAY }));
    expect(await loadRegistry(`${h}.${forged}.${s}`, world.rootJwks, options())).toMatchObject({
      ok: false,
      problem: 'REGISTRY_SIGNATURE_INVALID',
    });
  });

  it.each([
    ['a letter typ', { typ: 'al+jwt' }],
    ['a jwk member', { jwk: { kty: 'OKP' } }],
    ['a zip member', { zip: 'DEF' }],
  ])('refuses a registry header with %s (REGISTRY_HEADER_REJECTED)', async (_, extra) => {
    const payload = encode(JSON.stringify({ ...world.description, version: 1, iat: NOW, exp: NOW + DAY }));
    const jws = await rawSign(
      { alg: 'EdDSA', typ: 'al-registry+jwt', kid: world.root.kid, ...extra },
      payload,
      world.root.privateJwk,
    );
    expect(await loadRegistry(jws, world.rootJwks, options())).toMatchObject({
      ok: false,
      problem: 'REGISTRY_HEADER_REJECTED',
    });
  });

  it.each([
    ['a duplicate member', (json: string) => json.replace(/}$/, ',"version":1000}')],
    ['a missing version', (json: string) => json.replace(/"version":\d+,/, '')],
    ['an issuer with neither jwks nor jwks_uri', (json: string) => json.replace(/"jwks":\{"keys":\[[^\]]*\]\},/, '')],
  ])('refuses a registry payload with %s (REGISTRY_MALFORMED)', async (_, mutate) => {
    const json = mutate(JSON.stringify({ ...world.description, version: 1, iat: NOW, exp: NOW + DAY }));
    const jws = await rawSign(
      { alg: 'EdDSA', typ: 'al-registry+jwt', kid: world.root.kid },
      encode(json),
      world.root.privateJwk,
    );
    expect(await loadRegistry(jws, world.rootJwks, options())).toMatchObject({
      ok: false,
      problem: 'REGISTRY_MALFORMED',
    });
  });

  it('refuses a rolled-back version once a higher one was seen, and keeps accepting equal or higher', async () => {
    const store = memoryStore();
    const v41 = await signRegistry(world.description, world.root.privateJwk, { now: NOW, version: 41 });
    const v43 = await signRegistry(world.description, world.root.privateJwk, { now: NOW, version: 43 });
    expect((await loadRegistry(world.registryJws, world.rootJwks, { currentDate: at(NOW), store })).ok).toBe(true);
    expect(await loadRegistry(v41.jws, world.rootJwks, { currentDate: at(NOW), store })).toMatchObject({
      ok: false,
      problem: 'REGISTRY_ROLLBACK',
    });
    expect((await loadRegistry(world.registryJws, world.rootJwks, { currentDate: at(NOW), store })).ok).toBe(true);
    expect((await loadRegistry(v43.jws, world.rootJwks, { currentDate: at(NOW), store })).ok).toBe(true);
    expect(await loadRegistry(world.registryJws, world.rootJwks, { currentDate: at(NOW), store })).toMatchObject({
      problem: 'REGISTRY_ROLLBACK',
    });
  });

  describe('the rollback floor belongs to the root key set (letter-format.md section 2)', () => {
    const sign = (version: number, extra: Record<string, unknown> = {}, key = world.root.privateJwk) =>
      signRegistry({ ...world.description, ...extra }, key, { now: NOW, version }).then((r) => r.jws);
    const load = (jws: string, store: ReturnType<typeof memoryStore>, rootJwks: unknown = world.rootJwks) =>
      loadRegistry(jws, rootJwks, { currentDate: at(NOW), store });

    it.each([
      ['another iss', { iss: 'cn-hsa-henan-root-2' }],
      ['the same iss', {}],
    ])('refuses v42 under %s after v43, same root keys (REGISTRY_ROLLBACK)', async (_, extra) => {
      const store = memoryStore();
      expect((await load(await sign(43), store)).ok).toBe(true);
      expect(await load(await sign(42, extra), store)).toMatchObject({ ok: false, problem: 'REGISTRY_ROLLBACK' });
    });

    it('refuses v42 signed by the second root key after v43 signed by the first (one set, one floor)', async () => {
      const store = memoryStore();
      expect((await load(await sign(43), store)).ok).toBe(true);
      const v42 = await sign(42, { iss: 'other' }, world.secondRoot.privateJwk);
      expect(await load(v42, store)).toMatchObject({ ok: false, problem: 'REGISTRY_ROLLBACK' });
    });

    it('keeps one floor whatever the order or kids of the configured root keys', async () => {
      const store = memoryStore();
      expect((await load(await sign(43), store)).ok).toBe(true);
      const reordered = { keys: [...world.rootJwks.keys].reverse().map((k) => ({ ...k, kid: `renamed-${k.kid}` })) };
      expect(await rootKeySetId(readRootJwks(reordered)!)).toBe(await rootKeySetId(readRootJwks(world.rootJwks)!));
      const v42 = await signRegistry(
        world.description,
        { ...world.root.privateJwk, kid: `renamed-${world.root.kid}` },
        { now: NOW, version: 42 },
      );
      expect(await load(v42.jws, store, reordered)).toMatchObject({ ok: false, problem: 'REGISTRY_ROLLBACK' });
    });

    it('keeps a separate floor for a root key set that shares no key with the one that saw v43', async () => {
      const store = memoryStore();
      expect((await load(await sign(43), store)).ok).toBe(true);
      const impostorOnly = rootJwksOf([world.impostorRoot.privateJwk]);
      const v42 = await sign(42, {}, world.impostorRoot.privateJwk);
      expect((await load(v42, store, impostorOnly)).ok).toBe(true);
    });

    // Root key rotation changes the set: a key is added, later the old one dropped. A floor
    // kept only for the whole set started again from nothing at each change.
    it.each([
      ['a key dropped from the set (v42 signed by the key kept)', [0], 0],
      ['a key added to the set (v42 signed by the old key)', [0, 1, 2], 0],
      ['a key added to the set (v42 signed by the new key)', [0, 1, 2], 2],
      ['the other key of the set alone (v42 signed by it)', [1], 1],
    ])('refuses v42 after v43 with %s (REGISTRY_ROLLBACK)', async (_, kept, signer) => {
      const store = memoryStore();
      expect((await load(await sign(43), store)).ok).toBe(true);
      const keys = [world.root, world.secondRoot, world.impostorRoot];
      const changed = rootJwksOf(kept.map((i) => keys[i]!.privateJwk));
      expect(await rootKeySetId(readRootJwks(changed)!)).not.toBe(await rootKeySetId(readRootJwks(world.rootJwks)!));
      const v42 = await sign(42, {}, keys[signer]!.privateJwk);
      expect(await load(v42, store, changed)).toMatchObject({ ok: false, problem: 'REGISTRY_ROLLBACK' });
      // The floor went on with the changed set: its own later registries still pass.
      expect((await load(await sign(44, {}, keys[signer]!.privateJwk), store, changed)).ok).toBe(true);
    });

    it('refuses another registry of the held version under a changed root key set (REGISTRY_INCONSISTENT)', async () => {
      const store = memoryStore();
      expect((await load(await sign(43), store)).ok).toBe(true);
      const onlyFirst = rootJwksOf([world.root.privateJwk]);
      const other = await sign(43, { scopes: world.description.scopes.slice(0, 1) });
      expect(await load(other, store, onlyFirst)).toMatchObject({ ok: false, problem: 'REGISTRY_INCONSISTENT' });
    });

    it('does not count a listed key that is not a valid public key (it signs nothing)', async () => {
      const withLeaked = readRootJwks({ keys: [...world.rootJwks.keys, world.impostorRoot.privateJwk] });
      expect(withLeaked).toHaveLength(3);
      expect(await rootKeySetId(withLeaked!)).toBe(await rootKeySetId(readRootJwks(world.rootJwks)!));
    });

    it('computes RFC 7638 thumbprints (RFC 8037 appendix A.3 vector)', async () => {
      const x = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
      expect(await jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x })).toBe(
        'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
      );
    });

    it('still honours the per-iss floor an older store kept, and moves it to the root key set', async () => {
      const store = memoryStore();
      await store.putNumber('registry-version:cn-hsa-henan-root', 43);
      expect(await load(await sign(42), store)).toMatchObject({ ok: false, problem: 'REGISTRY_ROLLBACK' });
      expect((await load(await sign(43), store)).ok).toBe(true);
      // The floor now belongs to the root keys: another iss cannot take it below 43.
      expect(await load(await sign(42, { iss: 'renamed' }), store)).toMatchObject({ problem: 'REGISTRY_ROLLBACK' });
    });

    it('refuses another registry under the version held (REGISTRY_INCONSISTENT), and accepts the same one again', async () => {
      const store = memoryStore();
      const held = await sign(42);
      expect((await load(held, store)).ok).toBe(true);
      const other = await sign(42, { iss: 'cn-hsa-henan-root', scopes: world.description.scopes.slice(0, 1) });
      expect(await load(other, store)).toMatchObject({ ok: false, problem: 'REGISTRY_INCONSISTENT' });
      expect((await load(held, store)).ok).toBe(true);
      // The floor stays where it was: the held registry is still accepted, a newer one too.
      expect((await load(await sign(43), store)).ok).toBe(true);
    });

    it('accepts the same payload signed again (ES256 signatures differ each time)', async () => {
      const store = memoryStore();
      const first = await sign(50, {}, world.secondRoot.privateJwk);
      const again = await sign(50, {}, world.secondRoot.privateJwk);
      expect(first).not.toBe(again);
      expect((await load(first, store)).ok).toBe(true);
      expect((await load(again, store)).ok).toBe(true);
    });
  });

  it('reports staleness only after exp', async () => {
    const load = await loadRegistry(world.registryJws, world.rootJwks, options());
    if (!load.ok) throw new Error(load.detail);
    expect(isRegistryStale(load.registry, at(load.registry.exp))).toBe(false);
    expect(isRegistryStale(load.registry, at(load.registry.exp + 1))).toBe(true);
  });
});

describe('obtainRegistry', () => {
  const base = () => ({ rootJwks: world.rootJwks, currentDate: at(NOW), store: memoryStore() });

  it('fetches, verifies and caches the registry from a URL', async () => {
    const opts = base();
    const result = await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: worldFetcher(world) });
    expect(result).toMatchObject({ problem: null, fromCache: false, fetchedAt: NOW * 1000 });
    expect(result.registry?.version).toBe(42);
    expect(await opts.store.getEntry(`registry:${URLS.registry}`)).toBeDefined();
  });

  it('falls back to the cached copy when the network fails, saying it was unreachable', async () => {
    const opts = base();
    await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: worldFetcher(world) });
    const down = async () => ({ ok: false as const, failure: 'NETWORK' as const });
    const later = { ...opts, currentDate: at(NOW + DAY) };
    const result = await obtainRegistry({ ...later, source: { url: URLS.registry }, fetcher: down });
    expect(result).toMatchObject({ problem: 'REGISTRY_UNREACHABLE', fromCache: true, fetchedAt: NOW * 1000 });
    expect(result.registry?.version).toBe(42);
  });

  it('uses the cache without any fetch when offline, and says nothing went wrong', async () => {
    const opts = base();
    await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: worldFetcher(world) });
    const result = await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: null });
    expect(result).toMatchObject({ problem: null, fromCache: true });
  });

  it('reports REGISTRY_UNREACHABLE with no registry when offline with nothing cached', async () => {
    const result = await obtainRegistry({ ...base(), source: { url: URLS.registry }, fetcher: null });
    expect(result).toEqual({
      registry: null,
      problem: 'REGISTRY_UNREACHABLE',
      fromCache: false,
      fetchedAt: null,
      failure: 'OFFLINE',
    });
  });

  const notARegistry = async (): Promise<[string, string][]> => [
    ['a captive portal login page', '<!DOCTYPE html><html><body><form action="/login">请登录</form></body></html>'],
    ['JSON garbage', '{"error":"maintenance"}'],
    ['an empty body', ''],
    ['a letter (a JWS of another typ)', (await issue(world.issuerKey)).slice('AL1:'.length)],
    ['a status list (a JWS of another typ)', new TextDecoder().decode(world.served.get(URLS.status1))],
  ];

  it('counts an answer that is not a registry as unreachable and goes on with the held copy, as offline', async () => {
    for (const [what, body] of await notARegistry()) {
      const opts = base();
      await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: worldFetcher(world) });
      const serve = async () => ({ ok: true as const, body: encode(body) });
      const result = await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: serve });
      expect(result, what).toMatchObject({
        problem: 'REGISTRY_UNREACHABLE',
        failure: 'UNEXPECTED_CONTENT',
        fromCache: true,
        fetchedAt: NOW * 1000,
      });
      expect(result.registry?.version, what).toBe(42);
      // The held copy is still what the cache holds.
      expect((await opts.store.getEntry(`registry:${URLS.registry}`))?.body, what).toEqual(encode(world.registryJws));
    }
  });

  it('says why the registry is unreachable when an answer that is not a registry comes with nothing held', async () => {
    const serve = async () => ({ ok: true as const, body: encode('<html>login</html>') });
    const result = await obtainRegistry({ ...base(), source: { url: URLS.registry }, fetcher: serve });
    expect(result).toEqual({
      registry: null,
      problem: 'REGISTRY_UNREACHABLE',
      fromCache: false,
      fetchedAt: null,
      failure: 'UNEXPECTED_CONTENT',
    });
  });

  it('keeps the cached registry and reports the rollback when the server serves an older version', async () => {
    const opts = base();
    await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: worldFetcher(world) });
    const old = await signRegistry(world.description, world.root.privateJwk, { now: NOW, version: 3 });
    const serveOld = async () => ({ ok: true as const, body: encode(old.jws) });
    const result = await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: serveOld });
    expect(result).toMatchObject({ problem: 'REGISTRY_ROLLBACK', fromCache: true });
    expect(result.registry?.version).toBe(42);
  });

  it('keeps the cached registry when the server serves one signed by a non-root key', async () => {
    const opts = base();
    await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: worldFetcher(world) });
    const forged = await signRegistry(world.description, world.impostorRoot.privateJwk, { now: NOW, version: 1000 });
    const serveForged = async () => ({ ok: true as const, body: encode(forged.jws) });
    const result = await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: serveForged });
    expect(result).toMatchObject({ problem: 'REGISTRY_KEY_UNKNOWN', fromCache: true });
    expect(result.registry?.version).toBe(42);
    // The forged version number was never recorded: the genuine registry still loads.
    expect((await loadRegistry(world.registryJws, world.rootJwks, opts)).ok).toBe(true);
  });

  it('keeps the held registry and says the source is inconsistent when the server serves another registry of its version', async () => {
    const opts = base();
    await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: worldFetcher(world) });
    const before = await opts.store.getEntry(`registry:${URLS.registry}`);
    const other = await signRegistry(
      { ...world.description, issuers: world.description.issuers.slice(1) },
      world.root.privateJwk,
      { now: NOW - DAY, version: 42 },
    );
    const serveOther = async () => ({ ok: true as const, body: encode(other.jws) });
    const result = await obtainRegistry({ ...opts, source: { url: URLS.registry }, fetcher: serveOther });
    expect(result).toMatchObject({ problem: 'REGISTRY_INCONSISTENT', fromCache: true, fetchedAt: NOW * 1000 });
    expect(result.registry?.jws).toBe(world.registryJws);
    expect(await opts.store.getEntry(`registry:${URLS.registry}`)).toEqual(before);
  });

  it('compares a fresh copy with the registry an upgraded store holds (floor kept per iss before)', async () => {
    const store = memoryStore();
    // What an older version left: the registry cached under its URL and the floor under its iss.
    await store.putEntry(`registry:${URLS.registry}`, { body: encode(world.registryJws), fetchedAt: NOW * 1000 });
    await store.putNumber('registry-version:cn-hsa-henan-root', 42);
    const renamed = await signRegistry({ ...world.description, iss: 'cn-hsa-henan-root-v2' }, world.root.privateJwk, {
      now: NOW,
      version: 42,
    });
    const serve = async () => ({ ok: true as const, body: encode(renamed.jws) });
    const result = await obtainRegistry({ ...base(), store, source: { url: URLS.registry }, fetcher: serve });
    expect(result).toMatchObject({ problem: 'REGISTRY_INCONSISTENT', fromCache: true });
    expect(result.registry?.iss).toBe('cn-hsa-henan-root');
  });

  it('verifies a registry given as text', async () => {
    const result = await obtainRegistry({ ...base(), source: { jws: world.registryJws }, fetcher: null });
    expect(result).toMatchObject({ problem: null, fromCache: false, fetchedAt: null });
    const bad = await obtainRegistry({ ...base(), source: { jws: 'garbage' }, fetcher: null });
    expect(bad).toMatchObject({ registry: null, problem: 'REGISTRY_MALFORMED' });
  });

  it('builds a usable root JWKS from the issuer tool', () => {
    expect(readRootJwks(rootJwksOf([world.root.privateJwk]))).toHaveLength(1);
  });
});

/**
 * letter-format.md section 2: a listed key that is not a valid public key (off its curve,
 * an Ed25519 key of small order, private members) is never used, and letters under its
 * `kid` get KEY_UNKNOWN. The same for `jwks_uri` keys and for root keys. One bad key never
 * takes the registry (or the issuer's other keys) down with it.
 */
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonBytes, signCompact } from '../../../scripts/issuer/lib/index.ts';
import { memoryStore } from '../../../utils/verify/ports.ts';
import { findIssuer, loadRegistry, type VerifiedRegistry } from '../../../utils/verify/registry.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';
import {
  al1,
  at,
  context,
  deflatedPayload,
  getWorld,
  ISSUER,
  issue,
  NOW,
  REMOTE_ISSUER,
  URLS,
  type World,
} from '../../support/fixtures.ts';

const IDENTITY = base64url.encode(Uint8Array.from([1, ...new Array(31).fill(0)]));
const ZERO_S_IDENTITY_R = base64url.encode(Uint8Array.from([1, ...new Array(63).fill(0)]));

let world: World;
let registry: VerifiedRegistry;
let bad: Record<string, object>;

/** R = identity, S = 0 under a kid: valid for every message if the key is of small order. */
const smallOrderForgery = (kid: string, overrides = {}) => {
  const header = base64url.encode(JSON.stringify({ alg: 'EdDSA', typ: 'al+jwt', kid, zip: 'DEF' }));
  return al1(`${header}.${base64url.encode(deflatedPayload(overrides))}.${ZERO_S_IDENTITY_R}`);
};

beforeAll(async () => {
  world = await getWorld();
  const good = world.issuerKey.publicJwk as { x: string; y: string };
  const flipped = `${good.y.slice(0, 10)}${good.y[10] === 'A' ? 'B' : 'A'}${good.y.slice(11)}`;
  bad = {
    offCurve: { kty: 'EC', crv: 'P-256', x: good.x, y: flipped, kid: 'off-curve' },
    smallOrder: { kty: 'OKP', crv: 'Ed25519', x: IDENTITY, kid: 'small-order' },
    // The attacker's real key pair, published with its private half: a leaked key signs nothing.
    withD: world.attackerKey.privateJwk,
    sm2WithP256Point: { kty: 'EC', crv: 'SM2', x: good.x, y: good.y, kid: 'sm2-p256' },
  };
  const description = structuredClone(world.description);
  const issuer = description.issuers.find((i) => i.id === ISSUER)!;
  issuer.jwks = { keys: [...(issuer.jwks?.keys ?? []), ...Object.values(bad)] };
  // signRegistry refuses to publish a private key; this registry is hostile on purpose.
  const payload = { ...description, version: 50, iat: NOW - 60, exp: NOW + 30 * 86_400 };
  const jws = await signCompact({ typ: 'al-registry+jwt' }, jsonBytes(payload), world.root.privateJwk);
  const load = await loadRegistry(jws, world.rootJwks, { currentDate: at(NOW), store: memoryStore() });
  if (!load.ok) throw new Error(`${load.problem}: ${load.detail}`);
  registry = load.registry;
});

describe('invalid keys listed in the registry', () => {
  it('keeps the registry and the issuer: its good keys still verify', async () => {
    expect(findIssuer(registry, ISSUER)?.jwks.map((k) => k.kty)).toEqual(['EC', 'OKP', ...Array(4).fill('unusable')]);
    const verdict = await verifyLetter(await issue(world.issuerKey), await context({ registry }));
    expect(verdict).toMatchObject({ verdict: 'valid', reasons: [] });
  });

  const underKid = (kid: string) => issue({ ...world.issuerKey, privateJwk: { ...world.issuerKey.privateJwk, kid } });
  /** An SM2 header under a kid, with a 64-byte signature: it must never reach a signature check. */
  const sm2Token = (kid: string) => {
    const header = base64url.encode(JSON.stringify({ alg: 'SM2', typ: 'al+jwt', kid, zip: 'DEF' }));
    return al1(`${header}.${base64url.encode(deflatedPayload())}.${base64url.encode(new Uint8Array(64).fill(7))}`);
  };

  it.each([
    ['a P-256 key off its curve (ES256 token)', () => underKid('off-curve')],
    ['an Ed25519 key of small order, R = identity and S = 0', async () => smallOrderForgery('small-order')],
    ['a key published with its private member d, letter signed by it', () => issue(world.attackerKey)],
    ['an SM2 key with P-256 coordinates, ES256 token', () => underKid('sm2-p256')],
    ['an SM2 key with P-256 coordinates, SM2 token', async () => sm2Token('sm2-p256')],
    ['a P-256 key, SM2 token', async () => sm2Token(world.issuerKey.kid)],
  ])('gives KEY_UNKNOWN to %s', async (_, build) => {
    const options = await context({ registry });
    const verdict = await verifyLetter(await build(), options);
    expect(verdict.reasons).toEqual(['KEY_UNKNOWN']);
    expect(options.calls).toEqual([]); // no status fetch for a letter whose key is unusable
  });

  it('never lets the small-order forgery through, whatever the letter says', async () => {
    for (const sub_name of ['支付宝', '邓州市陶营镇卫生院']) {
      const verdict = await verifyLetter(smallOrderForgery('small-order', { sub_name }), await context({ registry }));
      expect(verdict.verdict).toBe('invalid');
    }
  });
});

describe('a kid shared by a good key and an invalid one', () => {
  it('gives KEY_UNKNOWN whichever of the two is listed first', async () => {
    const good = world.issuerKey.publicJwk as { x: string; y: string; kid: string };
    const twin = { kty: 'EC', crv: 'P-256', x: good.x, y: good.x, kid: good.kid };
    for (const keys of [
      [world.issuerKey.publicJwk, twin],
      [twin, world.issuerKey.publicJwk],
    ]) {
      const description = structuredClone(world.description);
      const issuer = description.issuers.find((i) => i.id === ISSUER)!;
      issuer.jwks = { keys };
      const payload = { ...description, version: 60, iat: NOW - 60, exp: NOW + 30 * 86_400 };
      const jws = await signCompact({ typ: 'al-registry+jwt' }, jsonBytes(payload), world.root.privateJwk);
      const load = await loadRegistry(jws, world.rootJwks, { currentDate: at(NOW), store: memoryStore() });
      if (!load.ok) throw new Error(load.problem);
      const verdict = await verifyLetter(await issue(world.issuerKey), await context({ registry: load.registry }));
      expect(verdict.reasons).toEqual(['KEY_UNKNOWN']);
    }
  });
});

describe('invalid keys served at jwks_uri', () => {
  it('keeps the good ones and gives KEY_UNKNOWN under the bad kid, without refetching for it', async () => {
    const served = new Map(world.served);
    served.set(
      URLS.remoteJwks,
      jsonBytes({ keys: [world.remoteKey.publicJwk, { ...bad.smallOrder, kid: 'remote-small' }, bad.withD] }),
    );
    const remote = { iss: REMOTE_ISSUER, region: ['411302001'], status: undefined };
    const options = await context();
    const calls: string[] = [];
    options.fetcher = async (url) => {
      calls.push(url);
      const body = served.get(url);
      return body ? { ok: true, body } : { ok: false, failure: 'NETWORK' };
    };
    expect(await verifyLetter(await issue(world.remoteKey, remote), options)).toMatchObject({ verdict: 'valid' });
    const forged = await verifyLetter(smallOrderForgery('remote-small', remote), options);
    expect(forged.reasons).toEqual(['KEY_UNKNOWN']);
    expect((await verifyLetter(await issue(world.attackerKey, remote), options)).reasons).toEqual(['KEY_UNKNOWN']);
    expect(calls).toEqual([URLS.remoteJwks]);
  });
});

describe('invalid root keys', () => {
  it('never uses a bad root key, and still uses the good one beside it', async () => {
    const rootBad = { kty: 'OKP', crv: 'Ed25519', x: IDENTITY, kid: 'root-small' };
    const roots = { keys: [rootBad, world.root.publicJwk] };
    const good = await loadRegistry(world.registryJws, roots, { currentDate: at(NOW), store: memoryStore() });
    expect(good.ok).toBe(true);
    const header = base64url.encode(JSON.stringify({ alg: 'EdDSA', typ: 'al-registry+jwt', kid: 'root-small' }));
    const forged = `${header}.${world.registryJws.split('.')[1]}.${ZERO_S_IDENTITY_R}`;
    const load = await loadRegistry(forged, roots, { currentDate: at(NOW), store: memoryStore() });
    expect(load).toMatchObject({ ok: false, problem: 'REGISTRY_KEY_UNKNOWN' });
  });

  it('refuses a root key set with only a small-order key (ROOT_KEYS_INVALID)', async () => {
    const roots = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: IDENTITY, kid: 'r' }] };
    const load = await loadRegistry(world.registryJws, roots, { currentDate: at(NOW), store: memoryStore() });
    expect(load).toMatchObject({ ok: false, problem: 'ROOT_KEYS_INVALID' });
  });

  it('refuses a root key set whose private root key was pasted in', async () => {
    const load = await loadRegistry(
      world.registryJws,
      { keys: [world.root.privateJwk] },
      { currentDate: at(NOW), store: memoryStore() },
    );
    expect(load).toMatchObject({ ok: false, problem: 'ROOT_KEYS_INVALID' });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { findIssuerKey } from '../../../utils/verify/issuer-keys.ts';
import { memoryStore } from '../../../utils/verify/ports.ts';
import { findIssuer, type VerifiedRegistry } from '../../../utils/verify/registry.ts';
import {
  at,
  getWorld,
  ISSUER,
  NOW,
  REMOTE_ISSUER,
  URLS,
  verifiedRegistry,
  type World,
  worldFetcher,
} from '../../support/fixtures.ts';

let world: World;
let registry: VerifiedRegistry;
beforeAll(async () => {
  world = await getWorld();
  registry = await verifiedRegistry(world);
});

const remoteIssuer = () => findIssuer(registry, REMOTE_ISSUER)!;
const down = async () => ({ ok: false as const, failure: 'TIMEOUT' as const });

describe('findIssuerKey', () => {
  it('finds both keys of an issuer that rotated, without any fetch', async () => {
    const calls: string[] = [];
    const issuer = findIssuer(registry, ISSUER)!;
    const context = { store: memoryStore(), fetcher: worldFetcher(world, calls), currentDate: at(NOW) };
    expect(await findIssuerKey(issuer, world.issuerKey.kid, context)).toMatchObject({ ok: true, source: 'inline' });
    expect(await findIssuerKey(issuer, world.rotatedKey.kid, context)).toMatchObject({ ok: true, source: 'inline' });
    expect(calls).toEqual([]);
  });

  it('reports KEY_UNKNOWN without fetching for an issuer with no jwks_uri', async () => {
    const issuer = findIssuer(registry, ISSUER)!;
    const lookup = await findIssuerKey(issuer, 'nope', { store: memoryStore(), fetcher: down, currentDate: at(NOW) });
    expect(lookup).toEqual({ ok: false, reason: 'KEY_UNKNOWN' });
  });

  it('caches the jwks_uri answer and uses the cache when the network later fails', async () => {
    const store = memoryStore();
    const calls: string[] = [];
    await findIssuerKey(remoteIssuer(), world.remoteKey.kid, {
      store,
      fetcher: worldFetcher(world, calls),
      currentDate: at(NOW),
    });
    expect(calls).toEqual([URLS.remoteJwks]);
    const later = await findIssuerKey(remoteIssuer(), world.remoteKey.kid, {
      store,
      fetcher: down,
      currentDate: at(NOW + 86_400),
    });
    expect(later).toMatchObject({ ok: true, source: 'jwks_uri' });
  });

  it('does not fetch again while the cached JWKS is fresh', async () => {
    const store = memoryStore();
    const calls: string[] = [];
    const fetcher = worldFetcher(world, calls);
    await findIssuerKey(remoteIssuer(), world.remoteKey.kid, { store, fetcher, currentDate: at(NOW) });
    await findIssuerKey(remoteIssuer(), world.remoteKey.kid, { store, fetcher, currentDate: at(NOW + 600) });
    expect(calls).toHaveLength(1);
  });

  it('asks again when a fresh cache lacks the kid (a key rotated in since)', async () => {
    const store = memoryStore();
    const calls: string[] = [];
    const fetcher = worldFetcher(world, calls);
    await findIssuerKey(remoteIssuer(), world.remoteKey.kid, { store, fetcher, currentDate: at(NOW) });
    const lookup = await findIssuerKey(remoteIssuer(), 'rotated-in', { store, fetcher, currentDate: at(NOW + 60) });
    expect(lookup).toEqual({ ok: false, reason: 'KEY_UNKNOWN' });
    expect(calls).toHaveLength(2);
  });

  it('does not refetch for an unknown kid within a minute of the last fetch (forged letters cannot flood the issuer)', async () => {
    const store = memoryStore();
    const calls: string[] = [];
    const fetcher = worldFetcher(world, calls);
    await findIssuerKey(remoteIssuer(), world.remoteKey.kid, { store, fetcher, currentDate: at(NOW) });
    for (let i = 0; i < 20; i++) {
      const lookup = await findIssuerKey(remoteIssuer(), `made-up-${i}`, { store, fetcher, currentDate: at(NOW + 30) });
      expect(lookup).toEqual({ ok: false, reason: 'KEY_UNKNOWN' });
    }
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['offline', null],
    ['unreachable', down],
  ])('reports KEYS_UNAVAILABLE when %s with nothing cached', async (_, fetcher) => {
    const lookup = await findIssuerKey(remoteIssuer(), world.remoteKey.kid, {
      store: memoryStore(),
      fetcher,
      currentDate: at(NOW),
    });
    expect(lookup).toEqual({ ok: false, reason: 'KEYS_UNAVAILABLE' });
  });

  it('goes on with the cached JWKS when jwks_uri later answers a login page', async () => {
    const store = memoryStore();
    await findIssuerKey(remoteIssuer(), world.remoteKey.kid, {
      store,
      fetcher: worldFetcher(world),
      currentDate: at(NOW),
    });
    const portal = async () => ({
      ok: true as const,
      body: new TextEncoder().encode('<!DOCTYPE html><title>登录</title>'),
    });
    const later = await findIssuerKey(remoteIssuer(), world.remoteKey.kid, {
      store,
      fetcher: portal,
      currentDate: at(NOW + 2 * 3600),
    });
    expect(later).toMatchObject({ ok: true, source: 'jwks_uri' });
    // The cached JWKS is still the one served before, not replaced by the page.
    expect((await store.getEntry(`jwks:${URLS.remoteJwks}`))?.body).toEqual(world.served.get(URLS.remoteJwks));
  });

  it('reads a JWKS served with a UTF-8 byte order mark (a Windows editor saved it)', async () => {
    const withBom = `\uFEFF${new TextDecoder().decode(world.served.get(URLS.remoteJwks))}\r\n`;
    const serve = async () => ({ ok: true as const, body: new TextEncoder().encode(withBom) });
    const lookup = await findIssuerKey(remoteIssuer(), world.remoteKey.kid, {
      store: memoryStore(),
      fetcher: serve,
      currentDate: at(NOW),
    });
    expect(lookup).toMatchObject({ ok: true, source: 'jwks_uri' });
  });

  it('treats a jwks_uri body that is not a JWKS as unreachable', async () => {
    const junk = async () => ({ ok: true as const, body: new TextEncoder().encode('<html>') });
    const lookup = await findIssuerKey(remoteIssuer(), world.remoteKey.kid, {
      store: memoryStore(),
      fetcher: junk,
      currentDate: at(NOW),
    });
    expect(lookup).toEqual({ ok: false, reason: 'KEYS_UNAVAILABLE' });
  });
});

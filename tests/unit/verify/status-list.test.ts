import { beforeAll, describe, expect, it } from 'vitest';
import { makeStatusList, setStatus, signStatusList, updateStatusList } from '../../../scripts/issuer/lib/index.ts';
import { memoryStore } from '../../../utils/verify/ports.ts';
import { findIssuer, type VerifiedRegistry } from '../../../utils/verify/registry.ts';
import { checkLetterStatus, statusMeaning, statusValue } from '../../../utils/verify/status-list.ts';
import {
  at,
  DAY,
  getWorld,
  ISSUER,
  NOW,
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

const issuer = () => {
  const found = findIssuer(registry, ISSUER);
  if (!found) throw new Error('fixture issuer missing');
  return found;
};

describe('statusValue', () => {
  it.each([
    [[0b0000_1000], 1, 3, 1],
    [[0b0000_1000], 1, 2, 0],
    [[0b0000_0000, 0b0000_0001], 1, 8, 1],
    [[0b1001_0000], 2, 2, 1],
    [[0b1001_0000], 2, 3, 2],
    [[0b0000_0000], 2, 4, null],
  ] as const)('reads %j with %i bits at index %i as %s (least significant bit first)', (bytes, bits, idx, value) => {
    expect(statusValue(new Uint8Array(bytes), bits, idx)).toBe(value);
  });

  it.each([
    [0, 1, 'valid'],
    [1, 1, 'revoked'],
    [1, 2, 'revoked'],
    [2, 2, 'suspended'],
    [3, 2, 'unknown'],
    [null, 1, 'unknown'],
  ] as const)('means value %s in a %i-bit list as %s', (value, bits, state) => {
    expect(statusMeaning(value, bits)).toBe(state);
  });
});

describe('checkLetterStatus caching', () => {
  const ref = { idx: 3, uri: URLS.status1 };

  it('uses a cached list younger than its ttl without fetching', async () => {
    const store = memoryStore();
    const calls: string[] = [];
    const fetcher = worldFetcher(world, calls);
    expect((await checkLetterStatus(ref, issuer(), { store, fetcher, currentDate: at(NOW) })).state).toBe('revoked');
    const again = await checkLetterStatus(ref, issuer(), { store, fetcher, currentDate: at(NOW + 3000) });
    expect(again).toMatchObject({ state: 'revoked', checkedAt: NOW * 1000 });
    expect(calls).toEqual([URLS.status1]);
  });

  it('fetches again once the ttl has passed', async () => {
    const store = memoryStore();
    const calls: string[] = [];
    const fetcher = worldFetcher(world, calls);
    await checkLetterStatus(ref, issuer(), { store, fetcher, currentDate: at(NOW) });
    const later = await checkLetterStatus(ref, issuer(), { store, fetcher, currentDate: at(NOW + 3700) });
    expect(later.checkedAt).toBe((NOW + 3700) * 1000);
    expect(calls).toEqual([URLS.status1, URLS.status1]);
  });

  it('falls back to a cached list younger than ttl + 7 days when unreachable, and not older', async () => {
    const store = memoryStore();
    await checkLetterStatus(ref, issuer(), { store, fetcher: worldFetcher(world), currentDate: at(NOW) });
    const within = await checkLetterStatus(ref, issuer(), {
      store,
      fetcher: null,
      currentDate: at(NOW + 3600 + 6 * DAY),
    });
    expect(within).toMatchObject({ state: 'revoked', checkedAt: NOW * 1000 });
    // The list itself expires 7 days after its iat; past ttl + 7 days nothing is usable.
    const beyond = await checkLetterStatus(ref, issuer(), {
      store,
      fetcher: null,
      currentDate: at(NOW + 3600 + 7 * DAY + 1),
    });
    expect(beyond).toMatchObject({ state: 'unknown', checkedAt: null });
  });

  it.each([
    ['a captive portal page', () => '<html><head><title>Wi-Fi 登录</title></head></html>'],
    ['JSON', () => '{"status":"ok"}'],
    ['a registry (a JWS of another typ)', () => world.registryJws],
  ])('goes on with the cached list when the server answers %s, exactly as when unreachable', async (_, answer) => {
    const store = memoryStore();
    await checkLetterStatus(ref, issuer(), { store, fetcher: worldFetcher(world), currentDate: at(NOW) });
    const body = new TextEncoder().encode(answer());
    const portal = async () => ({ ok: true as const, body });
    const later = { store, fetcher: portal, currentDate: at(NOW + 2 * 3600) };
    expect(await checkLetterStatus(ref, issuer(), later)).toMatchObject({ state: 'revoked', checkedAt: NOW * 1000 });
    expect(await checkLetterStatus(ref, issuer(), { ...later, store: memoryStore() })).toMatchObject({
      state: 'unknown',
      checkedAt: null,
    });
  });

  it('does not trust a cached list past the grace period even if its own exp is later', async () => {
    const list = setStatus(makeStatusList({ uri: URLS.status1, bits: 1, size: 16 }), 3, 'revoked');
    const body = await signStatusList(list, world.issuerKey.privateJwk, { now: NOW, ttl: 60, validSeconds: 365 * DAY });
    const store = memoryStore();
    const serve = async () => ({ ok: true as const, body: new TextEncoder().encode(body) });
    await checkLetterStatus(ref, issuer(), { store, fetcher: serve, currentDate: at(NOW) });
    const result = await checkLetterStatus(ref, issuer(), {
      store,
      fetcher: null,
      currentDate: at(NOW + 60 + 7 * DAY + 1),
    });
    expect(result.state).toBe('unknown');
  });

  it('keeps the newer list held when the server answers an older one (a list replayed from before a revocation)', async () => {
    const before = await signStatusList(
      makeStatusList({ uri: URLS.status1, bits: 1, size: 16 }),
      world.issuerKey.privateJwk,
      {
        now: NOW - 600,
        ttl: 60,
      },
    );
    const after = await updateStatusList(before, [{ idx: 3, status: 'revoked' }], world.issuerKey.privateJwk, {
      now: NOW,
      ttl: 60,
    });
    let body = after;
    const serve = async () => ({ ok: true as const, body: new TextEncoder().encode(body) });
    const store = memoryStore();
    expect((await checkLetterStatus(ref, issuer(), { store, fetcher: serve, currentDate: at(NOW) })).state).toBe(
      'revoked',
    );
    body = before; // still signed by the issuer, still within its exp: only its iat gives it away
    const replayed = await checkLetterStatus(ref, issuer(), { store, fetcher: serve, currentDate: at(NOW + 120) });
    expect(replayed).toMatchObject({ state: 'revoked', checkedAt: NOW * 1000 });
    // With nothing newer held (another machine), the same old list is all there is, and it is used.
    const fresh = await checkLetterStatus(ref, issuer(), {
      store: memoryStore(),
      fetcher: async () => serve(),
      currentDate: at(NOW + 120),
    });
    expect(fresh.state).toBe('valid');
  });

  it('sees a revocation published after a letter was first checked', async () => {
    const list = makeStatusList({ uri: URLS.status1, bits: 1, size: 16 });
    let body = await signStatusList(list, world.issuerKey.privateJwk, { now: NOW, ttl: 60 });
    const serve = async () => ({ ok: true as const, body: new TextEncoder().encode(body) });
    const store = memoryStore();
    expect((await checkLetterStatus(ref, issuer(), { store, fetcher: serve, currentDate: at(NOW) })).state).toBe(
      'valid',
    );
    body = await updateStatusList(body, [{ idx: 3, status: 'revoked' }], world.issuerKey.privateJwk, {
      now: NOW + 100,
    });
    expect((await checkLetterStatus(ref, issuer(), { store, fetcher: serve, currentDate: at(NOW + 120) })).state).toBe(
      'revoked',
    );
  });

  it('reads and verifies a list once for a batch of letters naming it, and again for a new registry', async () => {
    const inner = memoryStore();
    const reads: string[] = [];
    const store = {
      ...inner,
      getEntry: (key: string) => {
        reads.push(key);
        return inner.getEntry(key);
      },
    };
    const calls: string[] = [];
    const fetcher = worldFetcher(world, calls);
    for (let idx = 0; idx < 30; idx++) {
      const state = (
        await checkLetterStatus({ idx, uri: URLS.status1 }, issuer(), { store, fetcher, currentDate: at(NOW) })
      ).state;
      expect(state).toBe(idx === 3 ? 'revoked' : 'valid');
    }
    expect(reads).toEqual([`status:${URLS.status1}`]);
    expect(calls).toEqual([URLS.status1]);
    // Another registry object (a refresh) may have withdrawn the key: the list is verified again.
    const refreshed = findIssuer(await verifiedRegistry(world), ISSUER)!;
    await checkLetterStatus(ref, refreshed, { store, fetcher, currentDate: at(NOW + 10) });
    expect(reads).toHaveLength(2);
    expect(calls).toHaveLength(1);
  });

  it('answers unknown for a status list bomb instead of inflating it', async () => {
    const list = makeStatusList({ uri: URLS.status1, bits: 1, size: 8 * 32 * 1024 * 1024 });
    const body = await signStatusList(list, world.issuerKey.privateJwk, { now: NOW, ttl: 60 });
    const serve = async () => ({ ok: true as const, body: new TextEncoder().encode(body) });
    const result = await checkLetterStatus(ref, issuer(), {
      store: memoryStore(),
      fetcher: serve,
      currentDate: at(NOW),
    });
    expect(result.state).toBe('unknown');
    expect(result.detail).toContain('TOO_LARGE');
  });
});

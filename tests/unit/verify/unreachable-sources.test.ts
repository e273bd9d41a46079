import { beforeAll, describe, expect, it } from 'vitest';
import type { Fetcher, FetchOutcome } from '../../../utils/verify/ports.ts';
import { memoryStore } from '../../../utils/verify/ports.ts';
import type { VerifiedRegistry } from '../../../utils/verify/registry.ts';
import { obtainRegistry } from '../../../utils/verify/registry-source.ts';
import { fetchSource, UNREACHABLE_RETRY_MS } from '../../../utils/verify/unreachable-sources.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';
import {
  at,
  getWorld,
  issue,
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

/**
 * A fetcher whose answers for `hanging` URLs wait until the test lets them time out, as a
 * server that accepts and never answers does until the 10 s limit; other URLs are served
 * from the world. Nothing waits on a real clock.
 */
function hangingFetcher(hanging: readonly string[]) {
  const calls: string[] = [];
  const waiting: ((outcome: FetchOutcome) => void)[] = [];
  const served = worldFetcher(world);
  const fetcher: Fetcher = (url) => {
    calls.push(url);
    if (!hanging.includes(url)) return served(url);
    return new Promise((resolve) => waiting.push(resolve));
  };
  /** Lets every fetch now waiting end as a timeout; returns how many there were. */
  const timeOut = () => {
    const count = waiting.length;
    for (const resolve of waiting.splice(0)) resolve({ ok: false, failure: 'TIMEOUT', detail: 'no answer in 10 s' });
    return count;
  };
  return { fetcher, calls, timeOut };
}

/** Resolves once every promise has settled, letting timed-out fetches end as they start. */
async function settleAll<T>(promises: Promise<T>[], net: { timeOut: () => number }): Promise<T[]> {
  let done = false;
  const all = Promise.all(promises).finally(() => {
    done = true;
  });
  // Each round ends the fetches in flight, as the 10 s timer would; a letter that started a
  // second fetch of the same URL would need a second round.
  let rounds = 0;
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    if (net.timeOut() > 0) rounds += 1;
  }
  expect(rounds).toBe(1);
  return all;
}

const remoteLetters = (count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, n) =>
      issue(world.remoteKey, { iss: REMOTE_ISSUER, region: ['411302'], status: undefined, jti: `WC-${n}` }),
    ),
  );

describe('a dead server costs one timeout, not one per letter (issue 9 item 3)', () => {
  it('checks 6 letters of an issuer whose jwks_uri hangs with one fetch, all KEYS_UNAVAILABLE', async () => {
    const net = hangingFetcher([URLS.remoteJwks]);
    const store = memoryStore();
    const letters = await remoteLetters(6);
    const verdicts = await settleAll(
      letters.map((text) => verifyLetter(text, { currentDate: at(NOW), registry, store, fetcher: net.fetcher })),
      net,
    );
    expect(verdicts.map((v) => v.reasons)).toEqual(Array(6).fill(['KEYS_UNAVAILABLE']));
    expect(net.calls).toEqual([URLS.remoteJwks]);
  });

  it('checks 5 letters naming one hanging status list with one fetch, all STATUS_UNKNOWN', async () => {
    const net = hangingFetcher([URLS.statusUnreachable]);
    const store = memoryStore();
    const letters = await Promise.all(
      [0, 1, 2, 3, 4].map((idx) =>
        issue(world.issuerKey, { status: { status_list: { idx, uri: URLS.statusUnreachable } }, jti: `DZ-${idx}` }),
      ),
    );
    const verdicts = await settleAll(
      letters.map((text) => verifyLetter(text, { currentDate: at(NOW), registry, store, fetcher: net.fetcher })),
      net,
    );
    expect(verdicts.map((v) => v.reasons)).toEqual(Array(5).fill(['STATUS_UNKNOWN']));
    expect(net.calls).toEqual([URLS.statusUnreachable]);
  });

  it('gives the letters checked after a failure their warning at once, and asks again after a minute', async () => {
    const calls: string[] = [];
    const down: Fetcher = async (url) => {
      calls.push(url);
      return { ok: false, failure: 'TIMEOUT' };
    };
    const store = memoryStore();
    const letters = await remoteLetters(6);
    for (const [n, text] of letters.entries()) {
      const verdict = await verifyLetter(text, { currentDate: at(NOW + n * 10), registry, store, fetcher: down });
      expect(verdict.reasons).toEqual(['KEYS_UNAVAILABLE']);
    }
    expect(calls).toEqual([URLS.remoteJwks]);
    const later = at(NOW + UNREACHABLE_RETRY_MS / 1000);
    await verifyLetter(letters[0] as string, { currentDate: later, registry, store, fetcher: down });
    expect(calls).toEqual([URLS.remoteJwks, URLS.remoteJwks]);
  });

  it('remembers a jwks_uri that answers a login page as unreachable too', async () => {
    const calls: string[] = [];
    const portal: Fetcher = async (url) => {
      calls.push(url);
      return { ok: true, body: new TextEncoder().encode('<html><title>登录</title></html>') };
    };
    const store = memoryStore();
    for (const text of await remoteLetters(4)) {
      const verdict = await verifyLetter(text, { currentDate: at(NOW), registry, store, fetcher: portal });
      expect(verdict.reasons).toEqual(['KEYS_UNAVAILABLE']);
    }
    expect(calls).toEqual([URLS.remoteJwks]);
  });

  it('shares one fetch among letters in flight together when the source answers', async () => {
    const calls: string[] = [];
    const served = worldFetcher(world);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Fetcher = async (url) => {
      calls.push(url);
      await gate;
      return served(url);
    };
    const store = memoryStore();
    const pending = (await remoteLetters(6)).map((text) =>
      verifyLetter(text, { currentDate: at(NOW), registry, store, fetcher: slow }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect((await Promise.all(pending)).map((v) => v.verdict)).toEqual(Array(6).fill('valid'));
    expect(calls).toEqual([URLS.remoteJwks]);
  });

  it('keeps the key rotation rule: an unknown kid refetches jwks_uri at most once a minute', async () => {
    const calls: string[] = [];
    const fetcher = worldFetcher(world, calls);
    const store = memoryStore();
    const options = (seconds: number) => ({ currentDate: at(NOW + seconds), registry, store, fetcher });
    const [known] = await remoteLetters(1);
    expect((await verifyLetter(known as string, options(0))).verdict).toBe('valid');
    const unknown = await issue(world.attackerKey, { iss: REMOTE_ISSUER, region: ['411302'], status: undefined });
    for (const seconds of [10, 20, 30]) {
      expect((await verifyLetter(unknown, options(seconds))).reasons).toContain('KEY_UNKNOWN');
    }
    expect(calls).toEqual([URLS.remoteJwks]);
    expect((await verifyLetter(unknown, options(61))).reasons).toContain('KEY_UNKNOWN');
    expect(calls).toEqual([URLS.remoteJwks, URLS.remoteJwks]);
  });

  it('does not retry a registry URL that failed within the minute', async () => {
    const calls: string[] = [];
    const down: Fetcher = async (url) => {
      calls.push(url);
      return { ok: false, failure: 'NETWORK' };
    };
    const base = { source: { url: URLS.registry }, rootJwks: world.rootJwks, store: memoryStore(), fetcher: down };
    for (const seconds of [0, 30, 59]) {
      const result = await obtainRegistry({ ...base, currentDate: at(NOW + seconds) });
      expect(result).toMatchObject({ problem: 'REGISTRY_UNREACHABLE', failure: 'NETWORK' });
    }
    expect(calls).toEqual([URLS.registry]);
    await obtainRegistry({ ...base, currentDate: at(NOW + 60) });
    expect(calls).toEqual([URLS.registry, URLS.registry]);
    // A person's "refresh now" asks at once.
    await obtainRegistry({ ...base, currentDate: at(NOW + 61), retryNow: true });
    expect(calls).toEqual([URLS.registry, URLS.registry, URLS.registry]);
  });

  it('keeps what it remembers per fetcher: a new run (a new fetcher) asks again', async () => {
    const calls: string[] = [];
    const makeDown = (): Fetcher => async (url) => {
      calls.push(url);
      return { ok: false, failure: 'TIMEOUT' };
    };
    const first = makeDown();
    await fetchSource(first, URLS.status1, at(NOW));
    await fetchSource(first, URLS.status1, at(NOW));
    await fetchSource(makeDown(), URLS.status1, at(NOW));
    expect(calls).toEqual([URLS.status1, URLS.status1]);
  });

  it('asks again when the clock goes back, and turns a fetcher that throws into NETWORK for everyone waiting', async () => {
    const calls: string[] = [];
    const throwing: Fetcher = async (url) => {
      calls.push(url);
      throw new Error('socket hang up');
    };
    const outcomes = await Promise.all([
      fetchSource(throwing, URLS.status2, at(NOW)),
      fetchSource(throwing, URLS.status2, at(NOW)),
    ]);
    expect(outcomes).toEqual([
      { ok: false, failure: 'NETWORK', detail: 'socket hang up' },
      { ok: false, failure: 'NETWORK', detail: 'socket hang up' },
    ]);
    expect(calls).toHaveLength(1);
    await fetchSource(throwing, URLS.status2, at(NOW - 3600));
    expect(calls).toHaveLength(2);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { signRegistry } from '../../../scripts/issuer/lib/index.ts';
import { memoryStore, type VerifierStore } from '../../../utils/verify/ports.ts';
import { overallVerdict, REASON_CODES } from '../../../utils/verify/reason-codes.ts';
import { loadRegistry } from '../../../utils/verify/registry.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';
import { at, context, getWorld, ISSUER, issue, NOW, type World } from '../../support/fixtures.ts';
import { REASON_FIXTURES } from '../../support/fixtures-reasons.ts';

let world: World;
beforeAll(async () => {
  world = await getWorld();
});

describe('verifyLetter on generated fixtures', () => {
  it.each(REASON_FIXTURES.map((f) => [f.name, f] as const))(
    'reports exactly the expected codes for %s',
    async (_, fixture) => {
      const { text, options } = await fixture.build(world);
      const verdict = await verifyLetter(text, await context(options));
      expect(verdict.reasons).toEqual(fixture.reasons);
      expect(verdict.verdict).toBe(overallVerdict(fixture.reasons));
      if (fixture.status) expect(verdict.facts.status.state).toBe(fixture.status);
    },
  );
});

describe('every reason code', () => {
  it.each([...REASON_CODES])('has a generated fixture that triggers %s', (code) => {
    expect(REASON_FIXTURES.some((f) => f.reasons.includes(code))).toBe(true);
  });
});

describe('verdict facts', () => {
  it('fills every fact from the registry for a valid letter', async () => {
    const ctx = await context();
    const verdict = await verifyLetter(await issue(world.issuerKey), ctx);
    expect(verdict.verdict).toBe('valid');
    expect(verdict.letter).toMatchObject({
      iss: ISSUER,
      scope: ['ehi.voucher.assist'],
      region: ['411381121'],
      jti: 'DZ-2026-0017',
    });
    expect(verdict.facts).toMatchObject({
      issuerName: { 'zh-CN': '邓州市医疗保障局' },
      issuerContact: { phone: '0377-62000000', url: 'https://dengzhou.example.gov.cn' },
      issuerJurisdiction: ['411381'],
      registry: { iss: 'cn-hsa-henan-root', version: 42, stale: false },
      status: { state: 'valid', checkedAt: NOW * 1000 },
      clockSuspect: false,
      checkedAt: NOW * 1000,
    });
    expect(verdict.facts.scopes).toEqual([
      expect.objectContaining({ id: 'ehi.voucher.assist', label: expect.objectContaining({ en: expect.any(String) }) }),
    ]);
    expect(verdict.facts.scopes[0]?.excludes).toHaveLength(2);
  });

  it('still decodes the letter when its signature fails, so people see what it claimed', async () => {
    const verdict = await verifyLetter(await issue(world.attackerKey, { sub_name: '冒名诊所' }), await context());
    expect(verdict.reasons).toEqual(['KEY_UNKNOWN']);
    expect(verdict.letter?.sub_name).toBe('冒名诊所');
    expect(verdict.facts.status.state).toBe('not-checked');
  });

  it('never fetches a status list named by a letter whose signature failed', async () => {
    const ctx = await context();
    await verifyLetter(
      await issue(world.attackerKey, { status: { status_list: { idx: 0, uri: 'https://tracker.example/s' } } }),
      ctx,
    );
    expect(ctx.calls).toEqual([]);
  });

  it('fetches nothing at all when offline (fetcher null)', async () => {
    const ctx = await context({ fetcher: null });
    const verdict = await verifyLetter(
      await issue(world.remoteKey, { iss: 'cn-hsa-411302', region: ['411302001'], status: undefined }),
      ctx,
    );
    expect(verdict.reasons).toEqual(['KEYS_UNAVAILABLE']);
    expect(verdict.verdict).toBe('warning');
  });

  it('flags a clock earlier than a registry it has already verified', async () => {
    const ctx = await context({ currentDate: new Date((NOW - 30 * 86_400) * 1000) });
    const verdict = await verifyLetter(await issue(world.issuerKey, { nbf: NOW - 40 * 86_400 }), ctx);
    expect(verdict.facts.clockSuspect).toBe(true);
  });

  it('flags a clock earlier than a status list it has already verified', async () => {
    const ctx = await context();
    await verifyLetter(await issue(world.issuerKey), ctx);
    // The registry was signed a day before NOW, the status list a minute before: only the list can tell.
    const verdict = await verifyLetter(await issue(world.issuerKey, { status: undefined }), {
      ...ctx,
      currentDate: new Date((NOW - 3600) * 1000),
    });
    expect(verdict.facts.clockSuspect).toBe(true);
  });

  it('does not flag a clock a few minutes behind (inside the skew)', async () => {
    const ctx = await context();
    await verifyLetter(await issue(world.issuerKey), ctx);
    const verdict = await verifyLetter(await issue(world.issuerKey), {
      ...ctx,
      currentDate: new Date((NOW - 200) * 1000),
    });
    expect(verdict.facts.clockSuspect).toBe(false);
  });

  it.each([
    ['an empty string', ''],
    ['text without the prefix', 'eyJhbGciOiJFUzI1NiJ9.e30.AA'],
    ['the prefix alone', 'AL1:'],
    ['four parts', 'AL1:a.b.c.d'],
    ['a JSON array header', 'AL1:W10.e30.AA'],
    ['a non-string', 42 as unknown as string],
  ])('answers MALFORMED, never throwing, for %s', async (_, input) => {
    const verdict = await verifyLetter(input, await context());
    expect(verdict.reasons).toEqual(['MALFORMED']);
    expect(verdict.letter).toBeNull();
  });
});

describe('the newest signed iat, read once per store (not once per letter)', () => {
  const countingStore = () => {
    const inner = memoryStore();
    const reads: string[] = [];
    const store: VerifierStore = {
      ...inner,
      getNumber: (key) => {
        reads.push(key);
        return inner.getNumber(key);
      },
    };
    return { store, reads, inner };
  };

  it('reads the store once for a registry and a batch of letters checked within a minute', async () => {
    const { store, reads } = countingStore();
    const ctx = await context({ store }); // verifies the registry into the store, recording its iat
    const letter = await issue(world.issuerKey, { status: undefined });
    for (let n = 0; n < 20; n++) await verifyLetter(letter, { ...ctx, currentDate: at(NOW + n) });
    expect(reads.filter((key) => key === 'newest-iat')).toHaveLength(1);
  });

  it('sees at once an iat this runtime records, through whichever store wrapper recorded it', async () => {
    const { store } = countingStore();
    const ctx = await context({ store });
    const letter = await issue(world.issuerKey, { status: undefined });
    expect((await verifyLetter(letter, ctx)).facts.clockSuspect).toBe(false);
    const newer = await signRegistry(world.description, world.root.privateJwk, { now: NOW + 3600, version: 43 });
    const load = await loadRegistry(newer.jws, world.rootJwks, { currentDate: at(NOW + 3600), store });
    expect(load.ok).toBe(true);
    expect((await verifyLetter(letter, ctx)).facts.clockSuspect).toBe(true);
  });

  it('reads again after a minute, and at once when the clock goes back, what another process stored', async () => {
    const { store, inner } = countingStore();
    const ctx = await context({ store });
    const letter = await issue(world.issuerKey, { status: undefined });
    expect((await verifyLetter(letter, ctx)).facts.clockSuspect).toBe(false);
    // Another process (a second CLI run on the same cache) saw a list signed an hour from now.
    await inner.putNumber('newest-iat', NOW + 7200);
    const set = (seconds: number) => ({ ...ctx, currentDate: at(seconds) });
    expect((await verifyLetter(letter, set(NOW + 61))).facts.clockSuspect).toBe(true);
    const other = await context({ store: countingStore().store });
    expect((await verifyLetter(letter, other)).facts.clockSuspect).toBe(false);
    await other.store.putNumber('newest-iat', NOW + 7200);
    expect((await verifyLetter(letter, { ...other, currentDate: at(NOW - 1) })).facts.clockSuspect).toBe(true);
  });
});

describe('broken ports', () => {
  const brokenStore = {
    getEntry: async () => {
      throw new Error('IndexedDB closed');
    },
    putEntry: async () => {
      throw new Error('quota');
    },
    getNumber: async () => {
      throw new Error('IndexedDB closed');
    },
    putNumber: async () => {
      throw new Error('quota');
    },
  };

  it('treats a failing store as an empty cache, not as a forged letter', async () => {
    const ctx = await context();
    const verdict = await verifyLetter(await issue(world.issuerKey), { ...ctx, store: brokenStore });
    expect(verdict.reasons).toEqual([]);
  });

  it('treats a fetcher that throws as unreachable', async () => {
    const ctx = await context();
    const throwing = async () => {
      throw new Error('socket hang up');
    };
    const verdict = await verifyLetter(await issue(world.issuerKey), { ...ctx, fetcher: throwing });
    expect(verdict.reasons).toEqual(['STATUS_UNKNOWN']);
  });
});

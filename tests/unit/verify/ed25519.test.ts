/**
 * Strict Ed25519 whichever implementation does the work (issue 7 item 2, letter-format.md
 * section 1): RFC 8032 vectors, small-order and non-canonical cases, WebCrypto and the noble
 * fallback agreeing on random signatures, and the same verdicts with WebCrypto's Ed25519
 * hidden as on Chromium before 137.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { base64url } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeStatusList, setStatus, signStatusList } from '../../../scripts/issuer/lib/index.ts';
import { fromHex, toHex } from '../../../utils/verify/bytes.ts';
import {
  ed25519PointProblem,
  ed25519SignatureProblem,
  forgetEd25519Support,
  NOBLE_ED25519,
  SMALL_ORDER_ENCODINGS,
  verifyEd25519,
  WEBCRYPTO_ED25519,
  webCryptoHasEd25519,
} from '../../../utils/verify/ed25519.ts';
import { concat } from '../../fuzz/mutate.ts';
import {
  al1,
  at,
  deflatedPayload,
  getWorld,
  issue,
  NOW,
  rawSign,
  URLS,
  verifiedRegistry,
  type World,
  withPayload,
  worldFetcher,
} from '../../support/fixtures.ts';
import { hideWebCryptoEd25519 } from '../../support/hide-ed25519.ts';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const ENGINES = [WEBCRYPTO_ED25519, NOBLE_ED25519] as const;

/** RFC 8032 section 7.1, TEST 1-3 (secret key, public key, message, signature). */
const RFC8032 = [
  [
    '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ],
  [
    '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ],
  [
    'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  ],
] as const;

const SMALL_ORDER = SMALL_ORDER_ENCODINGS;

const littleEndian = (value: bigint) => {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return bytes;
};
const scalarLE = (bytes: Uint8Array) => {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  return value;
};

/** A signature whose R carries a torsion component: the cofactored equation holds, the cofactorless one not. */
function signWithDirtyR(secret: Uint8Array, message: Uint8Array): { publicKey: Uint8Array; signature: Uint8Array } {
  const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(secret);
  const r = 1234567n;
  const R = Point.BASE.multiply(r).add(Point.fromBytes(fromHex(SMALL_ORDER[4] as string)));
  const rBytes = R.toBytes();
  const k = scalarLE(sha512(concat(rBytes, pointBytes, message))) % L;
  const s = (r + k * scalar) % L;
  return { publicKey: pointBytes, signature: concat(rBytes, littleEndian(s)) };
}

afterEach(() => {
  vi.restoreAllMocks();
  forgetEd25519Support();
});

describe('Ed25519 engines', () => {
  it('finds WebCrypto Ed25519 in this Node, and loses it when it is hidden', async () => {
    expect(await webCryptoHasEd25519()).toBe(true);
    const restore = hideWebCryptoEd25519();
    try {
      forgetEd25519Support();
      expect(await webCryptoHasEd25519()).toBe(false);
    } finally {
      restore();
    }
  });

  describe.each(ENGINES)('with $name', (engine) => {
    it.each(RFC8032)('passes the RFC 8032 vector for key %s', async (secret, publicKey, message, signature) => {
      expect(toHex(ed25519.getPublicKey(fromHex(secret)))).toBe(publicKey);
      expect(toHex(ed25519.sign(fromHex(message), fromHex(secret)))).toBe(signature);
      const outcome = await verifyEd25519(fromHex(publicKey), fromHex(message), fromHex(signature), [engine]);
      expect(outcome).toEqual({ result: 'valid', engine: engine.name });
      const altered = fromHex(signature);
      altered[63] = (altered[63] as number) ^ 0x01;
      expect((await verifyEd25519(fromHex(publicKey), fromHex(message), altered, [engine])).result).toBe('invalid');
    });

    it.each(SMALL_ORDER)('refuses the small-order public key %s, whatever the signature', async (a) => {
      const message = new TextEncoder().encode('anything');
      // R = identity, S = 0: the classic forgery that holds for every message under a small-order key.
      const forgery = concat(fromHex(SMALL_ORDER[0] as string), new Uint8Array(32));
      const outcome = await verifyEd25519(fromHex(a), message, forgery, [engine]);
      expect(outcome.result).toBe('key-rejected');
    });

    it.each(SMALL_ORDER)('refuses the small-order R %s', async (r) => {
      const [secret, publicKey] = RFC8032[0];
      const message = new TextEncoder().encode('m');
      const real = ed25519.sign(message, fromHex(secret));
      const outcome = await verifyEd25519(fromHex(publicKey), message, concat(fromHex(r), real.subarray(32)), [engine]);
      expect(outcome).toMatchObject({ result: 'invalid', detail: 'R: of small order' });
      expect(
        (await verifyEd25519(fromHex(publicKey), message, concat(fromHex(r), new Uint8Array(32)), [engine])).result,
      ).toBe('invalid');
    });

    it('refuses S + L (non-canonical S) of a good signature', async () => {
      const [, publicKey, message, signature] = RFC8032[1];
      const sig = fromHex(signature);
      const s = scalarLE(sig.subarray(32)) + L;
      const outcome = await verifyEd25519(
        fromHex(publicKey),
        fromHex(message),
        concat(sig.subarray(0, 32), littleEndian(s)),
        [engine],
      );
      expect(outcome).toMatchObject({ result: 'invalid', detail: 'S is not below L (non-canonical)' });
    });

    it('refuses an R with a torsion component, which the cofactored equation alone would accept', async () => {
      const message = new TextEncoder().encode('dirty R');
      const { publicKey, signature } = signWithDirtyR(fromHex(RFC8032[2][0]), message);
      // Why the rule exists: noble's own (cofactored) check holds for this signature.
      expect(ed25519.verify(signature, message, publicKey, { zip215: false })).toBe(true);
      // Both engines refuse it: WebCrypto's equation fails, the noble engine checks R's subgroup.
      expect((await verifyEd25519(publicKey, message, signature, [engine])).result).toBe('invalid');
    });

    it('agrees with the other engine on random valid signatures, and both reject mutated ones', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          fc.uint8Array({ maxLength: 200 }),
          fc.nat(),
          fc.boolean(),
          async (secret, message, bit, inSignature) => {
            const publicKey = ed25519.getPublicKey(secret);
            const signature = ed25519.sign(message, secret);
            const verdicts = await Promise.all(
              ENGINES.map(async (e) => (await verifyEd25519(publicKey, message, signature, [e])).result),
            );
            expect(verdicts).toEqual(['valid', 'valid']);
            const target = inSignature || message.length === 0 ? signature.slice() : message.slice();
            const index = Math.floor(bit / 8) % target.length;
            target[index] = (target[index] as number) ^ (1 << (bit % 8));
            const [mutatedSig, mutatedMessage] =
              inSignature || message.length === 0 ? [target, message] : [signature, target];
            const mutated = await Promise.all(
              ENGINES.map(async (e) => (await verifyEd25519(publicKey, mutatedMessage, mutatedSig, [e])).result),
            );
            expect(mutated[0]).toBe(mutated[1]);
            expect(mutated[0]).not.toBe('valid');
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  it('says unavailable, never invalid, when no engine can run', async () => {
    const [, publicKey, message, signature] = RFC8032[0];
    const outcome = await verifyEd25519(fromHex(publicKey), fromHex(message), fromHex(signature), []);
    expect(outcome.result).toBe('unavailable');
    const broken = { name: 'noble' as const, verify: () => Promise.reject(new Error('no wasm')) };
    expect(await verifyEd25519(fromHex(publicKey), fromHex(message), fromHex(signature), [broken])).toMatchObject({
      result: 'unavailable',
      detail: expect.stringContaining('no wasm'),
    });
  });
});

describe('Ed25519 point rules', () => {
  it.each(SMALL_ORDER)('knows %s as a point of small order', (hex) => {
    expect(Point.fromBytes(fromHex(hex)).isSmallOrder()).toBe(true);
    expect(ed25519PointProblem(fromHex(hex))).toBe('of small order');
  });

  it.each([
    ['y = p + 1 (the identity, unreduced)', `ee${'ff'.repeat(30)}7f`],
    ['x = 0 with the sign bit set ("negative zero")', `01${'00'.repeat(30)}80`],
    ['y = p - 1 with the sign bit set', `ec${'ff'.repeat(31)}`],
  ])('refuses %s as not canonical, as a key and as R', (_, hex) => {
    expect(ed25519PointProblem(fromHex(hex))).toBe('not a canonical encoding of a curve point');
    const signature = concat(fromHex(hex), new Uint8Array(32));
    expect(ed25519SignatureProblem(signature)).toBe('R: not a canonical encoding of a curve point');
  });

  it('refuses a y that is on no point as a key (an R like it fails in either engine)', () => {
    expect(ed25519PointProblem(fromHex(`02${'00'.repeat(31)}`))).toBe('not a canonical encoding of a curve point');
  });

  it('agrees with noble on which random encodings are small-order R', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: L - 1n }), fc.nat(7), (scalar, torsion) => {
        const clean = Point.BASE.multiply(scalar);
        const small = Point.fromBytes(fromHex(SMALL_ORDER[torsion] as string));
        for (const point of [clean, small, clean.add(small)]) {
          const problem = ed25519SignatureProblem(concat(point.toBytes(), new Uint8Array(32)));
          expect(problem === 'R: of small order').toBe(point.isSmallOrder());
        }
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a key with a torsion component', () => {
    const dirty = Point.BASE.multiply(99n).add(Point.fromBytes(fromHex(SMALL_ORDER[6] as string)));
    expect(ed25519PointProblem(dirty.toBytes())).toBe('not in the prime-order subgroup');
    expect(ed25519PointProblem(Point.BASE.multiply(99n).toBytes())).toBeNull();
  });
});

describe('verdicts with WebCrypto Ed25519 hidden (Chromium < 137, 360, QQ, Sogou)', () => {
  let world: World;
  let letters: Record<string, string>;
  let forgedList: Uint8Array;
  beforeAll(async () => {
    world = await getWorld();
    const status2 = (idx: number) => ({ status: { status_list: { idx, uri: URLS.status2 } } });
    const genuine = await issue(world.rotatedKey, status2(0));
    const forgedKey = { ...world.attackerKey.privateJwk, kid: world.rotatedKey.kid };
    letters = {
      genuine,
      revoked: await issue(world.rotatedKey, status2(4)),
      tampered: withPayload(
        genuine,
        base64url.encode(deflatedPayload({ sub_name: '某某科技有限公司', ...status2(0) })),
      ),
      otherKey: await issue(world.impostorRoot, {}),
      forgedSignature: al1(
        await rawSign(
          { alg: 'EdDSA', typ: 'al+jwt', kid: world.rotatedKey.kid, zip: 'DEF' },
          deflatedPayload(status2(0)),
          { ...world.impostorRoot.privateJwk, kid: world.rotatedKey.kid },
        ),
      ),
      esForged: await issue({ ...world.attackerKey, privateJwk: forgedKey }, status2(0)),
    };
    const draft = setStatus(makeStatusList({ uri: URLS.status2, bits: 2, size: 64 }), 4, 'valid');
    forgedList = new TextEncoder().encode(
      await signStatusList(draft, { ...world.impostorRoot.privateJwk, kid: world.rotatedKey.kid }, { now: NOW - 60 }),
    );
  });

  /** Every verdict of the set, in fresh modules (no detection, memo or key cache carried over). */
  async function verdicts(served: Map<string, Uint8Array>) {
    vi.resetModules();
    const { verifyLetter } = await import('../../../utils/verify/verify-letter.ts');
    const { loadRegistry } = await import('../../../utils/verify/registry.ts');
    const { memoryStore } = await import('../../../utils/verify/ports.ts');
    const ed = await import('../../../utils/verify/ed25519.ts');
    const nobleCalls = vi.spyOn(ed.NOBLE_ED25519, 'verify');
    const store = memoryStore();
    const load = await loadRegistry(world.registryJws, world.rootJwks, { currentDate: at(NOW), store });
    if (!load.ok) throw new Error(load.problem);
    const [h, p, s] = world.registryJws.split('.') as [string, string, string];
    const tamperedRegistry = `${h}.${p.slice(0, -2)}${p.slice(-2) === 'AA' ? 'AQ' : 'AA'}.${s}`;
    const registryLoads = {
      genuine: load.ok,
      tampered: await loadRegistry(tamperedRegistry, world.rootJwks, { currentDate: at(NOW), store: memoryStore() }),
    };
    const fetcher = worldFetcher({ ...world, served });
    const options = { currentDate: at(NOW), registry: load.registry, store, fetcher, localRegion: null };
    const out: Record<string, unknown> = {};
    for (const [name, text] of Object.entries(letters)) out[name] = await verifyLetter(text, options);
    return {
      registryLoads,
      letters: out,
      webCrypto: await ed.webCryptoHasEd25519(),
      noble: nobleCalls.mock.calls.length,
    };
  }

  it('gives every EdDSA letter, registry and status list the same verdict as with WebCrypto', async () => {
    const withWebCrypto = await verdicts(world.served);
    const restore = hideWebCryptoEd25519();
    let without: Awaited<ReturnType<typeof verdicts>>;
    try {
      without = await verdicts(world.served);
    } finally {
      restore();
    }
    expect(withWebCrypto.webCrypto).toBe(true);
    expect(without.webCrypto).toBe(false);
    expect(withWebCrypto.noble).toBe(0);
    expect(without.noble).toBeGreaterThan(3);
    expect(without.letters).toEqual(withWebCrypto.letters);
    expect(without.registryLoads).toEqual(withWebCrypto.registryLoads);
    const reasons = (name: string) => (without.letters[name] as { reasons: string[] }).reasons;
    expect((without.letters.genuine as { verdict: string }).verdict).toBe('valid');
    expect(reasons('revoked')).toEqual(['REVOKED']);
    expect(reasons('tampered')).toContain('SIGNATURE_INVALID');
    expect(reasons('forgedSignature')).toContain('SIGNATURE_INVALID');
    expect(reasons('esForged')).toContain('KEY_UNKNOWN'); // an ES256 token under an Ed25519 kid
    expect(without.registryLoads.tampered).toMatchObject({ ok: false, problem: 'REGISTRY_SIGNATURE_INVALID' });
  });

  it('treats a status list forged under the issuer kid alike: STATUS_UNKNOWN, with and without WebCrypto', async () => {
    const served = new Map(world.served);
    served.set(URLS.status2, forgedList);
    const withWebCrypto = await verdicts(served);
    const restore = hideWebCryptoEd25519();
    try {
      const without = await verdicts(served);
      expect(without.letters).toEqual(withWebCrypto.letters);
      expect((without.letters.genuine as { reasons: string[] }).reasons).toEqual(['STATUS_UNKNOWN']);
    } finally {
      restore();
    }
  });

  it('with no Ed25519 implementation at all, warns (KEYS_UNAVAILABLE, naming EdDSA), never SIGNATURE_INVALID', async () => {
    // The registry as checked earlier while an implementation still ran (a plain value).
    const registry = await verifiedRegistry(world);
    vi.resetModules();
    const { verifyLetter } = await import('../../../utils/verify/verify-letter.ts');
    const { loadRegistry } = await import('../../../utils/verify/registry.ts');
    const { memoryStore } = await import('../../../utils/verify/ports.ts');
    const ed = await import('../../../utils/verify/ed25519.ts');
    const restore = hideWebCryptoEd25519();
    try {
      vi.spyOn(ed.NOBLE_ED25519, 'verify').mockRejectedValue(new Error('library failed to load'));
      const options = { currentDate: at(NOW), registry, store: memoryStore(), fetcher: null, localRegion: null };
      const verdict = await verifyLetter(letters.genuine as string, options);
      expect(verdict).toMatchObject({ verdict: 'warning', reasons: ['KEYS_UNAVAILABLE'], alg: 'EdDSA' });
      expect(verdict.facts.signatureUnavailable).toEqual({ alg: 'EdDSA' });
      const forged = await verifyLetter(letters.forgedSignature as string, options);
      expect(forged.reasons).not.toContain('SIGNATURE_INVALID');
      expect(forged.verdict).not.toBe('valid');
      const load = await loadRegistry(world.registryJws, world.rootJwks, {
        currentDate: at(NOW),
        store: memoryStore(),
      });
      expect(load).toMatchObject({ ok: false, problem: 'ROOT_KEYS_INVALID' });
      expect(load.ok ? '' : load.detail).toContain('Ed25519');
    } finally {
      restore();
    }
  });
});

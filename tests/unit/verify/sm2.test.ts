/**
 * SM2 with SM3 (letter-format.md section 1.1): published vectors on the recommended curve,
 * the range and encoding rules the library leaves to us, strict key/alg binding through
 * the whole verdict, SM2-rooted registries and SM2 status lists, and mutated SM2 tokens
 * never valid.
 */
import fc from 'fast-check';
import { base64url } from 'jose';
import { sm2, sm3 } from 'sm-crypto-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateIssuerKey,
  type IssuerKey,
  issueLetter,
  makeStatusList,
  type RegistryDescription,
  rootJwksOf,
  setStatus,
  signCompact,
  signRegistry,
  signStatusList,
} from '../../../scripts/issuer/lib/index.ts';
import { bigEndian, fromHex, toHex } from '../../../utils/verify/bytes.ts';
import { type Fetcher, memoryStore } from '../../../utils/verify/ports.ts';
import { loadRegistry, type VerifiedRegistry } from '../../../utils/verify/registry.ts';
import { SM2_DEFAULT_ID, SM2_N, sm2PointProblem, verifySm2 } from '../../../utils/verify/sm2.ts';
import { type VerifyOptions, verifyLetter } from '../../../utils/verify/verify-letter.ts';
import { al1, at, DAY, deflatedPayload, getWorld, letterInput, NOW } from '../../support/fixtures.ts';

/** GM/T 0003.5-2012 / GB/T 32918.5 Annex A: signature on the recommended curve. */
const ANNEX_A = {
  d: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  x: '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020',
  y: 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  message: 'message digest',
  z: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
};

const text = (value: string) => new TextEncoder().encode(value);
const be32 = (value: bigint) => fromHex(value.toString(16).padStart(64, '0'));
const rs = (r: bigint, s: bigint) => new Uint8Array([...be32(r), ...be32(s)]);
const annex = () => ({ x: fromHex(ANNEX_A.x), y: fromHex(ANNEX_A.y), m: text(ANNEX_A.message) });

/** r || s as a DER SEQUENCE of two INTEGERs (what OpenSSL prints). */
function der(signature: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let body = Array.from(bytes);
    while (body.length > 1 && body[0] === 0) body = body.slice(1);
    if ((body[0] as number) >= 0x80) body = [0, ...body];
    return [0x02, body.length, ...body];
  };
  const content = [...integer(signature.subarray(0, 32)), ...integer(signature.subarray(32))];
  return new Uint8Array([0x30, content.length, ...content]);
}

describe('SM3 (GB/T 32905 Appendix A)', () => {
  it.each([
    ['abc', '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'],
    ['abcd'.repeat(16), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732'],
  ])('hashes %j as published', (message, digest) => {
    expect(sm3(message)).toBe(digest);
  });
});

describe('SM2 on the recommended curve (GB/T 32918.5 Annex A)', () => {
  it('derives the published public key, Z and e with the default identifier', () => {
    expect(sm2.getPublicKeyFromPrivateKey(ANNEX_A.d)).toBe(`04${ANNEX_A.x}${ANNEX_A.y}`);
    expect(SM2_DEFAULT_ID).toBe('1234567812345678');
    expect(toHex(sm2.getZ(`04${ANNEX_A.x}${ANNEX_A.y}`, SM2_DEFAULT_ID))).toBe(ANNEX_A.z);
    expect(sm2.getHash(toHex(text(ANNEX_A.message)), `04${ANNEX_A.x}${ANNEX_A.y}`, SM2_DEFAULT_ID)).toBe(ANNEX_A.e);
  });

  it('verifies the published signature, and nothing else', () => {
    const { x, y, m } = annex();
    const signature = fromHex(ANNEX_A.r + ANNEX_A.s);
    expect(verifySm2(x, y, m, signature)).toEqual({ result: 'valid', engine: 'sm-crypto-v2' });
    expect(verifySm2(x, y, text('message digesT'), signature).result).toBe('invalid');
    const flipped = signature.slice();
    flipped[40] = (flipped[40] as number) ^ 4;
    expect(verifySm2(x, y, m, flipped).result).toBe('invalid');
    // The identifier is part of what is signed: another one gives another Z.
    expect(
      sm2.doVerifySignature(m, ANNEX_A.r + ANNEX_A.s, `04${ANNEX_A.x}${ANNEX_A.y}`, {
        hash: true,
        userId: 'ALICE123@YAHOO.COM',
      }),
    ).toBe(false);
  });

  const r = bigEndian(fromHex(ANNEX_A.r));
  const s = bigEndian(fromHex(ANNEX_A.s));
  it.each([
    ['r = 0', rs(0n, s), 'r is 0'],
    ['s = 0', rs(r, 0n), 's is 0'],
    ['r = n', rs(SM2_N, s), 'r is not below n'],
    ['s = n', rs(r, SM2_N), 's is not below n'],
    ['r = n + 1', rs(SM2_N + 1n, s), 'r is not below n'],
    ['s = n + 1 (the library alone throws)', rs(r, SM2_N + 1n), 's is not below n'],
    ['r = 2^256 - 1', rs(2n ** 256n - 1n, s), 'r is not below n'],
  ])('refuses %s', (_, signature, detail) => {
    const { x, y, m } = annex();
    expect(verifySm2(x, y, m, signature)).toEqual({ result: 'invalid', detail });
  });

  it('refuses the published signature in DER form, and any length but 64', () => {
    const { x, y, m } = annex();
    const signature = fromHex(ANNEX_A.r + ANNEX_A.s);
    expect(verifySm2(x, y, m, der(signature))).toMatchObject({
      result: 'invalid',
      detail: expect.stringMatching(/not r \|\| s/),
    });
    expect(verifySm2(x, y, m, signature.subarray(0, 63)).result).toBe('invalid');
    expect(verifySm2(x, y, m, new Uint8Array([...signature, 0])).result).toBe('invalid');
  });

  it.each([
    [
      'P-256 base point coordinates',
      '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296',
      '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
    ],
    ['y off by one', ANNEX_A.x, `${ANNEX_A.y.slice(0, 63)}4`],
    ['x = p (not a field element)', 'fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff', ANNEX_A.y],
    ['all zero', '00'.repeat(32), '00'.repeat(32)],
  ])('refuses a key with %s', (_, x, y) => {
    expect(sm2PointProblem(fromHex(x), fromHex(y))).toBe('not on the SM2 curve');
    const { m } = annex();
    expect(verifySm2(fromHex(x), fromHex(y), m, fromHex(ANNEX_A.r + ANNEX_A.s)).result).toBe('key-rejected');
  });
});

describe('SM2 letters, registries and status lists through the verdict', () => {
  const STATUS = 'https://xixia.example.gov.cn/status/1';
  let root: IssuerKey;
  let issuer: IssuerKey;
  let p256: IssuerKey;
  let registry: VerifiedRegistry;
  let options: VerifyOptions;
  let statusBody: Uint8Array;

  beforeAll(async () => {
    const world = await getWorld();
    [root, issuer, p256] = await Promise.all([
      generateIssuerKey('SM2'),
      generateIssuerKey('SM2'),
      generateIssuerKey('ES256'),
    ]);
    const description: RegistryDescription = {
      ...world.description,
      issuers: world.description.issuers.map((i) =>
        i.id === 'cn-hsa-411381' ? { ...i, jwks: { keys: [issuer.publicJwk, p256.publicJwk] } } : i,
      ),
    };
    const { jws } = await signRegistry(description, root.privateJwk, { now: NOW - DAY, version: 3 });
    const load = await loadRegistry(jws, rootJwksOf([root.privateJwk]), { currentDate: at(NOW), store: memoryStore() });
    if (!load.ok) throw new Error(`${load.problem} ${load.detail}`);
    registry = load.registry;
    const list = setStatus(makeStatusList({ uri: STATUS, bits: 1, size: 64 }), 3, 'revoked');
    statusBody = text(await signStatusList(list, issuer.privateJwk, { now: NOW - 60, ttl: 3600 }));
    const fetcher: Fetcher = async (url) =>
      url === STATUS ? { ok: true, body: statusBody } : { ok: false, failure: 'NETWORK' };
    options = { currentDate: at(NOW), registry, store: memoryStore(), fetcher, localRegion: null };
  });

  const status = (idx: number) => ({ status: { status_list: { idx, uri: STATUS } } });
  /** A letter header and payload signed with raw r || s chosen by the test. */
  const withSignature = (token: string, signature: Uint8Array) =>
    `${token.slice(0, token.lastIndexOf('.'))}.${base64url.encode(signature)}`;

  it('accepts a registry rooted in an SM2 key, an SM2 letter and its SM2 status list', async () => {
    expect(registry.rootKid).toBe(root.kid);
    const valid = await verifyLetter((await issueLetter(letterInput(status(0)), issuer.privateJwk)).text, options);
    expect(valid).toMatchObject({ verdict: 'valid', reasons: [], alg: 'SM2' });
    const revoked = await verifyLetter((await issueLetter(letterInput(status(3)), issuer.privateJwk)).text, options);
    expect(revoked.reasons).toEqual(['REVOKED']);
  });

  it('binds the algorithm to the key strictly', async () => {
    // An SM2 key with alg ES256: the P-256 private key signs under the SM2 key's kid.
    const esUnderSm2Kid = await issueLetter(letterInput(status(0)), { ...p256.privateJwk, kid: issuer.kid });
    expect((await verifyLetter(esUnderSm2Kid.text, options)).reasons).toEqual(['KEY_UNKNOWN']);
    // A P-256 key with alg SM2: an SM2 signature under the P-256 key's kid.
    const sm2UnderP256Kid = await issueLetter(letterInput(status(0)), { ...issuer.privateJwk, kid: p256.kid });
    expect((await verifyLetter(sm2UnderP256Kid.text, options)).reasons).toEqual(['KEY_UNKNOWN']);
    // Another SM2 key's signature under the issuer's kid.
    const other = await issueLetter(letterInput(status(0)), { ...root.privateJwk, kid: issuer.kid });
    expect((await verifyLetter(other.text, options)).reasons).toEqual(['SIGNATURE_INVALID']);
  });

  it('refuses a DER signature and r or s out of [1, n-1] with SIGNATURE_INVALID', async () => {
    const token = (await issueLetter(letterInput(status(0)), issuer.privateJwk)).text;
    const signature = base64url.decode(token.slice(token.lastIndexOf('.') + 1));
    const r = bigEndian(signature.subarray(0, 32));
    const s = bigEndian(signature.subarray(32));
    for (const bad of [
      der(signature),
      rs(0n, s),
      rs(r, 0n),
      rs(SM2_N, s),
      rs(r, SM2_N),
      rs(r, (s + SM2_N) % 2n ** 256n),
    ]) {
      const verdict = await verifyLetter(withSignature(token, bad), options);
      expect(verdict.reasons).toEqual(['SIGNATURE_INVALID']);
    }
  });

  it('refuses a registry whose SM2 signature does not hold, and one signed by another SM2 key', async () => {
    const [h, p] = registry.jws.split('.') as [string, string];
    const forged = await signCompact({ typ: 'al-registry+jwt' }, base64url.decode(p), {
      ...issuer.privateJwk,
      kid: root.kid,
    });
    const rootJwks = rootJwksOf([root.privateJwk]);
    expect(await loadRegistry(forged, rootJwks, { currentDate: at(NOW), store: memoryStore() })).toMatchObject({
      ok: false,
      problem: 'REGISTRY_SIGNATURE_INVALID',
    });
    const zeroS = `${h}.${p}.${base64url.encode(rs(1n, 0n))}`;
    expect(await loadRegistry(zeroS, rootJwks, { currentDate: at(NOW), store: memoryStore() })).toMatchObject({
      ok: false,
      problem: 'REGISTRY_SIGNATURE_INVALID',
    });
  });

  it('never says valid for a mutated SM2 token', async () => {
    const token = (await issueLetter(letterInput(status(0)), issuer.privateJwk)).text.slice(4);
    const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...B64U), async (position, char) => {
        const i = position % token.length;
        fc.pre(token[i] !== char && token[i] !== '.');
        const mutated = al1(token.slice(0, i) + char + token.slice(i + 1));
        const verdict = await verifyLetter(mutated, options);
        expect(verdict.verdict).not.toBe('valid');
      }),
      { numRuns: 60 },
    );
  });

  it('refuses an SM2 header with a hand-made signature over a hostile payload', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'SM2', typ: 'al+jwt', kid: issuer.kid, zip: 'DEF' }));
    const forged = al1(`${header}.${base64url.encode(deflatedPayload(status(0)))}.${base64url.encode(rs(1n, 1n))}`);
    expect((await verifyLetter(forged, options)).reasons).toEqual(['SIGNATURE_INVALID']);
  });
});

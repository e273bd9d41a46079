/**
 * A second, independent red team on the core (issue 9): attacks built in code with the
 * issuer library, each with the reason codes letter-format.md requires. Most of these were
 * already right and stay here so they stay right; the ones marked "was …" failed before the
 * fix named beside them.
 */
import { deflateSync, zlibSync } from 'fflate';
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonBytes, letterPayload, signCompact } from '../../../scripts/issuer/lib/index.ts';
import { memoryStore } from '../../../utils/verify/ports.ts';
import type { ReasonCode } from '../../../utils/verify/reason-codes.ts';
import { loadRegistry } from '../../../utils/verify/registry.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';
import { concat } from '../../fuzz/mutate.ts';
import {
  al1,
  at,
  context,
  DAY,
  getWorld,
  ISSUER,
  issue,
  letterInput,
  NOW,
  rawSign,
  URLS,
  type World,
} from '../../support/fixtures.ts';

let world: World;
beforeAll(async () => {
  world = await getWorld();
});

const bytes = (text: string) => new TextEncoder().encode(text);

/** The fixture letter's payload JSON, edited as text (to write what JSON.stringify never would). */
const payloadText = (edit: (json: string) => string = (json) => json) =>
  edit(JSON.stringify(letterPayload(letterInput())));

/** Signs a header and payload bytes with the issuer's real ES256 key. */
const signed = (header: Record<string, unknown> | string, payload: Uint8Array) =>
  rawSign(header, payload, world.issuerKey.privateJwk).then(al1);

const header = () => ({ alg: 'ES256', typ: 'al+jwt', kid: world.issuerKey.kid, zip: 'DEF' });
const deflated = (json: string) => deflateSync(bytes(json));
const parts = (text: string) => text.slice(4).split('.') as [string, string, string];

type Attack = [name: string, build: () => Promise<string> | string, reasons: ReasonCode[]];

/** The table's rows with the codes second, so each test's name says them. */
const rows = (attacks: Attack[]) => attacks.map(([name, build, reasons]) => [name, reasons, build] as const);

describe('the AL1 text and the compact serialization', () => {
  it.each(
    rows([
      ['ASCII white space around the code (a text file line)', async () => ` ${await issue(world.issuerKey)}\r\n`, []],
      [
        'a space between the prefix and the token',
        async () => `AL1: ${(await issue(world.issuerKey)).slice(4)}`,
        ['MALFORMED'],
      ],
      [
        'two codes in one QR text',
        async () => `${await issue(world.issuerKey)} ${await issue(world.issuerKey)}`,
        ['MALFORMED'],
      ],
      ['the prefix twice', async () => `AL1:${await issue(world.issuerKey)}`, ['MALFORMED']],
      ['padding after the signature', async () => `${await issue(world.issuerKey)}==`, ['MALFORMED']],
      [
        'padding after the header',
        async () => {
          const [h, p, s] = parts(await issue(world.issuerKey));
          return al1(`${h}=.${p}.${s}`);
        },
        ['MALFORMED'],
      ],
      [
        'a percent-encoded dot',
        async () => {
          const [h, p, s] = parts(await issue(world.issuerKey));
          return al1(`${h}%2E${p}.${s}`);
        },
        ['MALFORMED'],
      ],
      [
        'an empty signature',
        async () => {
          const [h, p] = parts(await issue(world.issuerKey));
          return al1(`${h}.${p}.`);
        },
        ['SIGNATURE_INVALID'],
      ],
      [
        'a 65-byte signature (r || s with a byte more)',
        async () => {
          const [h, p] = parts(await issue(world.issuerKey));
          return al1(`${h}.${p}.${base64url.encode(new Uint8Array(65))}`);
        },
        ['SIGNATURE_INVALID'],
      ],
    ]),
  )('gives %s the codes %j', async (_, reasons, build) => {
    expect((await verifyLetter(await build(), await context())).reasons).toEqual(reasons);
  });
});

describe('the protected header', () => {
  it.each(
    rows([
      [
        'typ in capitals (AL+JWT)',
        () => signed({ ...header(), typ: 'AL+JWT' }, deflated(payloadText())),
        ['HEADER_REJECTED'],
      ],
      [
        'typ with its media type prefix (application/al+jwt)',
        () => signed({ ...header(), typ: 'application/al+jwt' }, deflated(payloadText())),
        ['HEADER_REJECTED'],
      ],
      ['alg null', () => signed({ ...header(), alg: null }, deflated(payloadText())), ['HEADER_REJECTED']],
      ['alg ES256K', () => signed({ ...header(), alg: 'ES256K' }, deflated(payloadText())), ['HEADER_REJECTED']],
      [
        "alg Ed25519 (the fully specified name, not the spec's EdDSA)",
        () => signed({ ...header(), alg: 'Ed25519' }, deflated(payloadText())),
        ['HEADER_REJECTED'],
      ],
      [
        'kid as a list',
        () => signed({ ...header(), kid: [world.issuerKey.kid] }, deflated(payloadText())),
        ['HEADER_REJECTED'],
      ],
      ['zip null over plain JSON', () => signed({ ...header(), zip: null }, bytes(payloadText())), ['HEADER_REJECTED']],
      [
        'a __proto__ member',
        () => signed(`${JSON.stringify(header()).slice(0, -1)},"__proto__":{"alg":"none"}}`, deflated(payloadText())),
        ['HEADER_REJECTED'],
      ],
      [
        'b64 false without crit',
        () => signed({ ...header(), b64: false }, deflated(payloadText())),
        ['HEADER_REJECTED'],
      ],
      [
        'a byte order mark before the header JSON',
        () => signed(`\uFEFF${JSON.stringify(header())}`, deflated(payloadText())),
        ['MALFORMED'],
      ],
      [
        'a duplicate alg spelled with an escape',
        () => signed(`${JSON.stringify(header()).slice(0, -1)},"\\u0061lg":"none"}`, deflated(payloadText())),
        ['MALFORMED'],
      ],
    ]),
  )('gives %s the codes %j', async (_, reasons, build) => {
    expect((await verifyLetter(await build(), await context())).reasons).toEqual(reasons);
  });
});

describe('the payload bytes and JSON', () => {
  it.each(
    rows([
      [
        'ZLIB (RFC 1950) where raw DEFLATE is required',
        () => signed(header(), zlibSync(bytes(payloadText()))),
        ['MALFORMED'],
      ],
      // Was valid: fflate stops at the final block, so bytes after it were signed but never read.
      [
        'a byte after the DEFLATE stream',
        () => signed(header(), concat(deflated(payloadText()), Uint8Array.of(0))),
        ['MALFORMED'],
      ],
      [
        'a second DEFLATE stream after the first',
        () => signed(header(), concat(deflated(payloadText()), deflated('{"iss":"x"}'))),
        ['MALFORMED'],
      ],
      [
        'a byte order mark before the payload JSON',
        () => signed(header(), deflated(`\uFEFF${payloadText()}`)),
        ['MALFORMED'],
      ],
      [
        'exp as a string',
        () => signed(header(), deflated(payloadText((j) => j.replace(/"exp":(\d+)/, '"exp":"$1"')))),
        ['MALFORMED'],
      ],
      [
        'exp 1e400 (Infinity)',
        () => signed(header(), deflated(payloadText((j) => j.replace(/"exp":\d+/, '"exp":1e400')))),
        ['MALFORMED'],
      ],
      [
        'nbf -0 (read as 0: a validity of 56 years)',
        () => signed(header(), deflated(payloadText((j) => j.replace(/"nbf":\d+/, '"nbf":-0')))),
        ['VALIDITY_TOO_LONG'],
      ],
      [
        'status idx written 3e0 (entry 3, revoked)',
        () => signed(header(), deflated(payloadText((j) => j.replace('"idx":0', '"idx":3e0')))),
        ['REVOKED'],
      ],
      [
        'status idx -0 (entry 0)',
        () => signed(header(), deflated(payloadText((j) => j.replace('"idx":0', '"idx":-0')))),
        [],
      ],
      [
        'status idx 1.5',
        () => signed(header(), deflated(payloadText((j) => j.replace('"idx":0', '"idx":1.5')))),
        ['MALFORMED'],
      ],
      [
        'status null',
        () => signed(header(), deflated(payloadText((j) => j.replace(/"status":\{.*\}\}/, '"status":null')))),
        ['MALFORMED'],
      ],
      [
        'purpose null',
        () => signed(header(), deflated(payloadText((j) => j.replace(/"purpose":"[^"]*"/, '"purpose":null')))),
        ['MALFORMED'],
      ],
      [
        'a claim nested 70 deep',
        () =>
          signed(header(), deflated(payloadText((j) => j.replace('{', `{"x":${'['.repeat(70)}${']'.repeat(70)},`)))),
        ['MALFORMED'],
      ],
      [
        'an unknown claim (ignored, as JWT claims are)',
        () => signed(header(), deflated(payloadText((j) => j.replace('{', '{"admin":true,')))),
        [],
      ],
    ]),
  )('gives %s the codes %j', async (_, reasons, build) => {
    expect((await verifyLetter(await build(), await context())).reasons).toEqual(reasons);
  });
});

describe('claims', () => {
  it.each(
    rows([
      // Was valid: exp < now < nbf, each within the 300 s skew, passed both time checks.
      [
        'a window that ends before it starts, now inside both skews',
        () => issue(world.issuerKey, { nbf: NOW + 200, exp: NOW - 200 }),
        ['MALFORMED'],
      ],
      [
        'a window that ends before it starts, long ago',
        () => issue(world.issuerKey, { nbf: NOW - DAY, exp: NOW - 2 * DAY }),
        ['MALFORMED', 'EXPIRED'],
      ],
      ['exp with a fraction of a second', () => issue(world.issuerKey, { exp: NOW + DAY + 0.5 }), []],
      // Were typed as dates: no Date holds them, and showing them threw (numeric-date.ts).
      ['nbf 1e20 (past the year 275760)', () => issue(world.issuerKey, { nbf: 1e20, exp: 1e20 + 1 }), ['MALFORMED']],
      ['exp one second past the Date range', () => issue(world.issuerKey, { exp: 8.64e12 + 1 }), ['MALFORMED']],
      ['iat 1e300', () => issue(world.issuerKey, { iat: 1e300 }), ['MALFORMED']],
      ['a sub in lower case', () => issue(world.issuerKey, { sub: '91350100m000100y43' }), ['MALFORMED']],
      ['a sub with a fullwidth digit', () => issue(world.issuerKey, { sub: '９1350100M000100Y43' }), ['MALFORMED']],
      [
        'a region with a fullwidth digit',
        () => issue(world.issuerKey, { region: ['４11381121'] }),
        ['MALFORMED', 'REGION_NOT_PERMITTED'],
      ],
      [
        'scopes separated by a tab (one unknown id)',
        () => issue(world.issuerKey, { scope: 'ehi.voucher.assist\tehi.enrollment.collect' }),
        ['SCOPE_NOT_PERMITTED'],
      ],
      [
        'scopes separated by U+00A0 (one unknown id)',
        () => issue(world.issuerKey, { scope: 'ehi.voucher.assist\u00a0x' }),
        ['SCOPE_NOT_PERMITTED'],
      ],
      ['a scope of spaces only', () => issue(world.issuerKey, { scope: '   ' }), ['MALFORMED']],
      ['an iss with a trailing space', () => issue(world.issuerKey, { iss: `${ISSUER} ` }), ['ISSUER_UNKNOWN']],
      [
        'a status list on plain http off loopback',
        () =>
          issue(world.issuerKey, {
            status: { status_list: { idx: 0, uri: 'http://dengzhou.example.gov.cn/status/1' } },
          }),
        ['STATUS_UNKNOWN'],
      ],
      [
        'a status uri with a fragment (its list names another sub)',
        () => issue(world.issuerKey, { status: { status_list: { idx: 0, uri: `${URLS.status1}#x` } } }),
        ['STATUS_UNKNOWN'],
      ],
    ]),
  )('gives %s the codes %j', async (_, reasons, build) => {
    expect((await verifyLetter(await build(), await context())).reasons).toEqual(reasons);
  });
});

describe('an Ed25519 key marked with the RFC 9864 name "Ed25519"', () => {
  it.each<[string, string | undefined, ReasonCode[]]>([
    // Was KEY_UNKNOWN: a genuine letter of an issuer whose JOSE library writes the new name.
    ['alg "Ed25519"', 'Ed25519', []],
    ['alg "EdDSA"', 'EdDSA', []],
    ['no alg', undefined, []],
    ['alg "ES256"', 'ES256', ['KEY_UNKNOWN']],
  ])('verifies an EdDSA letter under the key with %s: %j', async (_, alg, reasons) => {
    const { alg: _own, ...key } = world.rotatedKey.publicJwk;
    const description = structuredClone(world.description);
    const issuer = description.issuers.find((i) => i.id === ISSUER) as Record<string, unknown>;
    // The ES256 key stays: it signs the status list the letter names.
    issuer.jwks = { keys: [world.issuerKey.publicJwk, { ...key, ...(alg === undefined ? {} : { alg }) }] };
    const payload = { ...description, version: 61, iat: NOW - 60, exp: NOW + 30 * DAY };
    const jws = await signCompact({ typ: 'al-registry+jwt' }, jsonBytes(payload), world.root.privateJwk);
    const load = await loadRegistry(jws, world.rootJwks, { currentDate: at(NOW), store: memoryStore() });
    if (!load.ok) throw new Error(`${load.problem}: ${load.detail}`);
    const verdict = await verifyLetter(await issue(world.rotatedKey), await context({ registry: load.registry }));
    expect(verdict.reasons).toEqual(reasons);
  });

  it('still refuses a letter whose header says alg "Ed25519" (the spec names EdDSA)', async () => {
    const header = { alg: 'Ed25519', typ: 'al+jwt', kid: world.rotatedKey.kid, zip: 'DEF' };
    const token = al1(await rawSign(header, deflated(payloadText()), world.rotatedKey.privateJwk));
    expect((await verifyLetter(token, await context())).reasons).toEqual(['HEADER_REJECTED']);
  });
});

describe('registry entries the core must not trust', () => {
  /** A registry like the world's with Dengzhou's entry edited, verified into a fresh store. */
  async function registryWith(edit: (issuer: Record<string, unknown>) => void) {
    const description = structuredClone(world.description);
    const issuer = description.issuers.find((i) => i.id === ISSUER) as Record<string, unknown>;
    edit(issuer);
    const payload = { ...description, version: 60, iat: NOW - 60, exp: NOW + 30 * DAY };
    const jws = await signCompact({ typ: 'al-registry+jwt' }, jsonBytes(payload), world.root.privateJwk);
    return loadRegistry(jws, world.rootJwks, { currentDate: at(NOW), store: memoryStore() });
  }
  /** Dengzhou's ES256 key (the fixture letters' key) with extra members. */
  const withKey = (extra: Record<string, unknown>) => (issuer: Record<string, unknown>) => {
    issuer.jwks = { keys: [{ ...world.issuerKey.publicJwk, ...extra }] };
  };

  it.each([
    // Was read as active: `state ?? 'active'` took null for absent.
    [
      'state null',
      (i: Record<string, unknown>) => {
        i.state = null;
      },
    ],
    [
      'state in capitals',
      (i: Record<string, unknown>) => {
        i.state = 'SUSPENDED';
      },
    ],
  ])('refuses a registry whose issuer has %s (REGISTRY_MALFORMED)', async (_, edit) => {
    expect(await registryWith(edit)).toMatchObject({ ok: false, problem: 'REGISTRY_MALFORMED' });
  });

  it.each<[string, Record<string, unknown>, ReasonCode[]]>([
    // Were valid: a key published for encryption verified letters.
    ['use "enc"', { use: 'enc' }, ['KEY_UNKNOWN']],
    ['key_ops without "verify"', { key_ops: ['encrypt', 'wrapKey'] }, ['KEY_UNKNOWN']],
    ['key_ops that is not a list', { key_ops: 'verify' }, ['KEY_UNKNOWN']],
    ['alg ES384 on the P-256 key', { alg: 'ES384' }, ['KEY_UNKNOWN']],
    ['use "sig"', { use: 'sig' }, []],
    ['key_ops ["verify"]', { key_ops: ['verify'] }, []],
    ['alg EdDSA on the P-256 key', { alg: 'EdDSA' }, ['KEY_UNKNOWN']],
  ])('gives a letter under a key with %s the codes %j', async (_, extra, reasons) => {
    const load = await registryWith(withKey(extra));
    if (!load.ok) throw new Error(`${load.problem}: ${load.detail}`);
    const verdict = await verifyLetter(await issue(world.issuerKey), await context({ registry: load.registry }));
    expect(verdict.reasons).toEqual(reasons);
  });
});

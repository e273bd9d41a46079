/**
 * One table of letters, each built at test time, with the exact reason codes it must get.
 * The meta-test checks that every code of REASON_CODES appears in some row.
 */
import { deflateSync } from 'fflate';
import { base64url } from 'jose';
import { letterPayload, signRegistry } from '../../scripts/issuer/lib/index.ts';
import { memoryStore } from '../../utils/verify/ports.ts';
import type { ReasonCode } from '../../utils/verify/reason-codes.ts';
import type { VerifyOptions } from '../../utils/verify/verify-letter.ts';
import {
  al1,
  DAY,
  deflatedPayload,
  hs256WithPublicKey,
  issue,
  letterInput,
  NOW,
  OTHER_ISSUER,
  OTHER_SCOPE,
  REMOTE_ISSUER,
  rawSign,
  SUSPENDED_ISSUER,
  URLS,
  verifiedRegistry,
  type World,
  withPayload,
} from './fixtures.ts';

export interface ReasonFixture {
  name: string;
  reasons: ReasonCode[];
  /** Builds the AL1 text and any change to the default context. */
  build: (world: World) => Promise<{ text: string; options?: Partial<VerifyOptions> }>;
  /** Extra expectation on the status fact, when the row is about revocation. */
  status?: 'valid' | 'revoked' | 'suspended' | 'unknown' | 'not-checked';
}

const encode = (value: string) => new TextEncoder().encode(value);
const remote = { iss: REMOTE_ISSUER, region: ['411302001'], status: undefined };
const letter = (world: World, overrides = {}) => issue(world.issuerKey, overrides);
const dengzhouHeader = (world: World, extra: Record<string, unknown> = {}) => ({
  alg: 'ES256',
  typ: 'al+jwt',
  kid: world.issuerKey.kid,
  zip: 'DEF',
  ...extra,
});

export const REASON_FIXTURES: ReasonFixture[] = [
  // --- valid letters ---------------------------------------------------------------
  {
    name: 'a letter that passes every check',
    reasons: [],
    status: 'valid',
    build: async (w) => ({ text: await letter(w) }),
  },
  {
    name: 'a letter signed with the rotated-in Ed25519 key',
    reasons: [],
    build: async (w) => ({ text: await issue(w.rotatedKey) }),
  },
  {
    name: 'a letter without zip',
    reasons: [],
    build: async (w) => ({ text: await issue(w.issuerKey, {}, { zip: false }) }),
  },
  {
    name: 'a letter whose key comes from jwks_uri',
    reasons: [],
    build: async (w) => ({ text: await issue(w.remoteKey, remote) }),
  },
  {
    name: 'a letter that expired 299 s ago (inside the skew)',
    reasons: [],
    build: async (w) => ({ text: await letter(w, { nbf: NOW - 20 * DAY, exp: NOW - 299 }) }),
  },
  {
    name: 'a letter valid from 299 s ahead (inside the skew)',
    reasons: [],
    build: async (w) => ({ text: await letter(w, { nbf: NOW + 299 }) }),
  },
  {
    name: 'a letter checked in a township it covers',
    reasons: [],
    build: async (w) => ({ text: await letter(w), options: { localRegion: '411381121' } }),
  },

  // --- MALFORMED -------------------------------------------------------------------
  { name: 'text that is not a compact JWS', reasons: ['MALFORMED'], build: async () => ({ text: 'AL1:not-a-jws' }) },
  {
    name: 'a token with characters outside base64url',
    reasons: ['MALFORMED'],
    build: async (w) => ({ text: (await letter(w)).replace(/\.(.)/, '.+') }),
  },
  {
    name: 'a token longer than 4,096 characters',
    reasons: ['MALFORMED'],
    build: async (w) => {
      const payload = encode(JSON.stringify(letterPayload(letterInput({ purpose: '很长的说明'.repeat(300) }))));
      return { text: al1(await rawSign({ ...dengzhouHeader(w), zip: undefined }, payload, w.issuerKey.privateJwk)) };
    },
  },
  {
    name: 'a payload that is not JSON',
    reasons: ['MALFORMED'],
    build: async (w) => ({
      text: al1(await rawSign(dengzhouHeader(w), deflateSync(encode('{"iss":')), w.issuerKey.privateJwk)),
    }),
  },
  {
    name: 'a duplicate claim (a second "scope" after the signed one)',
    reasons: ['MALFORMED'],
    build: async (w) => {
      const json = JSON.stringify(letterPayload(letterInput())).replace(/}$/, `,"scope":"${OTHER_SCOPE}"}`);
      return { text: al1(await rawSign(dengzhouHeader(w), deflateSync(encode(json)), w.issuerKey.privateJwk)) };
    },
  },
  {
    name: 'a duplicate claim spelled with a unicode escape',
    reasons: ['MALFORMED'],
    build: async (w) => {
      const json = JSON.stringify(letterPayload(letterInput())).replace(/}$/, `,"\\u0073cope":"${OTHER_SCOPE}"}`);
      return { text: al1(await rawSign(dengzhouHeader(w), deflateSync(encode(json)), w.issuerKey.privateJwk)) };
    },
  },
  {
    name: 'a duplicate member in the header',
    reasons: ['MALFORMED'],
    build: async (w) => {
      const header = `{"alg":"ES256","typ":"al+jwt","kid":"${w.issuerKey.kid}","zip":"DEF","typ":"al+jwt"}`;
      return { text: al1(await rawSign(header, deflatedPayload(), w.issuerKey.privateJwk)) };
    },
  },
  {
    name: 'a wrong USCC check character',
    reasons: ['MALFORMED'],
    build: async (w) => ({ text: await letter(w, { sub: '91350100M000100Y44' }) }),
  },
  {
    name: 'a missing claim (no jti)',
    reasons: ['MALFORMED'],
    build: async (w) => ({ text: await letter(w, { jti: undefined as unknown as string }) }),
  },
  {
    name: 'a region code that is not 6 or 9 digits (also outside the jurisdiction)',
    reasons: ['MALFORMED', 'REGION_NOT_PERMITTED'],
    build: async (w) => ({ text: await letter(w, { region: ['4113811'] }) }),
  },
  {
    name: 'a decompression bomb (1 MiB of JSON whitespace in a small token)',
    reasons: ['MALFORMED'],
    build: async (w) => {
      const json = `${' '.repeat(1024 * 1024)}${JSON.stringify(letterPayload(letterInput()))}`;
      return {
        text: al1(await rawSign(dengzhouHeader(w), deflateSync(encode(json), { level: 9 }), w.issuerKey.privateJwk)),
      };
    },
  },
  {
    name: 'zip DEF over bytes that are not DEFLATE',
    reasons: ['MALFORMED'],
    build: async (w) => ({
      text: al1(await rawSign(dengzhouHeader(w), encode('not deflate at all'), w.issuerKey.privateJwk)),
    }),
  },

  // --- HEADER_REJECTED -------------------------------------------------------------
  {
    name: 'alg none with an empty signature',
    reasons: ['HEADER_REJECTED'],
    build: async (w) => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'al+jwt', kid: w.issuerKey.kid, zip: 'DEF' }));
      return { text: al1(`${header}.${base64url.encode(deflatedPayload())}.`) };
    },
  },
  {
    name: "HS256 keyed with the issuer's public key",
    reasons: ['HEADER_REJECTED'],
    build: async (w) => ({ text: await hs256WithPublicKey(w) }),
  },
  {
    name: 'a jku pointing at the attacker, with the attacker kid',
    reasons: ['HEADER_REJECTED', 'KEY_UNKNOWN'],
    build: async (w) => ({
      text: al1(
        await rawSign(
          { ...dengzhouHeader(w), kid: w.attackerKey.kid, jku: 'https://evil.example/jwks.json' },
          deflatedPayload(),
          w.attackerKey.privateJwk,
        ),
      ),
    }),
  },
  {
    name: "an embedded jwk (the attacker's) under the issuer's kid",
    reasons: ['HEADER_REJECTED', 'SIGNATURE_INVALID'],
    build: async (w) => ({
      text: al1(
        await rawSign(dengzhouHeader(w, { jwk: w.attackerKey.publicJwk }), deflatedPayload(), w.attackerKey.privateJwk),
      ),
    }),
  },
  {
    name: 'an x5u member',
    reasons: ['HEADER_REJECTED'],
    build: async (w) => ({
      text: al1(
        await rawSign(
          dengzhouHeader(w, { x5u: 'https://evil.example/cert.pem' }),
          deflatedPayload(),
          w.issuerKey.privateJwk,
        ),
      ),
    }),
  },
  {
    name: 'an x5c member',
    reasons: ['HEADER_REJECTED'],
    build: async (w) => ({
      text: al1(await rawSign(dengzhouHeader(w, { x5c: ['MIIB'] }), deflatedPayload(), w.issuerKey.privateJwk)),
    }),
  },
  {
    name: 'a crit member, even signed by the real key',
    reasons: ['HEADER_REJECTED'],
    build: async (w) => ({
      text: al1(
        await rawSign(dengzhouHeader(w, { crit: ['exp'], exp: NOW }), deflatedPayload(), w.issuerKey.privateJwk),
      ),
    }),
  },
  {
    name: 'typ JWT instead of al+jwt',
    reasons: ['HEADER_REJECTED'],
    build: async (w) => ({
      text: al1(await rawSign(dengzhouHeader(w, { typ: 'JWT' }), deflatedPayload(), w.issuerKey.privateJwk)),
    }),
  },
  {
    name: 'a status list token offered as a letter (typ statuslist+jwt)',
    reasons: ['HEADER_REJECTED'],
    build: async (w) => ({
      text: al1(await rawSign(dengzhouHeader(w, { typ: 'statuslist+jwt' }), deflatedPayload(), w.issuerKey.privateJwk)),
    }),
  },
  {
    name: 'no kid',
    reasons: ['HEADER_REJECTED'],
    build: async (w) => ({
      text: al1(await rawSign(dengzhouHeader(w, { kid: undefined }), deflatedPayload(), w.issuerKey.privateJwk)),
    }),
  },
  {
    name: 'an unknown header member (b64)',
    reasons: ['HEADER_REJECTED'],
    build: async (w) => ({
      text: al1(await rawSign(dengzhouHeader(w, { b64: true }), deflatedPayload(), w.issuerKey.privateJwk)),
    }),
  },
  {
    name: 'a zip other than DEF',
    reasons: ['HEADER_REJECTED'],
    build: async (w) => ({
      text: al1(await rawSign(dengzhouHeader(w, { zip: 'GZIP' }), deflatedPayload(), w.issuerKey.privateJwk)),
    }),
  },

  // --- registry --------------------------------------------------------------------
  {
    name: 'no registry at all',
    reasons: ['NO_REGISTRY'],
    build: async (w) => ({ text: await letter(w), options: { registry: null } }),
  },
  {
    name: 'a registry past its exp',
    reasons: ['REGISTRY_STALE'],
    build: async (w) => {
      const store = memoryStore();
      const stale = await signRegistry(w.description, w.root.privateJwk, {
        now: NOW - 40 * DAY,
        validDays: 31,
        version: 7,
      });
      return { text: await letter(w), options: { store, registry: await verifiedRegistry(w, store, stale.jws) } };
    },
  },
  {
    name: 'an issuer that is not in the registry',
    reasons: ['ISSUER_UNKNOWN'],
    build: async (w) => ({ text: await issue(w.attackerKey, { iss: 'cn-hsa-999999' }) }),
  },
  {
    name: 'a suspended issuer',
    reasons: ['ISSUER_SUSPENDED'],
    build: async (w) => ({
      text: await issue(w.suspendedKey, { iss: SUSPENDED_ISSUER, region: ['411323100'], status: undefined }),
    }),
  },

  // --- keys and signature ----------------------------------------------------------
  {
    name: "an unknown kid (an attacker's key claiming to be the issuer)",
    reasons: ['KEY_UNKNOWN'],
    build: async (w) => ({ text: await issue(w.attackerKey) }),
  },
  {
    name: 'a kid that jwks_uri does not list',
    reasons: ['KEY_UNKNOWN'],
    build: async (w) => ({ text: await issue(w.attackerKey, remote) }),
  },
  {
    name: 'alg EdDSA naming the issuer ES256 key',
    reasons: ['KEY_UNKNOWN'],
    build: async (w) => ({
      text: al1(await rawSign({ ...dengzhouHeader(w), alg: 'EdDSA' }, deflatedPayload(), w.rotatedKey.privateJwk)),
    }),
  },
  {
    name: 'keys only at an unreachable jwks_uri with nothing cached',
    reasons: ['KEYS_UNAVAILABLE'],
    build: async (w) => ({ text: await issue(w.remoteKey, remote), options: { fetcher: null } }),
  },
  {
    name: 'a tampered payload (signature of another payload)',
    reasons: ['SIGNATURE_INVALID'],
    build: async (w) => {
      const genuine = await letter(w);
      const other = (await letter(w, { sub_name: '某某诊所' })).split('.')[1] as string;
      return { text: withPayload(genuine, other) };
    },
  },
  {
    name: 'a tampered payload that also widens the region',
    reasons: ['SIGNATURE_INVALID', 'REGION_NOT_PERMITTED'],
    build: async (w) => {
      const genuine = await letter(w);
      const other = (await issue(w.attackerKey, { region: ['411302001'] })).split('.')[1] as string;
      return { text: withPayload(genuine, other) };
    },
  },
  {
    name: "another issuer's key under the issuer's kid",
    reasons: ['SIGNATURE_INVALID'],
    build: async (w) => ({ text: al1(await rawSign(dengzhouHeader(w), deflatedPayload(), w.otherKey.privateJwk)) }),
  },

  // --- claims against the registry -------------------------------------------------
  {
    name: "a scope outside the issuer's scopes",
    reasons: ['SCOPE_NOT_PERMITTED'],
    build: async (w) => ({ text: await letter(w, { scope: [OTHER_SCOPE], exp: NOW + 20 * DAY }) }),
  },
  {
    name: 'a scope id the registry does not know',
    reasons: ['SCOPE_NOT_PERMITTED'],
    build: async (w) => ({ text: await letter(w, { scope: ['ehi.bank.account.open'] }) }),
  },
  {
    name: "a region outside the issuer's jurisdiction",
    reasons: ['REGION_NOT_PERMITTED'],
    build: async (w) => ({ text: await letter(w, { region: ['411381121', '411302001'] }) }),
  },
  {
    name: 'a province-wide region from a county issuer',
    reasons: ['REGION_NOT_PERMITTED'],
    build: async (w) => ({ text: await letter(w, { region: ['410000'] }) }),
  },
  {
    name: 'a validity longer than max_days',
    reasons: ['VALIDITY_TOO_LONG'],
    build: async (w) => ({ text: await letter(w, { nbf: NOW - DAY, exp: NOW + 90 * DAY }) }),
  },
  {
    name: 'the smallest max_days among several scopes',
    reasons: ['VALIDITY_TOO_LONG'],
    build: async (w) => ({ text: await issue(w.remoteKey, { ...remote, scope: ['ehi.voucher.assist', OTHER_SCOPE] }) }),
  },
  {
    name: 'a letter valid only from 301 s ahead',
    reasons: ['NOT_YET_VALID'],
    build: async (w) => ({ text: await letter(w, { nbf: NOW + 301 }) }),
  },
  {
    name: 'a letter that expired 301 s ago',
    reasons: ['EXPIRED'],
    build: async (w) => ({ text: await letter(w, { nbf: NOW - 20 * DAY, exp: NOW - 301 }) }),
  },

  // --- status lists ----------------------------------------------------------------
  {
    name: 'a letter revoked in a 1-bit list',
    reasons: ['REVOKED'],
    status: 'revoked',
    build: async (w) => ({ text: await letter(w, { status: { status_list: { idx: 3, uri: URLS.status1 } } }) }),
  },
  {
    name: 'a letter revoked in a 2-bit list',
    reasons: ['REVOKED'],
    status: 'revoked',
    build: async (w) => ({ text: await letter(w, { status: { status_list: { idx: 4, uri: URLS.status2 } } }) }),
  },
  {
    name: 'a letter suspended in a 2-bit list',
    reasons: ['REVOKED'],
    status: 'suspended',
    build: async (w) => ({ text: await letter(w, { status: { status_list: { idx: 5, uri: URLS.status2 } } }) }),
  },
  {
    name: 'a letter valid in a 2-bit list',
    reasons: [],
    status: 'valid',
    build: async (w) => ({ text: await letter(w, { status: { status_list: { idx: 6, uri: URLS.status2 } } }) }),
  },
  {
    name: 'a letter without status from an issuer that requires it',
    reasons: ['STATUS_MISSING'],
    build: async (w) => ({ text: await letter(w, { status: undefined }) }),
  },
  {
    name: 'an unreachable status list',
    reasons: ['STATUS_UNKNOWN'],
    status: 'unknown',
    build: async (w) => ({
      text: await letter(w, { status: { status_list: { idx: 0, uri: URLS.statusUnreachable } } }),
    }),
  },
  {
    name: 'a status list signed by another issuer',
    reasons: ['STATUS_UNKNOWN'],
    status: 'unknown',
    build: async (w) => ({
      text: await letter(w, { status: { status_list: { idx: 0, uri: URLS.statusWrongIssuer } } }),
    }),
  },
  {
    name: 'a status list whose sub is another URI',
    reasons: ['STATUS_UNKNOWN'],
    status: 'unknown',
    build: async (w) => ({ text: await letter(w, { status: { status_list: { idx: 0, uri: URLS.statusWrongSub } } }) }),
  },
  {
    name: 'an index past the end of the status list',
    reasons: ['STATUS_UNKNOWN'],
    status: 'unknown',
    build: async (w) => ({ text: await letter(w, { status: { status_list: { idx: 100_000, uri: URLS.status1 } } }) }),
  },
  {
    name: 'a status list while offline with nothing cached',
    reasons: ['STATUS_UNKNOWN'],
    status: 'unknown',
    build: async (w) => ({ text: await letter(w), options: { fetcher: null } }),
  },

  // --- local region ----------------------------------------------------------------
  {
    name: "a checker whose region none of the letter's regions contains",
    reasons: ['REGION_MISMATCH'],
    build: async (w) => ({ text: await letter(w), options: { localRegion: '411302001' } }),
  },

  // --- several problems at once ----------------------------------------------------
  {
    name: 'an expired letter from another issuer for the wrong region, checked elsewhere',
    reasons: ['REGION_NOT_PERMITTED', 'EXPIRED', 'REGION_MISMATCH'],
    build: async (w) => ({
      text: await issue(w.otherKey, {
        iss: OTHER_ISSUER,
        region: ['411381121'],
        status: undefined,
        exp: NOW - DAY,
        nbf: NOW - 10 * DAY,
      }),
      options: { localRegion: '411303001' },
    }),
  },
];

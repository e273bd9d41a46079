/**
 * Test fixtures built at test time with the issuer library: keys, a signed registry,
 * letters, status lists and hostile tokens. Nothing here is a pasted token.
 *
 * One "world" holds two roots, four issuers and the status lists they publish; `fetcher`
 * serves those lists from memory and records every URL asked for.
 */
import { deflateSync } from 'fflate';
import { base64url } from 'jose';
import {
  generateIssuerKey,
  type IssuerKey,
  issueLetter,
  type LetterInput,
  letterPayload,
  makeStatusList,
  type PrivateSigningJwk,
  type RegistryDescription,
  rootJwksOf,
  setStatus,
  signCompact,
  signRegistry,
  signStatusList,
} from '../../scripts/issuer/lib/index.ts';
import { AL1_PREFIX } from '../../utils/verify/al1-text.ts';
import { type Fetcher, memoryStore, type VerifierStore } from '../../utils/verify/ports.ts';
import { loadRegistry, type VerifiedRegistry } from '../../utils/verify/registry.ts';
import { type VerifyOptions, verifyLetter } from '../../utils/verify/verify-letter.ts';

/** 2026-01-01T00:00:00Z, the moment every fixture is checked at unless said otherwise. */
export const NOW = 1_767_225_600;
export const DAY = 86_400;
export const at = (seconds: number) => new Date(seconds * 1000);

export const ISSUER = 'cn-hsa-411381'; // Dengzhou: two inline keys (ES256 + Ed25519), status required
export const REMOTE_ISSUER = 'cn-hsa-411302'; // keys only at jwks_uri, no status required
export const SUSPENDED_ISSUER = 'cn-hsa-411323';
export const OTHER_ISSUER = 'cn-hsa-411303';
export const SCOPE = 'ehi.voucher.assist';
export const OTHER_SCOPE = 'ehi.enrollment.collect';
export const VALID_USCC = '91350100M000100Y43';

export const URLS = {
  registry: 'https://registry.example.gov.cn/registry.jws',
  remoteJwks: 'https://nanyang.example.gov.cn/.well-known/jwks.json',
  status1: 'https://dengzhou.example.gov.cn/status/1',
  status2: 'https://dengzhou.example.gov.cn/status/2',
  statusWrongIssuer: 'https://dengzhou.example.gov.cn/status/forged',
  statusWrongSub: 'https://dengzhou.example.gov.cn/status/moved',
  statusUnreachable: 'https://dengzhou.example.gov.cn/status/down',
} as const;

export interface World {
  root: IssuerKey;
  secondRoot: IssuerKey;
  impostorRoot: IssuerKey;
  rootJwks: ReturnType<typeof rootJwksOf>;
  /** Dengzhou's first (ES256) and rotated-in (Ed25519) keys. */
  issuerKey: IssuerKey;
  rotatedKey: IssuerKey;
  remoteKey: IssuerKey;
  suspendedKey: IssuerKey;
  otherKey: IssuerKey;
  attackerKey: IssuerKey;
  description: RegistryDescription;
  registryJws: string;
  /** Bodies served by `fetcher`, by URL (tests may add or remove). */
  served: Map<string, Uint8Array>;
}

const text = (value: string) => new TextEncoder().encode(value);

function registryDescription(keys: {
  issuerKey: IssuerKey;
  rotatedKey: IssuerKey;
  suspendedKey: IssuerKey;
  otherKey: IssuerKey;
}): RegistryDescription {
  const name = (zh: string, en: string) => ({ 'zh-CN': zh, en });
  return {
    iss: 'cn-hsa-henan-root',
    scopes: [
      {
        id: SCOPE,
        label: name('指导群众激活医保电子凭证', 'Help residents activate the medical insurance e-voucher'),
        excludes: [
          name('开通或绑定任何支付账户', 'Opening or linking any payment account'),
          name('采集人脸、指纹等生物识别信息', 'Collecting face, fingerprint or other biometrics'),
        ],
        max_days: 90,
      },
      { id: OTHER_SCOPE, label: name('代收参保登记材料', 'Collect enrollment papers'), excludes: [], max_days: 30 },
    ],
    issuers: [
      {
        id: ISSUER,
        name: name('邓州市医疗保障局', 'Dengzhou Healthcare Security Administration'),
        jurisdiction: ['411381'],
        scopes: [SCOPE],
        jwks: { keys: [keys.issuerKey.publicJwk, keys.rotatedKey.publicJwk] },
        status_required: true,
        contact: { phone: '0377-62000000', url: 'https://dengzhou.example.gov.cn' },
        state: 'active',
      },
      {
        id: REMOTE_ISSUER,
        name: name('南阳市宛城区医疗保障局', 'Wancheng District Healthcare Security Administration'),
        jurisdiction: ['411302'],
        scopes: [SCOPE, OTHER_SCOPE],
        jwks_uri: URLS.remoteJwks,
        contact: { phone: '0377-63000000' },
        state: 'active',
      },
      {
        id: SUSPENDED_ISSUER,
        name: name('西峡县医疗保障局', 'Xixia County Healthcare Security Administration'),
        jurisdiction: ['411323'],
        scopes: [SCOPE],
        jwks: { keys: [keys.suspendedKey.publicJwk] },
        state: 'suspended',
      },
      {
        id: OTHER_ISSUER,
        name: name('南阳市卧龙区医疗保障局', 'Wolong District Healthcare Security Administration'),
        jurisdiction: ['411303'],
        scopes: [SCOPE],
        jwks: { keys: [keys.otherKey.publicJwk] },
        state: 'active',
      },
    ],
  };
}

let worldPromise: Promise<World> | null = null;

/** The shared world (keys are generated once per test file). */
export function getWorld(): Promise<World> {
  worldPromise ??= buildWorld();
  return worldPromise;
}

async function buildWorld(): Promise<World> {
  const [root, secondRoot, impostorRoot, issuerKey, rotatedKey, remoteKey, suspendedKey, otherKey, attackerKey] =
    await Promise.all([
      generateIssuerKey('EdDSA'),
      generateIssuerKey('ES256'),
      generateIssuerKey('EdDSA'),
      generateIssuerKey('ES256'),
      generateIssuerKey('EdDSA'),
      generateIssuerKey('ES256'),
      generateIssuerKey('ES256'),
      generateIssuerKey('ES256'),
      generateIssuerKey('ES256'),
    ]);
  const description = registryDescription({ issuerKey, rotatedKey, suspendedKey, otherKey });
  const { jws: registryJws } = await signRegistry(description, root.privateJwk, { now: NOW - DAY, version: 42 });

  const served = new Map<string, Uint8Array>();
  served.set(URLS.registry, text(registryJws));
  served.set(URLS.remoteJwks, text(JSON.stringify({ keys: [remoteKey.publicJwk] })));
  let oneBit = makeStatusList({ uri: URLS.status1, bits: 1, size: 64 });
  oneBit = setStatus(oneBit, 3, 'revoked');
  served.set(URLS.status1, text(await signStatusList(oneBit, issuerKey.privateJwk, { now: NOW - 60, ttl: 3600 })));
  let twoBit = makeStatusList({ uri: URLS.status2, bits: 2, size: 64 });
  twoBit = setStatus(setStatus(twoBit, 4, 'revoked'), 5, 'suspended');
  // Signed with the rotated key: status lists may use any key of the issuer.
  served.set(URLS.status2, text(await signStatusList(twoBit, rotatedKey.privateJwk, { now: NOW - 60, ttl: 3600 })));
  const forged = setStatus(makeStatusList({ uri: URLS.statusWrongIssuer, bits: 1, size: 64 }), 0, 'valid');
  served.set(URLS.statusWrongIssuer, text(await signStatusList(forged, otherKey.privateJwk, { now: NOW - 60 })));
  const moved = makeStatusList({ uri: 'https://elsewhere.example.gov.cn/status/1', bits: 1, size: 64 });
  served.set(URLS.statusWrongSub, text(await signStatusList(moved, issuerKey.privateJwk, { now: NOW - 60 })));

  return {
    root,
    secondRoot,
    impostorRoot,
    rootJwks: rootJwksOf([root.privateJwk, secondRoot.privateJwk]),
    issuerKey,
    rotatedKey,
    remoteKey,
    suspendedKey,
    otherKey,
    attackerKey,
    description,
    registryJws,
    served,
  };
}

/** A fetcher over `world.served`; every URL asked for is pushed onto `calls`. */
export function worldFetcher(world: World, calls: string[] = []): Fetcher & { calls: string[] } {
  const fetcher = (async (url: string) => {
    calls.push(url);
    const body = world.served.get(url);
    return body ? { ok: true as const, body } : { ok: false as const, failure: 'NETWORK' as const };
  }) as Fetcher & { calls: string[] };
  fetcher.calls = calls;
  return fetcher;
}

/** The world's registry, verified into a fresh store. */
export async function verifiedRegistry(
  world: World,
  store: VerifierStore = memoryStore(),
  jws: string = world.registryJws,
): Promise<VerifiedRegistry> {
  const load = await loadRegistry(jws, world.rootJwks, { currentDate: at(NOW), store });
  if (!load.ok) throw new Error(`fixture registry refused: ${load.problem} ${load.detail}`);
  return load.registry;
}

/** A letter from Dengzhou that passes every check at NOW; override any claim. */
export function letterInput(overrides: Partial<LetterInput> = {}): LetterInput {
  return {
    iss: ISSUER,
    sub: VALID_USCC,
    sub_name: '邓州市陶营镇卫生院',
    agents: [{ name: '张三', id_last4: '1234' }],
    scope: [SCOPE],
    region: ['411381121'],
    iat: NOW - DAY,
    nbf: NOW - DAY,
    exp: NOW + 30 * DAY,
    jti: 'DZ-2026-0017',
    purpose: '协助群众激活医保电子凭证',
    status: { status_list: { idx: 0, uri: URLS.status1 } },
    ...overrides,
  };
}

/** Issues a letter with the issuer library (zip DEF by default). */
export async function issue(
  key: IssuerKey,
  overrides: Partial<LetterInput> = {},
  options: { zip?: boolean } = {},
): Promise<string> {
  return (await issueLetter(letterInput(overrides), key.privateJwk, options)).text;
}

/**
 * Signs any header and payload bytes with WebCrypto directly, bypassing jose's own
 * checks at signing time, so hostile headers (`crit`, duplicates, raw text) can be built.
 */
export async function rawSign(
  header: Record<string, unknown> | string,
  payload: Uint8Array,
  jwk: PrivateSigningJwk,
): Promise<string> {
  const headerText = typeof header === 'string' ? header : JSON.stringify(header);
  const input = `${base64url.encode(headerText)}.${base64url.encode(payload)}`;
  const { kid: _kid, alg: _alg, ...material } = jwk;
  const algorithm = jwk.alg === 'ES256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'Ed25519' };
  const key = await crypto.subtle.importKey('jwk', material as JsonWebKey, algorithm, false, ['sign']);
  const params = jwk.alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' };
  const signature = new Uint8Array(await crypto.subtle.sign(params, key, text(input)));
  return `${input}.${base64url.encode(signature)}`;
}

/** The payload bytes of a letter, deflated as `zip: "DEF"` wants. */
export function deflatedPayload(overrides: Partial<LetterInput> = {}): Uint8Array {
  return deflateSync(text(JSON.stringify(letterPayload(letterInput(overrides)))));
}

/** An `AL1:` text around a compact token. */
export const al1 = (token: string) => `${AL1_PREFIX}${token}`;

/** The AL1 text of the letter with its payload segment swapped for another payload (signature kept). */
export function withPayload(al1Text: string, payloadSegment: string): string {
  const [h, , s] = al1Text.slice(AL1_PREFIX.length).split('.');
  return al1(`${h}.${payloadSegment}.${s}`);
}

/** HMAC-SHA256 keyed with the bytes of the issuer's public JWK: the classic alg-confusion attack. */
export async function hs256WithPublicKey(world: World): Promise<string> {
  const header = { alg: 'HS256', typ: 'al+jwt', kid: world.issuerKey.kid, zip: 'DEF' };
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(deflatedPayload())}`;
  const secret = text(JSON.stringify(world.issuerKey.publicJwk));
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, text(input)));
  return al1(`${input}.${base64url.encode(mac)}`);
}

/** A fresh context: the world's registry in a new store, and a recording fetcher. */
export async function context(
  overrides: Partial<VerifyOptions> = {},
): Promise<VerifyOptions & { world: World; calls: string[] }> {
  const world = await getWorld();
  const store = overrides.store ?? memoryStore();
  const registry = overrides.registry === undefined ? await verifiedRegistry(world, store) : overrides.registry;
  const calls: string[] = [];
  return {
    currentDate: at(NOW),
    store,
    fetcher: worldFetcher(world, calls),
    localRegion: null,
    ...overrides,
    registry,
    world,
    calls,
  };
}

/** Verifies with a fresh context (plus overrides). */
export async function check(al1Text: string, overrides: Partial<VerifyOptions> = {}) {
  return verifyLetter(al1Text, await context(overrides));
}

export { signCompact };

/**
 * A county whose every signature is Ed25519 (the demo world signs with ES256 and SM2 only):
 * an EdDSA root key signs the registry, the county's EdDSA key signs its status list and its
 * letters. One loopback server holds the registry, the status list and a portal page with
 * three attachments: a genuine letter, a revoked one, and one whose signature was moved onto
 * another letter's claims. Built at test time with the issuer library; keys thrown away.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drawLetterPng } from '../../../scripts/demo/draw-letter.ts';
import {
  generateIssuerKey,
  issueLetter,
  type LetterInput,
  makeStatusList,
  rootJwksOf,
  setStatus,
  signRegistry,
  signStatusList,
} from '../../../scripts/issuer/lib/index.ts';

export type EddsaCase = 'genuine' | 'revoked' | 'swapped';

export interface EddsaWorld {
  origin: string;
  registryUrl: string;
  /** The root JWKS text the extension is told to trust (settings `rootKeys`). */
  rootKeys: string;
  /** The checker's region (Dengzhou's 陶营镇, inside the letters' region). */
  region: string;
  pageUrl: string;
  /** Attachment URL of each case. */
  urls: Record<EddsaCase, string>;
  close(): Promise<void>;
}

const DAY = 86_400;
const ISSUER = 'cn-hsa-411381';

export async function startEddsaWorld(): Promise<EddsaWorld> {
  const files = new Map<string, { type: string; body: string | Uint8Array }>();
  const server: Server = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const now = Math.floor(Date.now() / 1000);

  const [root, county] = await Promise.all([generateIssuerKey('EdDSA'), generateIssuerKey('EdDSA')]);
  const statusUri = `${origin}/status/411381.jws`;
  const { jws } = await signRegistry(
    {
      iss: 'cn-hsa-henan-eddsa-root',
      scopes: [
        {
          id: 'ehi.voucher.assist',
          label: { 'zh-CN': '指导群众激活医保电子凭证', en: 'Help residents activate the medical insurance e-voucher' },
          excludes: [{ 'zh-CN': '开通或绑定任何支付账户', en: 'Opening or linking any payment account' }],
          max_days: 90,
        },
      ],
      issuers: [
        {
          id: ISSUER,
          name: { 'zh-CN': '邓州市医疗保障局（Ed25519 测试）', en: 'Dengzhou HSA (Ed25519 test)' },
          jurisdiction: ['411381'],
          scopes: ['ehi.voucher.assist'],
          jwks: { keys: [county.publicJwk] },
          status_required: true,
          contact: { phone: '0377-62000000', url: `${origin}/contact` },
          state: 'active',
        },
      ],
    } as Parameters<typeof signRegistry>[0],
    root.privateJwk,
    { now, validDays: 30, version: Math.floor(now / 60) },
  );
  files.set('/registry.jws', { type: 'application/jwt', body: jws });
  const list = setStatus(makeStatusList({ uri: statusUri, bits: 1, size: 64 }), 5, 'revoked');
  files.set('/status/411381.jws', {
    type: 'application/jwt',
    body: await signStatusList(list, county.privateJwk, { now, ttl: 3600 }),
  });

  const letter = (overrides: Partial<LetterInput>): LetterInput => ({
    iss: ISSUER,
    sub: '52411381MB00000012',
    sub_name: '邓州市惠民医保服务中心',
    agents: [{ name: '王建国', id_last4: '3516' }],
    scope: ['ehi.voucher.assist'],
    region: ['411381121'],
    iat: now - 5 * DAY,
    nbf: now - 5 * DAY,
    exp: now + 60 * DAY,
    jti: 'DZYB-ED-0001',
    purpose: '到陶营镇各村卫生室指导群众激活医保电子凭证',
    status: { status_list: { idx: 1, uri: statusUri } },
    ...overrides,
  });
  const genuine = (await issueLetter(letter({}), county.privateJwk)).text;
  const revoked = (
    await issueLetter(
      letter({
        jti: 'DZYB-ED-0005',
        sub_name: '邓州市康联健康咨询有限公司',
        status: { status_list: { idx: 5, uri: statusUri } },
      }),
      county.privateJwk,
    )
  ).text;
  // The genuine letter's header and signature around another (also signed) letter's claims.
  const other = (await issueLetter(letter({ jti: 'DZYB-ED-0009', sub_name: '冒名公司' }), county.privateJwk)).text;
  const [header, , signature] = genuine.split('.');
  const swapped = [header, other.split('.')[1], signature].join('.');

  const texts: Record<EddsaCase, string> = { genuine, revoked, swapped };
  const urls = {} as Record<EddsaCase, string>;
  const cells: string[] = [];
  for (const [name, text] of Object.entries(texts) as [EddsaCase, string][]) {
    const path = `/files/${name}.png`;
    files.set(path, { type: 'image/png', body: drawLetterPng(text, `eddsa-${name}`) });
    urls[name] = `${origin}${path}`;
    cells.push(
      `<tr><td><img class="thumb" src="${path}" alt="${name}" width="160" height="210"><a href="${path}" download="${name}.png">${name}.png</a></td></tr>`,
    );
  }
  files.set('/eddsa.html', {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Ed25519 授权书</title></head><body><table>${cells.join('')}</table></body></html>`,
  });

  return {
    origin,
    registryUrl: `${origin}/registry.jws`,
    rootKeys: JSON.stringify(rootJwksOf([root.privateJwk])),
    region: '411381121',
    pageUrl: `${origin}/eddsa.html`,
    urls,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

// The demo registry, issuer keys, status lists and letters, built for the address the demo
// registry server actually listens on (the letters' status-list URIs name it). Signed with
// the committed DEMO-ONLY keys through the issuer library. Xichuan signs its letters and its
// status list with SM2 (letter-format.md section 1.1), so the portal shows the national
// algorithm at work next to ES256.
import {
  issueLetter,
  type LetterInput,
  makeStatusList,
  setStatus,
  signRegistry,
  signStatusList,
} from '../issuer/lib/index.ts';
import { type DemoKeyName, demoPrivateJwk, demoPublicJwk } from './demo-keys.ts';

export const DAY = 86_400;

/** What each demo attachment reproduces from the Dengzhou case, and what the extension must say. */
export type DemoCase = 'valid' | 'fake-issuer' | 'scope' | 'other-county' | 'expired' | 'revoked' | 'paper';

export interface DemoLetter {
  case: DemoCase;
  /** File name as the portal shows it. */
  fileName: string;
  /** The AL1 text, null for the paper letter with no code. */
  text: string | null;
  /** What the portal's table says about the applicant (Chinese). */
  applicant: string;
  title: string;
  format: 'png' | 'pdf';
  expected: { verdict: 'valid' | 'warning' | 'invalid' | 'none'; reasons: string[] };
}

export interface DemoWorld {
  registryJws: string;
  /** path → body, served by the registry server. */
  files: Map<string, string>;
  letters: DemoLetter[];
  /** 40 distinct valid letters for the performance page. */
  bulk: string[];
}

const ROOT_ISS = 'cn-hsa-henan-demo-root';
const DENGZHOU = 'cn-hsa-411381';
const XICHUAN = 'cn-hsa-411326';

function registryDescription(origin: string) {
  const excludes = [
    { 'zh-CN': '开通或绑定任何支付账户', en: 'Opening or linking any payment account' },
    { 'zh-CN': '采集人脸、指纹等生物识别信息', en: 'Collecting face, fingerprint or other biometrics' },
    { 'zh-CN': '收取或保管身份证、银行卡', en: 'Taking or keeping ID cards or bank cards' },
  ];
  const issuer = (id: string, key: DemoKeyName, zh: string, en: string, county: string, phone: string) => ({
    id,
    name: { 'zh-CN': zh, en },
    jurisdiction: [county],
    scopes: ['ehi.voucher.assist'],
    jwks: { keys: [demoPublicJwk(key)] },
    status_required: true,
    contact: { phone, url: `${origin}/contact/${id}` },
    state: 'active',
  });
  return {
    iss: ROOT_ISS,
    scopes: [
      {
        id: 'ehi.voucher.assist',
        label: { 'zh-CN': '指导群众激活医保电子凭证', en: 'Help residents activate the medical insurance e-voucher' },
        excludes,
        max_days: 90,
      },
      {
        id: 'payment.account.open',
        label: { 'zh-CN': '为群众开通支付账户', en: 'Open payment accounts for residents' },
        excludes: [],
        max_days: 30,
      },
    ],
    issuers: [
      issuer(
        DENGZHOU,
        'dengzhou',
        '邓州市医疗保障局（演示）',
        'Dengzhou Healthcare Security Administration (demo)',
        '411381',
        '0377-62000000',
      ),
      issuer(
        XICHUAN,
        'xichuan',
        '淅川县医疗保障局（演示）',
        'Xichuan Healthcare Security Administration (demo)',
        '411326',
        '0377-69000000',
      ),
    ],
  };
}

/** Builds everything for a registry server at `origin` (e.g. http://127.0.0.1:47311), as of `now` (seconds). */
export async function buildDemoWorld(origin: string, now: number): Promise<DemoWorld> {
  const files = new Map<string, string>();
  const { jws: registryJws } = await signRegistry(registryDescription(origin), demoPrivateJwk('demo-root'), {
    now,
    validDays: 30,
    // Versions grow with time, so a restarted demo server never looks like a rollback.
    version: Math.floor(now / 60),
  });
  files.set('/registry.jws', registryJws);

  const dzStatusUri = `${origin}/status/dengzhou.jws`;
  const xcStatusUri = `${origin}/status/xichuan.jws`;
  let dzList = makeStatusList({ uri: dzStatusUri, bits: 1, size: 1024 });
  dzList = setStatus(dzList, 5, 'revoked');
  files.set('/status/dengzhou.jws', await signStatusList(dzList, demoPrivateJwk('dengzhou'), { now, ttl: 3600 }));
  const xcList = makeStatusList({ uri: xcStatusUri, bits: 1, size: 1024 });
  files.set('/status/xichuan.jws', await signStatusList(xcList, demoPrivateJwk('xichuan'), { now, ttl: 3600 }));

  const base = (overrides: Partial<LetterInput>): LetterInput => ({
    iss: DENGZHOU,
    sub: '52411381MB00000012',
    sub_name: '邓州市惠民医保服务中心',
    agents: [{ name: '王建国', id_last4: '3516' }],
    scope: ['ehi.voucher.assist'],
    region: ['411381121'],
    iat: now - 5 * DAY,
    nbf: now - 5 * DAY,
    exp: now + 60 * DAY,
    jti: 'DZYB-2026-0017',
    purpose: '到陶营镇各村卫生室指导群众激活医保电子凭证',
    status: { status_list: { idx: 1, uri: dzStatusUri } },
    ...overrides,
  });
  const sign = async (input: LetterInput, key: DemoKeyName) => (await issueLetter(input, demoPrivateJwk(key))).text;

  const letters: DemoLetter[] = [
    {
      case: 'valid',
      fileName: '授权书-邓州市惠民医保服务中心.png',
      text: await sign(base({}), 'dengzhou'),
      applicant: '邓州市惠民医保服务中心 王建国',
      title: '医保电子凭证激活指导',
      format: 'png',
      expected: { verdict: 'valid', reasons: [] },
    },
    {
      case: 'fake-issuer',
      fileName: '授权书-豫汇通支付服务.png',
      text: await sign(
        base({
          iss: 'cn-pay-henan-yuhuitong',
          sub: '91410000MA4000002L',
          sub_name: '河南豫汇通支付服务有限公司',
          agents: [{ name: '李明', id_last4: '2047' }],
          jti: 'YHT-2026-0301',
          purpose: '医保电子凭证升级，绑定银行卡领取补贴',
          status: { status_list: { idx: 2, uri: dzStatusUri } },
        }),
        'fake-payment',
      ),
      applicant: '河南豫汇通支付服务有限公司 李明',
      title: '医保卡升级服务',
      format: 'png',
      expected: { verdict: 'invalid', reasons: ['ISSUER_UNKNOWN'] },
    },
    {
      case: 'scope',
      fileName: '授权书-开通支付账户.pdf',
      text: await sign(
        base({
          scope: ['payment.account.open'],
          exp: now + 20 * DAY,
          jti: 'DZYB-2026-0023',
          purpose: '为群众开通医保支付账户',
          status: { status_list: { idx: 3, uri: dzStatusUri } },
        }),
        'dengzhou',
      ),
      applicant: '邓州市惠民医保服务中心 王建国',
      title: '开通医保支付账户',
      format: 'pdf',
      expected: { verdict: 'invalid', reasons: ['SCOPE_NOT_PERMITTED'] },
    },
    {
      case: 'other-county',
      fileName: '授权书-淅川县荆紫关镇.png',
      text: await sign(
        base({
          iss: XICHUAN,
          sub: '52411326MB0000003K',
          sub_name: '淅川县便民医保服务站',
          agents: [{ name: '赵丽', id_last4: '8821' }],
          region: ['411326101'],
          jti: 'XCYB-2026-0008',
          purpose: '到荆紫关镇指导群众激活医保电子凭证',
          status: { status_list: { idx: 8, uri: xcStatusUri } },
        }),
        'xichuan',
      ),
      applicant: '淅川县便民医保服务站 赵丽',
      title: '医保电子凭证激活指导（外县，国密 SM2 签名）',
      format: 'png',
      expected: { verdict: 'warning', reasons: ['REGION_MISMATCH'] },
    },
    {
      case: 'expired',
      fileName: '授权书-已过期.pdf',
      text: await sign(
        base({
          iat: now - 120 * DAY,
          nbf: now - 120 * DAY,
          exp: now - 40 * DAY,
          jti: 'DZYB-2025-0311',
          status: { status_list: { idx: 4, uri: dzStatusUri } },
        }),
        'dengzhou',
      ),
      applicant: '邓州市惠民医保服务中心 王建国',
      title: '医保电子凭证激活指导（旧）',
      format: 'pdf',
      expected: { verdict: 'invalid', reasons: ['EXPIRED'] },
    },
    {
      case: 'revoked',
      fileName: '授权书-已撤销.png',
      text: await sign(
        base({
          sub: '91411381MA40000041',
          sub_name: '邓州市康联健康咨询有限公司',
          agents: [{ name: '孙强', id_last4: '6603' }],
          jti: 'DZYB-2026-0005',
          status: { status_list: { idx: 5, uri: dzStatusUri } },
        }),
        'dengzhou',
      ),
      applicant: '邓州市康联健康咨询有限公司 孙强',
      title: '医保电子凭证激活指导',
      format: 'png',
      expected: { verdict: 'invalid', reasons: ['REVOKED'] },
    },
    {
      case: 'paper',
      fileName: '介绍信-纸质无二维码.png',
      text: null,
      applicant: '某“医保服务”人员 张某',
      title: '纸质介绍信（无二维码）',
      format: 'png',
      expected: { verdict: 'none', reasons: [] },
    },
  ];

  const bulk: string[] = [];
  for (let i = 0; i < 40; i++) {
    bulk.push(
      await sign(
        base({
          jti: `DZYB-2026-B${String(i + 1).padStart(3, '0')}`,
          status: { status_list: { idx: 100 + i, uri: dzStatusUri } },
        }),
        'dengzhou',
      ),
    );
  }
  return { registryJws, files, letters, bulk };
}

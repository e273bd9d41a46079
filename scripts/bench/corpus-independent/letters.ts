/**
 * The independent corpus's letters: real AL1 texts signed with the issuer library under the
 * committed demo keys (ES256 for Dengzhou, SM2 for Xichuan), of several lengths (so several
 * QR versions). ECDSA and SM2 signatures are randomised, so the texts are issued once and
 * kept in the cache's letters.json: a corpus drawn again from the same file is the same
 * corpus, byte for byte.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { demoPrivateJwk } from '../../demo/demo-keys.ts';
import { issueLetter, type LetterInput } from '../../issuer/lib/index.ts';

export interface CorpusLetter {
  text: string;
  /** What the printed page says (the same claims as the code). */
  issuerName: string;
  subName: string;
  agents: string[];
  purpose: string;
  jti: string;
  issued: string;
}

const DAY = 86400;
const ISSUED = 1777593600; // 2026-05-01, a fixed date: the bench reads codes, it does not verify them

const VARIANTS: {
  key: 'dengzhou' | 'xichuan';
  iss: string;
  issuerName: string;
  sub: string;
  subName: string;
  agents: [string, string][];
  purpose: string;
  region: string[];
}[] = [
  {
    key: 'dengzhou',
    iss: 'cn-hsa-411381',
    issuerName: '邓州市医疗保障局',
    sub: '52411381MB00000012',
    subName: '邓州市惠民医保服务中心',
    agents: [['王建国', '3516']],
    purpose: '到陶营镇各村卫生室指导群众激活医保电子凭证',
    region: ['411381121'],
  },
  {
    key: 'xichuan',
    iss: 'cn-hsa-411326',
    issuerName: '淅川县医疗保障局',
    sub: '52411326MB0000003K',
    subName: '淅川县便民医保服务站',
    agents: [['赵丽', '8821']],
    purpose: '到荆紫关镇指导群众激活医保电子凭证',
    region: ['411326101'],
  },
  {
    key: 'dengzhou',
    iss: 'cn-hsa-411381',
    issuerName: '邓州市医疗保障局',
    sub: '52411381MB00000012',
    subName: '邓州市穰东镇卫生院',
    agents: [],
    purpose: '',
    region: ['411381107'],
  },
  {
    key: 'dengzhou',
    iss: 'cn-hsa-411381',
    issuerName: '邓州市医疗保障局',
    sub: '52411381MB00000012',
    subName: '邓州市城区社区卫生服务中心',
    agents: [
      ['李秀英', '0427'],
      ['陈志强', '9183'],
      ['刘洋', '5502'],
    ],
    purpose: '在城区各社区卫生服务站协助参保群众办理医保电子凭证激活、亲情账户绑定及异地就医备案',
    region: ['411381001', '411381002', '411381003'],
  },
  {
    key: 'xichuan',
    iss: 'cn-hsa-411326',
    issuerName: '淅川县医疗保障局',
    sub: '52411326MB0000003K',
    subName: '淅川县上集镇中心卫生院',
    agents: [
      ['孙海燕', '6610'],
      ['周磊', '2288'],
    ],
    purpose: '到上集镇各行政村指导群众激活医保电子凭证',
    region: ['411326104'],
  },
  {
    key: 'dengzhou',
    iss: 'cn-hsa-411381',
    issuerName: '邓州市医疗保障局',
    sub: '52411381MB00000012',
    subName: '邓州市张村镇中心卫生院',
    agents: [['吴敏', '7345']],
    purpose: '指导群众激活医保电子凭证',
    region: ['411381112'],
  },
];

async function issue(i: number): Promise<CorpusLetter> {
  const v = VARIANTS[i % VARIANTS.length] as (typeof VARIANTS)[number];
  const iat = ISSUED + i * DAY;
  const jti = `${v.key === 'dengzhou' ? 'DZYB' : 'XCYB'}-2026-${String(301 + i).padStart(4, '0')}`;
  const input: LetterInput = {
    iss: v.iss,
    sub: v.sub,
    sub_name: v.subName,
    ...(v.agents.length ? { agents: v.agents.map(([name, id_last4]) => ({ name, id_last4 })) } : {}),
    scope: ['ehi.voucher.assist'],
    region: v.region,
    iat,
    nbf: iat,
    exp: iat + 180 * DAY,
    jti,
    ...(v.purpose ? { purpose: v.purpose } : {}),
    status: { status_list: { idx: 300 + i, uri: `https://ybj.example.gov.cn/status/${v.key}.jws` } },
  };
  const { text } = await issueLetter(input, demoPrivateJwk(v.key) as Parameters<typeof issueLetter>[1]);
  return {
    text,
    issuerName: v.issuerName,
    subName: v.subName,
    agents: v.agents.map(([name, last4]) => `${name}（身份证尾号 ${last4}）`),
    purpose: v.purpose || '指导群众激活医保电子凭证',
    jti,
    issued: new Date(iat * 1000).toISOString().slice(0, 10),
  };
}

/** `count` letters, from `path` when it holds them, else issued now and saved there. */
export async function corpusLetters(path: string, count: number): Promise<CorpusLetter[]> {
  if (existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as CorpusLetter[];
    if (saved.length >= count) return saved.slice(0, count);
  }
  const out: CorpusLetter[] = [];
  for (let i = 0; i < count; i++) out.push(await issue(i));
  writeFileSync(path, JSON.stringify(out, null, 1));
  return out;
}

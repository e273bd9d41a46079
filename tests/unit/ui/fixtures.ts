/**
 * Verdicts and documents for the UI tests, shaped as the core returns them. Built by
 * functions (not hand-written tokens): the UI only reads the Verdict contract.
 */

import type { DocumentRecord } from '../../../utils/check/document-record.ts';
import { overallVerdict, type ReasonCode } from '../../../utils/verify/reason-codes.ts';
import type { LetterClaims, Verdict, VerdictFacts } from '../../../utils/verify/verdict.ts';

export const NOW = Date.UTC(2026, 2, 10, 2, 30); // 2026-03-10 10:30 in Beijing

export const LETTER: LetterClaims = {
  iss: 'cn-hsa-411381',
  sub: '91411381MA9XXXXX0K',
  sub_name: '邓州市惠民数字服务有限公司',
  agents: [{ name: '张三', id_last4: '1234' }],
  scope: ['ehi.voucher.assist'],
  region: ['411381121', '411381'],
  iat: Date.UTC(2026, 1, 28) / 1000,
  nbf: Date.UTC(2026, 1, 28, 16) / 1000,
  exp: Date.UTC(2026, 4, 28, 16) / 1000,
  jti: 'DZ-2026-0001',
  purpose: '协助村民激活医保电子凭证。联系电话 13800000000',
};

export const FULL_EXCLUDES = [
  { 'zh-CN': '开通或绑定任何支付账户', en: 'Opening or linking any payment account' },
  { 'zh-CN': '采集人脸、指纹等生物识别信息', en: 'Collecting face, fingerprint or other biometrics' },
  { 'zh-CN': '收取或保管身份证、银行卡', en: 'Taking or keeping ID cards or bank cards' },
];

export function facts(overrides: Partial<VerdictFacts> = {}): VerdictFacts {
  return {
    issuerName: { 'zh-CN': '邓州市医疗保障局', en: 'Dengzhou Healthcare Security Administration' },
    issuerContact: { phone: '0377-62150000', url: 'https://ybj.dengzhou.gov.cn' },
    issuerJurisdiction: ['411381'],
    scopes: [
      {
        id: 'ehi.voucher.assist',
        label: { 'zh-CN': '指导群众激活医保电子凭证', en: 'Help residents activate the medical insurance e-voucher' },
        excludes: FULL_EXCLUDES,
      },
    ],
    registry: { iss: 'cn-hsa-henan-root', version: 42, stale: false },
    status: { state: 'valid', checkedAt: NOW - 60_000 },
    clockSuspect: false,
    checkedAt: NOW,
    ...overrides,
  };
}

export function verdict(
  reasons: ReasonCode[] = [],
  overrides: { letter?: LetterClaims | null; facts?: Partial<VerdictFacts> } = {},
): Verdict {
  return {
    verdict: overallVerdict(reasons),
    reasons,
    letter: overrides.letter === undefined ? LETTER : overrides.letter,
    facts: facts(overrides.facts),
  };
}

export function record(overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  const codes = overrides.codes ?? [{ page: 1, verdict: verdict() }];
  const worst = codes.some((c) => c.verdict.verdict === 'invalid')
    ? 'invalid'
    : codes.some((c) => c.verdict.verdict === 'warning')
      ? 'warning'
      : codes.length === 0
        ? 'none'
        : 'valid';
  return {
    id: 'doc-1',
    name: '授权书.pdf',
    url: 'https://portal.example.gov.cn/files/letter.pdf',
    source: 'link',
    pageUrl: 'https://portal.example.gov.cn/review/17',
    checkedAt: NOW,
    state: 'done',
    progress: null,
    codes,
    verdict: worst,
    error: null,
    ...overrides,
  };
}

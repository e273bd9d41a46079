import { describe, expect, it } from 'vitest';
import {
  countStates,
  hidePhoneNumbers,
  localized,
  notAuthorizedLines,
  regionLines,
  sortDocuments,
} from '../../../utils/explain/letter-display.ts';
import { parseRegionTable } from '../../../utils/explain/region-names.ts';
import { FULL_EXCLUDES, facts, NOW, record, verdict } from '../ui/fixtures.ts';

const DEFAULT_LINE = '本授权不包括开通支付账户、采集人脸信息、收取身份证或银行卡';

describe('localized (a registry label)', () => {
  it.each([
    [{ 'zh-CN': '邓州市医疗保障局', en: 'Dengzhou HSA' }, 'en', 'Dengzhou HSA'],
    [{ 'zh-CN': '邓州市医疗保障局', en: '' }, 'en', '邓州市医疗保障局'],
    [{ 'zh-CN': '邓州市\u202E局障保疗医', en: '' }, 'zh-CN', '邓州市⟨U+202E⟩局障保疗医'],
    [{ 'zh-CN': '邓州市医保局\n有效', en: '' }, 'zh-CN', '邓州市医保局⟨U+000A⟩有效'],
  ] as const)('shows %j in %s as %s', (text, locale, shown) => {
    expect(localized(text, locale)).toBe(shown);
  });
});

describe('notAuthorizedLines', () => {
  it('lists the exclusions of all scopes once each', () => {
    const scope = { id: 'a', label: null, excludes: FULL_EXCLUDES };
    const lines = notAuthorizedLines(facts({ scopes: [scope, { ...scope, id: 'b' }] }), 'zh-CN');
    expect(lines).toEqual(FULL_EXCLUDES.map((e) => e['zh-CN']));
  });

  it.each([
    ['no scope the registry knows', []],
    ['exclusions that miss bank cards', [FULL_EXCLUDES[0]!, FULL_EXCLUDES[1]!]],
  ])('adds the default line for %s', (_label, excludes) => {
    const lines = notAuthorizedLines(facts({ scopes: [{ id: 'a', label: null, excludes }] }), 'zh-CN');
    expect(lines.at(-1)).toBe(DEFAULT_LINE);
  });

  it('writes the exclusions in English for an English reader', () => {
    const lines = notAuthorizedLines(facts(), 'en');
    expect(lines).toEqual(FULL_EXCLUDES.map((e) => e.en));
  });
});

describe('regionLines', () => {
  const table = parseRegionTable('41河南省\n\t13南阳市\n\t\t81邓州市');
  it.each([
    ['411381', '河南省南阳市邓州市（411381）'],
    ['411382', '411382（代码不在行政区划表中）'],
  ])('names %s as %s', (code, line) => {
    expect(regionLines([code], table, 'zh-CN')).toEqual([line]);
  });

  it('shows the bare code while the table is loading', () => {
    expect(regionLines(['411381'], null, 'zh-CN')).toEqual(['411381']);
  });
});

describe('hidePhoneNumbers', () => {
  it.each([
    ['联系电话 13800000000', '联系电话 （号码已隐去）'],
    ['电话：0377-6215 0000。', '电话：（号码已隐去）。'],
    ['+86 138 0000 0000', '（号码已隐去）'],
    ['第 2026 号', '第 2026 号'],
  ])('turns %j into %j', (input, output) => {
    expect(hidePhoneNumbers(input, 'zh-CN')).toBe(output);
  });
});

describe('sortDocuments', () => {
  it('lists problems first, newest first within each state', () => {
    const docs = [
      record({ id: 'valid' }),
      record({ id: 'old-invalid', checkedAt: NOW - 5000, codes: [{ page: 1, verdict: verdict(['EXPIRED']) }] }),
      record({ id: 'none', codes: [], verdict: 'none' }),
      record({ id: 'new-invalid', codes: [{ page: 1, verdict: verdict(['REVOKED']) }] }),
      record({ id: 'warning', codes: [{ page: 1, verdict: verdict(['STATUS_UNKNOWN']) }] }),
      record({ id: 'checking', state: 'checking', codes: [], verdict: 'none' }),
      record({ id: 'error', codes: [], verdict: 'error', error: { key: 'ui.card.error.unknown' } }),
    ];
    expect(sortDocuments(docs).map((d) => d.id)).toEqual([
      'new-invalid',
      'old-invalid',
      'warning',
      'none',
      'error',
      'checking',
      'valid',
    ]);
    expect(countStates(docs)).toEqual({ valid: 1, warning: 1, invalid: 2, none: 1, error: 1, checking: 1 });
  });

  it('keeps equal verdicts in the order they were found, newest first, whichever check finished first', () => {
    const bad = [{ page: 1, verdict: verdict(['EXPIRED']) }];
    // Found a, then b, then c; their checks ran in parallel and finished c, a, b.
    const found = [
      record({ id: 'a', checkedAt: NOW + 2, codes: bad }),
      record({ id: 'b', checkedAt: NOW + 3, codes: bad }),
      record({ id: 'c', checkedAt: NOW + 1, codes: bad }),
    ];
    expect(sortDocuments(found).map((d) => d.id)).toEqual(['c', 'b', 'a']);
    const rerun = found.map((d, i) => ({ ...d, checkedAt: NOW + 10 - i }));
    expect(sortDocuments(rerun).map((d) => d.id)).toEqual(['c', 'b', 'a']);
  });
});

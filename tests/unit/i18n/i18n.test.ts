import { describe, expect, it } from 'vitest';
import { CATALOGS, formatDate, formatDateTime, resolveLocale, t } from '../../../utils/i18n/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogs', () => {
  it('has the same keys in zh-CN and en', () => {
    expect([...CATALOGS.en.keys()].sort()).toEqual([...CATALOGS['zh-CN'].keys()].sort());
  });

  it.each([...CATALOGS['zh-CN'].keys()])('uses the same placeholders in both languages for %s', (key) => {
    expect(placeholders(CATALOGS.en.get(key) ?? '')).toEqual(placeholders(CATALOGS['zh-CN'].get(key) ?? ''));
  });

  it('has no empty message', () => {
    for (const catalog of Object.values(CATALOGS)) {
      for (const [key, text] of catalog) expect(text.trim(), key).not.toBe('');
    }
  });
});

describe('t', () => {
  it('translates a key in each language', () => {
    expect(t('zh-CN', 'core.verdict.valid')).toBe('有效');
    expect(t('en', 'core.verdict.valid')).toBe('Valid');
  });
});

describe('resolveLocale', () => {
  it.each([
    ['zh', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh_TW', 'zh-CN'],
    ['en-US', 'en'],
    ['fr', 'zh-CN'],
    [undefined, 'zh-CN'],
  ] as const)('maps %s to %s', (tag, locale) => {
    expect(resolveLocale(tag)).toBe(locale);
  });
});

describe('formatDate', () => {
  it('writes dates the Chinese way in China Standard Time', () => {
    // 2026-02-28T16:30:00Z is already 1 March in Beijing.
    expect(formatDate('zh-CN', Date.UTC(2026, 1, 28, 16, 30) / 1000)).toBe('2026年3月1日');
    expect(formatDate('en', Date.UTC(2026, 1, 28, 16, 30) / 1000)).toBe('March 1, 2026');
  });

  // Intl threw "Invalid time value" past the Date range: one hostile code stopped a CLI batch.
  it.each([
    [1e20, '100000000000000000000'],
    [Number.NaN, 'NaN'],
    [-1e16, '-10000000000000000'],
  ])('writes %s, which no calendar reaches, as the number instead of throwing', (seconds, shown) => {
    expect(formatDate('zh-CN', seconds)).toBe(shown);
    expect(formatDateTime('en', seconds * 1000)).toBe(String(seconds * 1000));
  });
});

// The marker frame's own translator (utils/i18n/extension-strings.ts) must say exactly what
// `t` says for every key of the extension area, in both locales, placeholders and fallback alike.
import { describe, expect, it } from 'vitest';
import { type ExtensionKey, tExtension } from '../../../utils/i18n/extension-strings.ts';
import { CATALOGS, LOCALES, t } from '../../../utils/i18n/i18n.ts';

const keys = [...CATALOGS['zh-CN'].keys()].filter((k) => k.startsWith('extension.')) as ExtensionKey[];

describe('tExtension', () => {
  it('covers the extension area', () => {
    expect(keys.length).toBeGreaterThan(10);
    expect(keys).toContain('extension.marker.valid');
  });

  it.each(LOCALES)('agrees with t on every extension key in %s', (locale) => {
    const params = { page: 3, pages: 12, name: '授权书.png', verdict: '有效', mark: '红枣' };
    for (const key of keys) expect(tExtension(locale, key, params)).toBe(t(locale, key, params));
  });

  it('falls back to the key itself for a key it does not hold', () => {
    expect(tExtension('en', 'extension.no.such.key' as ExtensionKey)).toBe('extension.no.such.key');
  });
});

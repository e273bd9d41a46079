/**
 * One term for each thing (public/locales/glossary.json): no locale file may use a term the
 * glossary retired, and the verdict words everywhere are the glossary's. A string that says
 * 验证码 (which reads as an SMS code) or 插件 fails here, with the key that says it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import glossary from '../../../public/locales/glossary.json';
import { LOCALES, type Locale, t } from '../../../utils/i18n/i18n.ts';

const ROOT = join(import.meta.dirname, '../../..');

interface Term {
  id: string;
  'zh-CN': string;
  en: string;
  retired: Record<Locale, string[]>;
}
const TERMS = glossary.terms as Term[];

/** Every string of every locale file: the app's catalogs and the manifest's `_locales`. */
function strings(locale: Locale): [file: string, key: string, text: string][] {
  const out: [string, string, string][] = [];
  const dir = join(ROOT, 'public/locales', locale);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const catalog = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, string>;
    for (const [key, text] of Object.entries(catalog)) out.push([`${locale}/${file}`, key, text]);
  }
  const manifest = join(ROOT, 'public/_locales', locale === 'zh-CN' ? 'zh_CN' : 'en', 'messages.json');
  const messages = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, { message: string }>;
  for (const [key, { message }] of Object.entries(messages)) out.push([`_locales/${locale}`, key, message]);
  return out;
}

describe('the glossary', () => {
  it('gives every term in both languages and never retires a term it uses', () => {
    const used = new Set(TERMS.flatMap((term) => LOCALES.map((l) => term[l])));
    for (const term of TERMS) {
      for (const locale of LOCALES) {
        expect(term[locale], `${term.id} ${locale}`).not.toBe('');
        for (const old of term.retired[locale]) expect(used.has(old), `${old} is both used and retired`).toBe(false);
      }
    }
  });

  it.each(LOCALES)('finds no retired term in any %s locale file', (locale) => {
    const offenders: string[] = [];
    for (const [file, key, text] of strings(locale)) {
      for (const term of TERMS) {
        for (const old of term.retired[locale]) {
          if (text.includes(old)) offenders.push(`${file} ${key}: "${old}" (say "${term[locale]}")`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it.each(LOCALES)('uses the glossary verdict words in every %s catalog that names verdicts', (locale) => {
    for (const state of ['valid', 'warning', 'invalid', 'none', 'error'] as const) {
      const word = TERMS.find((term) => term.id === `verdict.${state}`)?.[locale];
      expect(t(locale, `ui.state.${state}`)).toBe(word);
      expect(t(locale, `core.verdict.${state}`)).toBe(word);
      expect(t(locale, `extension.verdict.${state}`)).toBe(word);
      // Markers may say more ("授权书有效"), but always the glossary word.
      expect(t(locale, `extension.marker.${state}`).toLowerCase()).toContain(word?.toLowerCase());
    }
  });

  it('catches a retired term (the check can fail)', () => {
    const sample = '文件上没有验证码，请联系插件作者';
    const hits = TERMS.flatMap((term) => term.retired['zh-CN'].filter((old) => sample.includes(old)));
    expect(hits).toEqual(['验证码', '插件', '没有验证码']);
  });
});

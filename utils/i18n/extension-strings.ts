/**
 * The extension runtime's strings alone (`public/locales/<locale>/extension.json`, 3 KB a
 * locale), for the marker frame: every page with documents opens one such frame per document
 * near the screen, and i18n.ts would parse every area's catalogue (80 KB) in each. Same keys,
 * same lookup and fallback as `t` in i18n.ts (a test checks they agree).
 */
import extensionEn from '../../public/locales/en/extension.json';
import extensionZh from '../../public/locales/zh-CN/extension.json';
import { flatten, type Locale, lookUp, type MessageParams } from './locales.ts';

/** A key of the extension area, as i18n.ts names it (`extension.marker.valid`). */
export type ExtensionKey = `extension.${Extract<keyof typeof extensionZh, string>}`;

const CATALOGS: Record<Locale, Map<string, string>> = {
  'zh-CN': flatten({ extension: extensionZh }),
  en: flatten({ extension: extensionEn }),
};

/** `t` for the extension area only. @example tExtension('zh-CN', 'extension.marker.valid') // '授权书有效' */
export function tExtension(locale: Locale, key: ExtensionKey, params?: MessageParams): string {
  return lookUp(CATALOGS, locale, key, params);
}

/**
 * The supported locales and the `{name}` filling every catalogue shares, with no catalogue
 * at all: modules that only need a locale name (settings) or carry their own few strings (the
 * marker frame, extension-strings.ts) import this, not i18n.ts and its 80 KB of catalogues.
 */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export type MessageParams = Record<string, string | number>;

/** Picks the supported locale for a BCP 47 tag or a list of them (`zh`, `zh-Hans-CN` → zh-CN; `en-US` → en). */
export function resolveLocale(tags: string | readonly (string | undefined)[] | undefined): Locale {
  const list = typeof tags === 'string' ? [tags] : (tags ?? []);
  for (const tag of list) {
    if (!tag) continue;
    const lower = tag.toLowerCase().replace('_', '-');
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return DEFAULT_LOCALE;
}

/** Flattens namespaced catalogues into `namespace.key` → text. */
export function flatten(namespaces: Record<string, Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [ns, catalog] of Object.entries(namespaces)) {
    for (const [key, text] of Object.entries(catalog)) out.set(`${ns}.${key}`, text);
  }
  return out;
}

/**
 * Looks a key up in the locale's catalogue, then zh-CN's, then gives the key itself (a missing
 * key is a bug, and the page never shows an empty string), and fills in `{name}` placeholders.
 */
export function lookUp(
  catalogs: Record<Locale, Map<string, string>>,
  locale: Locale,
  key: string,
  params?: MessageParams,
): string {
  const text = catalogs[locale].get(key) ?? catalogs[DEFAULT_LOCALE].get(key) ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * Every user-visible string, in Simplified Chinese first and English second.
 *
 * Catalogs live in `public/locales/<locale>/<namespace>.json`, one namespace per area
 * (core verdicts, CLI, document reader, extension runtime, UI), so each area owns its
 * file. Keys are `namespace.key`; placeholders are `{name}`. This module is pure (no
 * `browser.i18n`): the CLI uses it too, and the user can pick a language in the options
 * page that differs from the browser's.
 */
import cliEn from '../../public/locales/en/cli.json';
import coreEn from '../../public/locales/en/core.json';
import extensionEn from '../../public/locales/en/extension.json';
import readerEn from '../../public/locales/en/reader.json';
import uiEn from '../../public/locales/en/ui.json';
import cliZh from '../../public/locales/zh-CN/cli.json';
import coreZh from '../../public/locales/zh-CN/core.json';
import extensionZh from '../../public/locales/zh-CN/extension.json';
import readerZh from '../../public/locales/zh-CN/reader.json';
import uiZh from '../../public/locales/zh-CN/ui.json';
import { flatten, type Locale, lookUp, type MessageParams } from './locales.ts';

export { DEFAULT_LOCALE, LOCALES, type Locale, type MessageParams, resolveLocale } from './locales.ts';

type Prefixed<NS extends string, T> = `${NS}.${Extract<keyof T, string>}`;

/** Every message key; the zh-CN catalogs are the reference. */
export type MessageKey =
  | Prefixed<'core', typeof coreZh>
  | Prefixed<'cli', typeof cliZh>
  | Prefixed<'reader', typeof readerZh>
  | Prefixed<'extension', typeof extensionZh>
  | Prefixed<'ui', typeof uiZh>;

/** Exposed for the catalog-consistency test. */
export const CATALOGS: Record<Locale, Map<string, string>> = {
  'zh-CN': flatten({ core: coreZh, cli: cliZh, reader: readerZh, extension: extensionZh, ui: uiZh }),
  en: flatten({ core: coreEn, cli: cliEn, reader: readerEn, extension: extensionEn, ui: uiEn }),
};

/**
 * Translates one key. A missing key is a bug: it falls back to zh-CN, then to the key
 * itself, so the page never shows an empty string.
 *
 * @example t('zh-CN', 'core.verdict.valid') // '有效'
 */
export function t(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return lookUp(CATALOGS, locale, key, params);
}

/** A translator bound to one locale, for components and reports. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => t(locale, key, params);
}

/**
 * A date as people in China read it: `2026年3月1日` / `1 March 2026`, in China
 * Standard Time whatever the machine's zone, so a letter's dates read the same everywhere.
 */
export function formatDate(locale: Locale, epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  // Intl throws on a date outside the Date range (a hostile "nbf": 1e20): show the number instead.
  if (Number.isNaN(date.getTime())) return String(epochSeconds);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(date);
}

/** Date and time to the minute, China Standard Time. */
export function formatDateTime(locale: Locale, epochMs: number): string {
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) return String(epochMs);
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    hourCycle: 'h23',
    timeZone: 'Asia/Shanghai',
  }).format(date);
}

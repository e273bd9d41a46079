import { CATALOGS, type Locale, type MessageKey, t } from '../utils/i18n/i18n.ts';

/**
 * Text for an error the runtime sent as a string: a message key when it is one (the
 * protocol's `error` fields carry keys such as `extension.error.notPdfTab`), a registry
 * problem code (`REGISTRY_UNREACHABLE`) in words, else the text as is.
 *
 * @example messageText('zh-CN', 'REGISTRY_UNREACHABLE') // '取不到签发机关名单（网络不通）。'
 */
export function messageText(locale: Locale, keyOrText: string): string {
  const catalog = CATALOGS[locale];
  if (catalog.has(keyOrText)) return t(locale, keyOrText as MessageKey);
  const problem = `core.registryProblem.${keyOrText}`;
  if (catalog.has(problem)) return t(locale, problem as MessageKey);
  return keyOrText;
}

import { CATALOGS, type Locale, type MessageKey, t } from '../utils/i18n.ts';

/**
 * Text for an error the runtime sent as a string: a message key when it is one (the
 * protocol's `error` fields carry keys such as `extension.error.notPdfTab`), else as is.
 */
export function messageText(locale: Locale, keyOrText: string): string {
  return CATALOGS[locale].has(keyOrText) ? t(locale, keyOrText as MessageKey) : keyOrText;
}

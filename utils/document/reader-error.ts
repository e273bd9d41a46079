import type { LocalizedMessage } from '../check/document-check.ts';
import type { MessageKey, MessageParams } from '../i18n/i18n.ts';

/**
 * An expected failure to read a document (wrong type, over a limit, damaged, encrypted).
 * It carries the localized message the user sees; `readDocument` turns it into
 * `{ ok: false, error }`. Anything else thrown inside the reader is a bug and is
 * reported as `reader.error.internal`, never as a document without codes.
 */
export class ReaderError extends Error {
  readonly key: MessageKey;
  readonly params: MessageParams | undefined;

  constructor(key: MessageKey, params?: MessageParams) {
    super(key);
    this.name = 'ReaderError';
    this.key = key;
    this.params = params;
  }

  toMessage(): LocalizedMessage {
    return this.params ? { key: this.key, params: this.params } : { key: this.key };
  }
}

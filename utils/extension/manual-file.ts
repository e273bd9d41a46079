/**
 * A file the user chose, dropped, pasted or scanned in the side panel, sent to be checked,
 * and the status line that says so.
 */
import type { DocumentSource } from '../check/document-record.ts';
import { escapeUntrusted } from '../explain/untrusted-text.ts';
import { type Locale, t } from '../i18n/i18n.ts';
import { bytesToBase64, MAX_DOCUMENT_BYTES, sendMessage } from './messages.ts';

/** What a manual check tells the user, and the document it started (its card goes under "刚才检查的文件"). */
export interface ManualOutcome {
  status: string;
  docId: string | null;
}

/**
 * Sends a file the user chose, dropped, pasted or scanned to the runtime, which checks it
 * with the same pipeline as page documents; the card appears at the top of the panel and
 * in the history.
 */
export async function checkUserFile(
  file: File,
  source: DocumentSource,
  tabId: number | null,
  locale: Locale,
): Promise<ManualOutcome> {
  const name = file.name || (source === 'paste' ? 'paste.png' : 'file');
  // The name was given by whoever made the file (a portal's download, a mail attachment):
  // a bidi override in it must not reorder the status line ("授权书\u202Egnp.exe").
  const shownName = escapeUntrusted(name);
  const failed = (reason: string) => ({
    status: t(locale, 'ui.manual.failed', { name: shownName, reason }),
    docId: null,
  });
  if (file.size > MAX_DOCUMENT_BYTES) {
    return failed(t(locale, 'ui.manual.tooLarge', { mb: Math.round(MAX_DOCUMENT_BYTES / 1024 / 1024) }));
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return failed(t(locale, 'ui.manual.readFailed'));
  }
  try {
    const accepted = await sendMessage('check.bytes', { tabId, name, source, base64: bytesToBase64(bytes) });
    if (!accepted?.docId) return failed(t(locale, 'ui.manual.sendFailed'));
    return { status: t(locale, 'ui.manual.sent', { name: shownName }), docId: accepted.docId };
  } catch {
    return failed(t(locale, 'ui.manual.sendFailed'));
  }
}

import { messageText } from '../../components/message-text.ts';
import type { DocumentSource } from '../../utils/check/document-record.ts';
import { bytesToBase64, MAX_DOCUMENT_BYTES, sendMessage } from '../../utils/extension/messages.ts';
import { type Locale, t } from '../../utils/i18n/i18n.ts';

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
  const failed = (reason: string) => ({ status: t(locale, 'ui.manual.failed', { name, reason }), docId: null });
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
    return { status: t(locale, 'ui.manual.sent', { name }), docId: accepted.docId };
  } catch {
    return failed(t(locale, 'ui.manual.sendFailed'));
  }
}

/** "检查此标签页的 PDF": the runtime fetches the bytes of the PDF open in the browser's viewer. */
export async function checkTabPdf(tabId: number, locale: Locale): Promise<ManualOutcome> {
  try {
    const answer = await sendMessage('tab.checkPdf', { tabId });
    if (answer.docId === null) {
      return {
        status: t(locale, 'ui.manual.tabPdf.failed', { reason: messageText(locale, answer.error) }),
        docId: null,
      };
    }
    return { status: t(locale, 'ui.manual.sent', { name: t(locale, 'ui.card.source.tab-pdf') }), docId: answer.docId };
  } catch {
    return { status: t(locale, 'ui.manual.tabPdf.failed', { reason: t(locale, 'ui.manual.sendFailed') }), docId: null };
  }
}

import { messageText } from '../../components/message-text.ts';
import type { ManualOutcome } from '../../utils/extension/manual-file.ts';
import { sendMessage } from '../../utils/extension/messages.ts';
import { type Locale, t } from '../../utils/i18n/i18n.ts';

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

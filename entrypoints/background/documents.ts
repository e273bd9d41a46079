/**
 * Wiring: the background's document flow (utils/extension/document-flow.ts) over the real
 * verifier host, toolbar and refetch of this service worker.
 */
import { createDocumentFlow } from '../../utils/extension/document-flow.ts';
import { fetchDocument } from './fetch-document.ts';
import { drawToolbar } from './toolbar.ts';
import { hostCheck, onOrphanCheckEvent } from './verifier-host.ts';

export { CHECK_WATCHDOG_ALARM } from '../../utils/extension/document-flow.ts';

export const { submitDocument, recordUnreadable, endInterruptedChecks } = createDocumentFlow({
  check: hostCheck,
  onOrphanCheckEvent,
  drawToolbar: (tabId) => drawToolbar(tabId),
  fetchDocument: (url) => fetchDocument(url),
});

/**
 * The record a marker frame asks for where it cannot read `storage.session` itself
 * (Firefox gives extension frames inside web pages only content-script APIs). Answered
 * only to a frame of the tab the document belongs to: a page that learned another tab's
 * ids still reads nothing, as with `storage.session` (which pages cannot read at all).
 */
import type { DocumentRecord } from '../check/document-record.ts';
import { readTab } from './tab-store.ts';

/**
 * @example markerRecord({ tabId: 7, docId: 'd1' }, sender.tab?.id) // { record: … } or { record: null }
 */
export async function markerRecord(
  request: { tabId: number; docId: string },
  senderTabId: number | undefined,
): Promise<{ record: DocumentRecord | null }> {
  if (senderTabId === undefined || senderTabId !== request.tabId) return { record: null };
  const tab = await readTab(request.tabId);
  return { record: tab?.documents.find((d) => d.id === request.docId) ?? null };
}

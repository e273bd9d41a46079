import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type TabDocuments, tabDocumentsKey } from '../../utils/check/document-record.ts';

/** A tab's documents from `storage.session`, updated whenever the background writes them. */
export function useTabDocuments(tabId: number | null): TabDocuments | null {
  const [docs, setDocs] = useState<TabDocuments | null>(null);
  useEffect(() => {
    setDocs(null);
    if (tabId === null) return;
    const key = tabDocumentsKey(tabId);
    let live = true;
    void browser.storage.session.get(key).then((stored) => {
      if (live) setDocs((stored[key] as TabDocuments | undefined) ?? null);
    });
    const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area !== 'session' || !(key in changes)) return;
      setDocs((changes[key]?.newValue as TabDocuments | undefined) ?? null);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, [tabId]);
  return docs;
}

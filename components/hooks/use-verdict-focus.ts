import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { isFreshFocus, type VerdictFocus, verdictFocusKey } from '../../utils/extension/verdict-focus.ts';

/**
 * Which document a marker click asked the verdict view to show: `?doc=` when the view was
 * opened as a window or tab for that click, a fresh request in `storage.session` when the
 * side panel opens because of it, and every later request while the view stays open.
 */
export function useVerdictFocus(
  tabId: number | null,
  search: string = globalThis.location?.search ?? '',
): VerdictFocus | null {
  const [focus, setFocus] = useState<VerdictFocus | null>(() => {
    const doc = new URLSearchParams(search).get('doc');
    return doc ? { docId: doc, at: Date.now() } : null;
  });
  useEffect(() => {
    if (tabId === null) return;
    const key = verdictFocusKey(tabId);
    let live = true;
    void browser.storage.session.get(key).then((stored) => {
      const value = stored[key];
      if (live && isFreshFocus(value, Date.now())) {
        setFocus((current) => (current && current.at >= value.at ? current : value));
      }
    });
    const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area !== 'session' || !(key in changes)) return;
      const value = changes[key]?.newValue;
      // Any new request counts while open, however long the panel has been showing.
      if (isFreshFocus(value, (value as VerdictFocus).at)) setFocus(value);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, [tabId]);
  return focus;
}

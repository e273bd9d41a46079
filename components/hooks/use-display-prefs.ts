import { useEffect, useState } from 'preact/hooks';
import {
  applyDisplayPrefs,
  DEFAULT_DISPLAY,
  type DisplayPrefs,
  loadDisplayPrefs,
  watchDisplayPrefs,
} from '../../utils/extension/display-prefs.ts';

/** The display preferences, applied to this page and kept current as any page changes them. */
export function useDisplayPrefs(): DisplayPrefs {
  const [prefs, setPrefs] = useState<DisplayPrefs>(DEFAULT_DISPLAY);
  useEffect(() => {
    const stop = new AbortController();
    const set = (next: DisplayPrefs) => {
      applyDisplayPrefs(next);
      setPrefs(next);
    };
    void loadDisplayPrefs().then((p) => {
      if (!stop.signal.aborted) set(p);
    });
    watchDisplayPrefs(set, stop.signal);
    return () => stop.abort();
  }, []);
  return prefs;
}

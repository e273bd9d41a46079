import { useEffect, useState } from 'preact/hooks';
import { type LoadedSettings, loadSettings, watchSettings } from '../../utils/extension/settings-storage.ts';

/** The effective settings (policy wins), kept current as they change in any extension page. */
export function useSettings(): LoadedSettings | null {
  const [loaded, setLoaded] = useState<LoadedSettings | null>(null);
  useEffect(() => {
    const stop = new AbortController();
    void loadSettings().then((value) => {
      if (!stop.signal.aborted) setLoaded(value);
    });
    watchSettings(setLoaded, stop.signal);
    return () => stop.abort();
  }, []);
  return loaded;
}

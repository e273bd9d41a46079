import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';

/**
 * The match patterns the content script is registered for right now: where attachments
 * are really checked, including sites a build enables by itself (the demo portal's
 * loopback hosts), which are not in the user's list. Re-read when `version` changes.
 */
export function useRunningSites(version: unknown): string[] {
  const [patterns, setPatterns] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    const scripting = browser.scripting as typeof browser.scripting | undefined;
    void Promise.resolve(scripting?.getRegisteredContentScripts?.())
      .then((scripts) => {
        if (live) setPatterns([...new Set((scripts ?? []).flatMap((s) => s.matches ?? []))]);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [version]);
  return patterns;
}

/**
 * A match pattern as people read a site: `http://127.0.0.1/*` → `http://127.0.0.1`.
 *
 * @example patternSite('https://portal.gov.cn/*') // 'https://portal.gov.cn'
 */
export function patternSite(pattern: string): string {
  return pattern.replace(/\/\*$/, '');
}

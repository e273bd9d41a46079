// Which Chromium-family browser `npm start` opens: CHROME_PATH first (the user's explicit
// choice), then Chromium, then Google Chrome, then Microsoft Edge in their usual places.
// `exists` is passed in so the table of places can be tested on any machine.
import { existsSync } from 'node:fs';

export type BrowserKind = 'chromium' | 'chrome' | 'edge' | 'custom';

export interface FoundBrowser {
  path: string;
  kind: BrowserKind;
}

interface Candidate {
  path: string;
  kind: BrowserKind;
}

/** The usual install places per platform, in the order they are tried. */
export function browserCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Candidate[] {
  if (platform === 'darwin') {
    const home = env.HOME ?? '';
    const apps = ['/Applications', `${home}/Applications`];
    return apps.flatMap((dir) => [
      { path: `${dir}/Chromium.app/Contents/MacOS/Chromium`, kind: 'chromium' as const },
      { path: `${dir}/Google Chrome.app/Contents/MacOS/Google Chrome`, kind: 'chrome' as const },
      { path: `${dir}/Microsoft Edge.app/Contents/MacOS/Microsoft Edge`, kind: 'edge' as const },
    ]);
  }
  if (platform === 'win32') {
    // Chrome and Edge install per machine (Program Files) or per user (LOCALAPPDATA).
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
      (r): r is string => typeof r === 'string' && r.length > 0,
    );
    return [
      ...roots.map((r) => ({ path: `${r}\\Chromium\\Application\\chrome.exe`, kind: 'chromium' as const })),
      ...roots.map((r) => ({ path: `${r}\\Google\\Chrome\\Application\\chrome.exe`, kind: 'chrome' as const })),
      ...roots.map((r) => ({ path: `${r}\\Microsoft\\Edge\\Application\\msedge.exe`, kind: 'edge' as const })),
    ];
  }
  return [
    { path: '/usr/bin/chromium', kind: 'chromium' },
    { path: '/usr/bin/chromium-browser', kind: 'chromium' },
    { path: '/snap/bin/chromium', kind: 'chromium' },
    { path: '/usr/bin/google-chrome', kind: 'chrome' },
    { path: '/usr/bin/google-chrome-stable', kind: 'chrome' },
    { path: '/opt/google/chrome/chrome', kind: 'chrome' },
    { path: '/usr/bin/microsoft-edge', kind: 'edge' },
    { path: '/usr/bin/microsoft-edge-stable', kind: 'edge' },
  ];
}

/**
 * The browser to open, or null when none is found.
 *
 * @example findBrowser('linux', {}, (p) => p === '/usr/bin/chromium') // { path: '/usr/bin/chromium', kind: 'chromium' }
 */
export function findBrowser(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): FoundBrowser | null {
  const custom = env.CHROME_PATH?.trim();
  // An explicit CHROME_PATH that does not exist is reported by the caller, not silently skipped.
  if (custom) return { path: custom, kind: 'custom' };
  return browserCandidates(platform, env).find((c) => exists(c.path)) ?? null;
}

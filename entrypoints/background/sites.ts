/**
 * Where the content script runs: only on origins the user enabled ("在此网站启用", an
 * optional host permission per origin) and, in the demo build, the demo portal's loopback
 * hosts. Registered at run time with `scripting.registerContentScripts`; one-off checks on
 * any other page go through `activeTab` injection.
 */
import { browser } from 'wxt/browser';
import { buildDefaults, loadSettings } from '../../utils/extension/settings-storage.ts';

export const CONTENT_SCRIPT_ID = 'yanzhen-content';
export const CONTENT_SCRIPT_FILE = 'content-scripts/content.js';
/** What is registered: a cheap first look that asks for {@link CONTENT_SCRIPT_FILE} when the page has something (entrypoints/first-look.ts). */
export const FIRST_LOOK_FILE = 'first-look.js';
const DEMO_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];

/** `https://portal.gov.cn` → `https://portal.gov.cn/*`; anything that is not an http(s) origin → null. */
export function originPattern(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return null;
  }
}

/**
 * Of the origins of frames a content script saw, those the extension may not read: not
 * enabled, or enabled without the permission granted (the popup offers them in one request).
 */
export async function notEnabledOrigins(origins: readonly string[]): Promise<string[]> {
  if (origins.length === 0) return [];
  const wanted = await wantedMatches();
  const out: string[] = [];
  for (const origin of new Set(origins)) {
    const pattern = originPattern(origin);
    if (!pattern || wanted.includes(pattern)) continue;
    out.push(new URL(origin).origin);
  }
  return out;
}

/** The match patterns the content script should run on now. */
export async function wantedMatches(): Promise<string[]> {
  // The sites are the user's alone (policy sets none): no wait for the policy service, which
  // held the content script back about 3 s after each browser start.
  const { settings } = await loadSettings({ policyWaitMs: 0 });
  const candidates = settings.enabledSites.map(originPattern).filter((p): p is string => p !== null);
  const granted: string[] = [];
  for (const pattern of candidates) {
    if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  if (buildDefaults()) granted.push(...DEMO_MATCHES);
  return [...new Set(granted)];
}

let syncing: Promise<void> = Promise.resolve();

function sameMatches(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/** A registration made by an older version (another file, top frame only) persists across sessions: it is replaced. */
function current(script: { js?: string[]; allFrames?: boolean } | undefined): boolean {
  return script?.js?.length === 1 && script.js[0] === FIRST_LOOK_FILE && script.allFrames === true;
}

async function syncNow(): Promise<void> {
  const matches = await wantedMatches();
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  const before = existing[0]?.matches ?? [];
  if (existing.length > 0 && current(existing[0]) && sameMatches(before, matches)) return;
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  if (matches.length === 0) return;
  await browser.scripting.registerContentScripts([
    {
      id: CONTENT_SCRIPT_ID,
      matches,
      js: [FIRST_LOOK_FILE],
      runAt: 'document_idle',
      // Every frame of an enabled origin: portals show attachments in frames and viewer pages.
      // about:blank and srcdoc frames are read by the script of the frame that made them
      // (same origin); `matchOriginAsFallback` would do it too but only from Chrome 119.
      allFrames: true,
      persistAcrossSessions: true,
    },
  ]);
  // A registered script only runs on pages loaded from now on. onInstalled arrives a second
  // or two after the browser opened (npm start opens the portal at once), and a site enabled
  // from the popup is already open: run the script in the tabs that match now. It guards
  // against running twice in one page.
  const added = matches.filter((m) => !before.includes(m));
  const tabs = added.length > 0 ? await browser.tabs.query({ url: added }) : [];
  await Promise.all(tabs.map((tab) => (tab.id === undefined ? undefined : injectInto(tab.id))));
}

/**
 * Makes the registered content script match the enabled, granted sites. Runs one at a time;
 * a failed run is logged and does not stop the next one (a rejected link in the chain must
 * not skip every later sync).
 */
export function syncContentScripts(): Promise<void> {
  const run = syncing.then(syncNow);
  syncing = run.catch((error: unknown) => console.error('[yanzhen] content script registration failed', error));
  return run;
}

/**
 * After an update the open pages of enabled sites still show the old version's markers,
 * which died with it, and nothing of the new one (a registered script runs only on pages
 * loaded from now on): the content script is injected into each, and checks them again.
 */
export async function injectIntoOpenTabs(): Promise<void> {
  const matches = await wantedMatches();
  const tabs = matches.length > 0 ? await browser.tabs.query({ url: matches }) : [];
  await Promise.all(tabs.map((tab) => (tab.id === undefined ? undefined : injectInto(tab.id))));
}

/** Injects the full content script into one frame (the first look there found something). */
export async function injectIntoFrame(tabId: number, frameId: number): Promise<boolean> {
  try {
    await browser.scripting.executeScript({
      target: { tabId, frameIds: [frameId] },
      files: [CONTENT_SCRIPT_FILE as never],
    });
    return true;
  } catch {
    return false;
  }
}

/** Injects the content script once into a tab (activeTab, or a just-enabled site). The script guards against running twice. */
export async function injectInto(tabId: number): Promise<{ ok: boolean; error: string | null }> {
  try {
    const files = [CONTENT_SCRIPT_FILE as never];
    // Every frame the extension may read; when some frame refuses (activeTab grants only the
    // top frame's origin), at least the top frame.
    await browser.scripting
      .executeScript({ target: { tabId, allFrames: true }, files })
      .catch(() => browser.scripting.executeScript({ target: { tabId }, files }));
    return { ok: true, error: null };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

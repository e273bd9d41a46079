// Shared harness for the browser tests (and helper screenshots): launches real Chromium with
// the built demo extension, finds its id, and reads per-tab results from the service worker.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import type { TabDocuments } from '../../../utils/check/document-record.ts';

/** `chrome.*` inside the service worker, typed loosely (no @types/chrome in this project). */
// biome-ignore lint/suspicious/noExplicitAny: the worker's chrome.* API, evaluated in the browser
type ChromeApi = any;

/** The Chromium to drive: CHROME_PATH, else Debian's chromium, else the usual Chrome paths. */
export function chromiumPath(): string {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('No Chromium found: set CHROME_PATH');
  return found;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** The profile folder; `close()` deletes it. */
  userDir: string;
  close(): Promise<void>;
}

/**
 * Launches Chromium with the extension folder loaded (options exactly as in toolchain.md;
 * `extraArgs` adds to them, e.g. `--log-net-log` for the request-recording test).
 */
export async function launchWithExtension(extensionDir: string, extraArgs: string[] = []): Promise<ExtensionBrowser> {
  const userDir = mkdtempSync(join(tmpdir(), 'yanzhen-chromium-'));
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const close = async (): Promise<void> => {
    await context.close();
    // Each launch gets a fresh profile; leaving them behind filled /tmp with hundreds of them.
    rmSync(userDir, { recursive: true, force: true });
  };
  return { context, worker, extensionId, userDir, close };
}

/** The service worker as it is now (it may have been restarted since launch). */
export async function currentWorker(browser: ExtensionBrowser): Promise<Worker> {
  return browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
}

/** Sets settings fields in storage.local (as the options page would). */
export async function setSettings(browser: ExtensionBrowser, patch: Record<string, unknown>): Promise<void> {
  const worker = await currentWorker(browser);
  await worker.evaluate(async (p) => {
    const c = (globalThis as unknown as { chrome: ChromeApi }).chrome;
    const got = await c.storage.local.get('settings');
    await c.storage.local.set({ settings: { ...(got.settings ?? {}), ...p } });
  }, patch);
}

/** The tab id Chrome gave a page (looked up by URL from the service worker). */
export async function tabIdOf(browser: ExtensionBrowser, url: string): Promise<number> {
  const worker = await currentWorker(browser);
  const id = await worker.evaluate(async (u) => {
    const c = (globalThis as unknown as { chrome: ChromeApi }).chrome;
    const tabs = await c.tabs.query({});
    return tabs.find((t: { url?: string }) => t.url === u)?.id ?? null;
  }, url);
  if (id === null) throw new Error(`no tab shows ${url}`);
  return id;
}

export async function tabDocuments(browser: ExtensionBrowser, tabId: number): Promise<TabDocuments | null> {
  const worker = await currentWorker(browser);
  return worker.evaluate(async (id) => {
    const c = (globalThis as unknown as { chrome: ChromeApi }).chrome;
    const key = `tab:${id}`;
    return ((await c.storage.session.get(key))[key] as never) ?? null;
  }, tabId);
}

/** Waits until the tab has `count` documents, all done. */
export async function waitForDocuments(
  browser: ExtensionBrowser,
  tabId: number,
  count: number,
  timeoutMs = 90_000,
): Promise<TabDocuments> {
  const deadline = Date.now() + timeoutMs;
  let last: TabDocuments | null = null;
  while (Date.now() < deadline) {
    last = await tabDocuments(browser, tabId);
    if (last && last.documents.length >= count && last.documents.every((d) => d.state === 'done')) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out: ${JSON.stringify(last?.documents.map((d) => [d.name, d.state, d.verdict]))}`);
}

/** The toolbar badge text and title of a tab. */
export async function toolbarOf(browser: ExtensionBrowser, tabId: number): Promise<{ text: string; title: string }> {
  const worker = await currentWorker(browser);
  return worker.evaluate(async (id) => {
    const c = (globalThis as unknown as { chrome: ChromeApi }).chrome;
    return { text: await c.action.getBadgeText({ tabId: id }), title: await c.action.getTitle({ tabId: id }) };
  }, tabId);
}

/** Waits until the background has registered its content script (it does so at start-up). */
export async function waitForContentScript(browser: ExtensionBrowser, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const worker = await currentWorker(browser);
    const count = await worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: ChromeApi }).chrome;
      return (await c.scripting.getRegisteredContentScripts()).length as number;
    });
    if (count > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the content script was never registered');
}

/**
 * Real Firefox for the browser tests: Debian's firefox-esr driven by puppeteer-core over
 * WebDriver BiDi, with the demo Firefox package (MV2: its background page reads and
 * verifies, there is no offscreen document) installed as a temporary add-on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { ROOT } from './build-demo.ts';

export const FIREFOX_ADDON_ID = 'yanzhen@yanzhen.example';
/**
 * Firefox gives each add-on a random internal UUID (its moz-extension:// host); this pref,
 * set before install, fixes it so the test can open the extension's own pages.
 */
export const FIREFOX_ADDON_UUID = '5f1c0b6e-4a7e-4d3b-9a51-7a1e2c3d4b5f';
export const FIREFOX_EXTENSION_ORIGIN = `moz-extension://${FIREFOX_ADDON_UUID}`;

/** FIREFOX_PATH, else Debian's firefox-esr, else firefox; null when none is installed. */
export function firefoxPath(): string | null {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

/** The folder `wxt build -b firefox --mode demo` writes under its output folder. */
export const FIREFOX_DEMO_FOLDER = 'firefox-mv2-demo';

/**
 * Builds the Firefox demo package (trusting `registryUrl`) into `outDir`; returns its folder.
 * A run of the whole browser project has it built in the background by the globalSetup;
 * this is for a run whose registry port was taken after all.
 */
export function buildFirefoxDemo(outDir: string, registryUrl: string): string {
  const run = spawnSync(
    process.execPath,
    [`${ROOT}node_modules/wxt/bin/wxt.mjs`, 'build', '-b', 'firefox', '--mode', 'demo'],
    {
      cwd: ROOT,
      env: { ...process.env, YANZHEN_OUT_DIR: outDir, YANZHEN_DEMO_REGISTRY_URL: registryUrl },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`wxt build -b firefox --mode demo failed\n${run.stdout}\n${run.stderr}`);
  return join(outDir, FIREFOX_DEMO_FOLDER);
}

export interface FirefoxWithExtension {
  browser: Browser;
  close(): Promise<void>;
}

/** Starts headless Firefox and installs the unpacked add-on at `addonDir` temporarily. */
export async function launchFirefoxWithExtension(
  executablePath: string,
  addonDir: string,
): Promise<FirefoxWithExtension> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_ADDON_UUID }),
      // Nothing from the network but the demo servers.
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'extensions.getAddons.cache.enabled': false,
      'extensions.update.enabled': false,
    },
  });
  try {
    const id = await browser.installExtension(addonDir);
    if (id !== FIREFOX_ADDON_ID) throw new Error(`installed add-on has id ${id}, expected ${FIREFOX_ADDON_ID}`);
    return { browser, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * The extension frames (markers) of a page. WebDriver BiDi reports moz-extension frames as
 * about:blank, so each frame is asked where it is.
 */
export async function extensionFrames(page: Page): Promise<Frame[]> {
  const out: Frame[] = [];
  for (const frame of page.frames()) {
    const href = await frame.evaluate(() => location.href).catch(() => '');
    if (href.startsWith(`${FIREFOX_EXTENSION_ORIGIN}/`)) out.push(frame);
  }
  return out;
}

/**
 * A tab showing the extension's options page, where the whole WebExtension API is
 * reachable. BiDi may not navigate to moz-extension: URLs, and Firefox gives extension
 * frames inside web pages only content-script APIs, so a marker frame opens the page (the
 * evaluation carries a user activation, so the popup blocker lets it through).
 */
export async function openExtensionPage(browser: Browser, marker: Frame): Promise<Page> {
  const before = new Set(await browser.pages());
  await marker.evaluate(() => {
    window.open(`${location.origin}/options.html`, '_blank');
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const page of await browser.pages()) {
      if (before.has(page)) continue;
      const href = await page.evaluate(() => location.href).catch(() => '');
      if (href === `${FIREFOX_EXTENSION_ORIGIN}/options.html`) return page;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the options page did not open');
}

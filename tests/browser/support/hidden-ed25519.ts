/**
 * Chromium as 360, QQ and Sogou ship it (before 137): WebCrypto without Ed25519, in the
 * extension's offscreen document (where letters, registries and status lists are verified)
 * and in every other extension page, with the real build.
 *
 * Playwright does not attach to the offscreen document (a `background_page` target), so an
 * init script cannot reach it. Instead Chromium opens a DevTools port as well, and a second
 * client (puppeteer-core) auto-attaches at browser level with `waitForDebuggerOnStart`: every
 * new extension document is held before its first script, given the hiding script with
 * `Page.addScriptToEvaluateOnNewDocument`, then released. The script refuses Ed25519 the way
 * those browsers do (NotSupportedError) and counts what it refused, so a test can tell that
 * the extension asked WebCrypto, was refused, and still reached its verdicts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { type ExtensionBrowser, launchWithExtension } from './browser.ts';

/** What the script leaves in each extension document it ran in. */
export interface HiddenEd25519Record {
  /** Each `crypto.subtle` call naming Ed25519 that it refused (method names). */
  refused: string[];
  /** How many other `crypto.subtle` calls it let through. */
  passed: number;
}

/** Plain JavaScript (it runs before any of the page's code, untranspiled). */
export const HIDE_ED25519_SCRIPT = `(() => {
  if (location.protocol !== 'chrome-extension:') return;
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle || globalThis.__yanzhenEd25519Hidden) return;
  const record = { refused: [], passed: 0 };
  Object.defineProperty(globalThis, '__yanzhenEd25519Hidden', { value: record });
  const namesEd25519 = (value) => {
    const name = typeof value === 'string' ? value : value && value.name;
    return typeof name === 'string' && name.toLowerCase() === 'ed25519';
  };
  for (const method of ['importKey', 'generateKey', 'sign', 'verify', 'exportKey', 'deriveKey', 'deriveBits']) {
    const original = subtle[method];
    Object.defineProperty(subtle, method, {
      configurable: true,
      writable: true,
      value(...args) {
        const algorithm = method === 'importKey' ? args[2] : args[0];
        const key = args[1];
        if (namesEd25519(algorithm) || namesEd25519(key && key.algorithm)) {
          record.refused.push(method);
          return Promise.reject(new DOMException('Algorithm: Unrecognized name', 'NotSupportedError'));
        }
        record.passed += 1;
        return original.apply(subtle, args);
      },
    });
  }
})();`;

export interface HiddenEd25519Browser extends ExtensionBrowser {
  /** Type and URL of every target the script was given to before it ran. */
  hiddenIn: Array<{ type: string; url: string }>;
}

async function devToolsEndpoint(userDir: string): Promise<string> {
  const file = join(userDir, 'DevToolsActivePort');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const [port, path] = readFileSync(file, 'utf8').split('\n');
      if (port && path) return `ws://127.0.0.1:${port}${path}`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Chromium never wrote DevToolsActivePort');
}

/**
 * Launches Chromium with the extension, Ed25519 hidden from WebCrypto in every extension
 * document opened from now on, and the same init script in Playwright's pages and frames.
 * Call before anything opens the offscreen document (it opens with the first check).
 */
export async function launchWithoutEd25519(extensionDir: string): Promise<HiddenEd25519Browser> {
  const browser = await launchWithExtension(extensionDir, ['--remote-debugging-port=0']);
  let devtools: Browser | null = null;
  try {
    await browser.context.addInitScript({ content: HIDE_ED25519_SCRIPT });
    devtools = await puppeteer.connect({
      browserWSEndpoint: await devToolsEndpoint(browser.userDir),
      defaultViewport: null,
    });
    const root = await devtools.target().createCDPSession();
    const connection = root.connection();
    if (!connection) throw new Error('no DevTools connection');
    const hiddenIn: Array<{ type: string; url: string }> = [];
    root.on('Target.attachedToTarget', (event) => {
      const child = connection.session(event.sessionId);
      const { type, url } = event.targetInfo;
      void (async () => {
        try {
          // The offscreen document attaches as 'other' with no URL yet; without Page.enable
          // the script is accepted but never runs in it.
          if (child && ['page', 'background_page', 'iframe', 'other'].includes(type)) {
            await child.send('Page.enable');
            await child.send('Page.addScriptToEvaluateOnNewDocument', { source: HIDE_ED25519_SCRIPT });
            hiddenIn.push({ type, url });
          }
        } finally {
          if (event.waitingForDebugger) await child?.send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
        }
      })().catch(() => undefined);
    });
    await root.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
    const connected = devtools;
    return {
      ...browser,
      hiddenIn,
      async close() {
        await connected.disconnect().catch(() => undefined);
        await browser.close();
      },
    };
  } catch (error) {
    await devtools?.disconnect().catch(() => undefined);
    await browser.close();
    throw error;
  }
}

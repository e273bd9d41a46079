/**
 * Issue 7: a browser without WebCrypto Ed25519 (Chromium < 137: 360, QQ, Sogou) must never
 * make a genuine EdDSA letter look forged. The real demo build checks a county whose
 * registry, status list and letters are all Ed25519-signed (support/eddsa-world.ts) twice,
 * each in a fresh profile: with Chromium's own Ed25519, and with Ed25519 hidden from
 * `crypto.subtle` in the offscreen document and every other extension page
 * (support/hidden-ed25519.ts). Every verdict and reason must be the same, and the offscreen
 * document must show that WebCrypto was asked and refused, so the verdicts came from the
 * `@noble/curves` fallback (utils/verify/ed25519.ts).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TabDocuments } from '../../utils/check/document-record.ts';
import {
  type ExtensionBrowser,
  launchWithExtension,
  setSettings,
  tabIdOf,
  waitForContentScript,
  waitForDocuments,
} from './support/browser.ts';
import { type EddsaCase, type EddsaWorld, startEddsaWorld } from './support/eddsa-world.ts';
import { type HiddenEd25519Record, launchWithoutEd25519 } from './support/hidden-ed25519.ts';
import { evaluateInOffscreen } from './support/offscreen.ts';

interface Run {
  verdicts: Record<EddsaCase, { verdict: string | null; reasons: string[]; alg: string[] }>;
  /** What the hiding script recorded in the offscreen document (undefined: it did not run there). */
  offscreen: HiddenEd25519Record | null;
}

let world: EddsaWorld;
let withApi: Run;
let without: Run;
let hiddenIn: Array<{ type: string; url: string }>;

async function checkPage(browser: ExtensionBrowser): Promise<Run> {
  await setSettings(browser, {
    locale: 'zh-CN',
    registryUrl: world.registryUrl,
    rootKeys: world.rootKeys,
    region: world.region,
  });
  await waitForContentScript(browser);
  const page: Page = await browser.context.newPage();
  await page.goto(world.pageUrl);
  const tab: TabDocuments = await waitForDocuments(browser, await tabIdOf(browser, world.pageUrl), 3);
  const verdicts = {} as Run['verdicts'];
  for (const [name, url] of Object.entries(world.urls) as [EddsaCase, string][]) {
    const record = tab.documents.find((d) => d.url === url);
    verdicts[name] = {
      verdict: record?.verdict ?? null,
      reasons: record?.codes.flatMap((c) => c.verdict.reasons) ?? [],
      alg: record?.codes.map((c) => c.verdict.alg ?? '') ?? [],
    };
  }
  const offscreen = await evaluateInOffscreen<HiddenEd25519Record | null>(
    page,
    'globalThis.__yanzhenEd25519Hidden ?? null',
  );
  return { verdicts, offscreen };
}

/** Runs `check` on a browser `launch` starts, and closes it whatever happens. */
async function inBrowser<B extends ExtensionBrowser, T>(launch: Promise<B>, check: (b: B) => Promise<T>): Promise<T> {
  const browser = await launch;
  try {
    return await check(browser);
  } finally {
    await browser.close();
  }
}

beforeAll(async () => {
  world = await startEddsaWorld();
  const dir = inject('demoExtensionDir');
  // The two profiles share nothing but the world's servers, so they run side by side rather
  // than one after the other (each waits on its own launch, page load and reader).
  [withApi, without] = await Promise.all([
    inBrowser(launchWithExtension(dir), checkPage),
    inBrowser(launchWithoutEd25519(dir), async (hidden) => {
      const run = await checkPage(hidden);
      hiddenIn = hidden.hiddenIn;
      return run;
    }),
  ]);
});

afterAll(async () => {
  await world?.close();
});

describe('EdDSA letters with Ed25519 hidden from WebCrypto in the extension', () => {
  it('get the verdicts they get with it: genuine valid, revoked and swapped-signature invalid', () => {
    expect(withApi.verdicts).toEqual({
      genuine: { verdict: 'valid', reasons: [], alg: ['EdDSA'] },
      revoked: { verdict: 'invalid', reasons: ['REVOKED'], alg: ['EdDSA'] },
      swapped: { verdict: 'invalid', reasons: ['SIGNATURE_INVALID'], alg: ['EdDSA'] },
    });
    expect(without.verdicts).toEqual(withApi.verdicts);
  });

  it('were verified by the fallback: the offscreen document asked WebCrypto for Ed25519 and was refused', () => {
    expect(withApi.offscreen).toBeNull();
    // The script ran in the offscreen document before its own code (held at start, see support).
    expect(without.offscreen, `hidden in ${JSON.stringify(hiddenIn)}`).not.toBeNull();
    // The probe imports a key; with it refused, no Ed25519 call can have reached WebCrypto
    // (every one is refused), so the valid verdict, the registry and the status list were
    // checked by @noble/curves.
    expect(without.offscreen?.refused).toContain('importKey');
  });
});

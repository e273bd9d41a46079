/**
 * The side panel on the demo portal's review page, filled by the real pipeline (content
 * script, offscreen reader and verifier, demo registry on another loopback origin): one
 * card per attachment, problems first, regions named. Saves docs/screenshots/
 * sidepanel-demo-portal.png when a CJK font is installed (see ui-sidepanel.test.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoServers } from '../../scripts/demo/servers.ts';
import { currentWorker, type ExtensionBrowser, waitForDocuments } from './support/browser.ts';
import { type PortalSession, startPortalSession } from './support/portal.ts';
import { SHOT_DIR } from './support/screenshot-dir.ts';

let servers: DemoServers;
let browser: ExtensionBrowser;

let session: PortalSession;

// The build comes from the browser project's globalSetup: one demo build per run.
beforeAll(async () => {
  session = await startPortalSession();
  servers = session.servers;
  browser = session.browser;
  mkdirSync(SHOT_DIR, { recursive: true });
});

afterAll(async () => {
  await session?.close();
});

describe('side panel on the demo portal', () => {
  it('shows one card per attachment, problems first, and the valid letter as valid', async () => {
    const worker = await currentWorker(browser);
    await worker.evaluate(async () => {
      const c = (
        globalThis as unknown as {
          chrome: { storage: { local: { get(k: string): Promise<never>; set(v: object): Promise<void> } } };
        }
      ).chrome;
      const got = (await c.storage.local.get('settings')) as { settings?: object };
      await c.storage.local.set({
        settings: { ...(got.settings ?? {}), securityMark: { picture: 'fish', word: '红枣' } },
      });
    });
    const portal = await browser.context.newPage();
    await portal.goto(servers.portalUrl);
    const tabId = await worker.evaluate(async (url) => {
      const c = (
        globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }
      ).chrome;
      return (await c.tabs.query({})).find((t) => t.url === url)?.id ?? -1;
    }, servers.portalUrl);
    expect(tabId).toBeGreaterThan(0);
    const docs = await waitForDocuments(browser, tabId, servers.world.letters.length);

    const panel = await browser.context.newPage();
    await panel.setViewportSize({ width: 400, height: 900 });
    await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html?tabId=${tabId}`);
    await panel.waitForFunction(
      (n) => document.querySelectorAll('article[data-state]').length >= n,
      docs.documents.length,
    );
    const states = await panel
      .locator('article')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-state')));
    const rank = { invalid: 0, warning: 1, none: 2, error: 3, checking: 4, valid: 5 } as Record<string, number>;
    expect(states.map((s) => rank[s ?? ''] ?? 9)).toEqual([...states.map((s) => rank[s ?? ''] ?? 9)].sort());
    expect(states).toContain('valid');
    expect(states).toContain('invalid');
    expect(states).toContain('none');
    const validCard = panel.locator('article[data-state="valid"]').first();
    expect(await validCard.textContent()).toContain('请只拨打此号码核实，不要拨打授权书上印的电话');
    // The whole list is ~10,000 px tall: keep the first cards, where the problems are.
    await panel.screenshot({
      path: join(SHOT_DIR, 'sidepanel-demo-portal.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 400, height: 1800 },
    });
  });
});

/**
 * The county review page of the demo portal, in real headless Chromium with the demo build:
 * every Dengzhou-case attachment gets the right verdict and reason codes, a marker next to
 * it, a side-panel card, and the toolbar badge counts the documents that need attention.
 * The side panel lists the cards problems first, regions named, and saves docs/screenshots/
 * sidepanel-demo-portal.png when a CJK font is installed (see ui-sidepanel.test.ts); that
 * case had a file and a browser of its own (ui-demo-portal.test.ts) for the same page.
 *
 * The page is opened the moment the browser is up, before the background has registered
 * its content script: that is how `npm start` opens the portal, and it is the regression
 * test of the bug where such a page was never checked.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoCase } from '../../scripts/demo/demo-world.ts';
import { attachmentPath } from '../../scripts/demo/portal-pages.ts';
import type { DocumentRecord, TabDocuments } from '../../utils/check/document-record.ts';
import { currentWorker, tabDocuments, toolbarOf, waitForDocuments } from './support/browser.ts';
import {
  findMarkers,
  openPortalPage,
  type PortalSession,
  SECURITY_MARK,
  settledMarker,
  startPortalSession,
} from './support/portal.ts';
import { SHOT_DIR } from './support/screenshot-dir.ts';

let session: PortalSession;
let page: Page;
let tabId: number;
let tab: TabDocuments;
let panel: Page;

const CASES: [DemoCase, 'valid' | 'warning' | 'invalid' | 'none', string[]][] = [
  ['valid', 'valid', []],
  ['fake-issuer', 'invalid', ['ISSUER_UNKNOWN']],
  ['scope', 'invalid', ['SCOPE_NOT_PERMITTED']],
  ['other-county', 'warning', ['REGION_MISMATCH']],
  ['expired', 'invalid', ['EXPIRED']],
  ['revoked', 'invalid', ['REVOKED']],
  ['paper', 'none', []],
];

function recordOf(demoCase: DemoCase): DocumentRecord {
  const letter = session.servers.world.letters.find((l) => l.case === demoCase);
  const found = letter && tab.documents.find((d) => d.url === `${session.portalOrigin}${attachmentPath(letter)}`);
  if (!found) throw new Error(`no record for ${demoCase}: ${JSON.stringify(tab.documents.map((d) => d.url))}`);
  return found;
}

beforeAll(async () => {
  session = await startPortalSession({ waitForScript: false });
  ({ page, tabId } = await openPortalPage(session, '/review.html'));
  tab = await waitForDocuments(session.browser, tabId, CASES.length);
  panel = await session.browser.context.newPage();
  await panel.goto(`chrome-extension://${session.browser.extensionId}/sidepanel.html?tabId=${tabId}`);
});

afterAll(async () => {
  await session?.close();
});

describe('the county review page', () => {
  it('checks every attachment of a page that was open before the extension had registered its script', () => {
    expect(tab.documents).toHaveLength(CASES.length);
    expect(tab.documents.every((d) => d.state === 'done')).toBe(true);
  });

  it('agrees with what the demo world says each letter is', () => {
    for (const letter of session.servers.world.letters) {
      const record = recordOf(letter.case);
      expect([letter.case, record.verdict, record.codes.flatMap((c) => c.verdict.reasons)]).toEqual([
        letter.case,
        letter.expected.verdict,
        letter.expected.reasons,
      ]);
    }
  });

  it.each(CASES)('records %s as %s with reasons %j', (demoCase, verdict, reasons) => {
    const record = recordOf(demoCase);
    expect(record.verdict).toBe(verdict);
    expect(record.codes.flatMap((c) => c.verdict.reasons)).toEqual(reasons);
    expect(record.codes).toHaveLength(demoCase === 'paper' ? 0 : 1);
    expect(record.registrySource).toMatchObject({ fromCache: false, problem: null });
  });

  it.each(CASES)(
    'draws a %s marker showing %s and the security mark next to the attachment',
    async (demoCase, verdict) => {
      const markers = await findMarkers(page);
      const marker = markers.find((m) => m.anchor.case === demoCase);
      expect(marker?.src).toMatch(
        // m: the marker token; s: the frame's own id, which its size requests name (marker-size.ts).
        new RegExp(
          `^chrome-extension://${session.browser.extensionId}/marker\\.html\\?m=[0-9a-f]{32}&s=[0-9a-f-]{36}$`,
        ),
      );
      const shown = await settledMarker(page, marker?.src ?? '');
      expect(shown).toMatchObject({ state: verdict, verdict, securityMark: SECURITY_MARK.word });
      expect(shown.words).not.toBe('');
    },
  );

  it('draws exactly one marker per attachment', async () => {
    const markers = await findMarkers(page);
    expect(markers.map((m) => m.anchor.case).sort()).toEqual(CASES.map(([c]) => c).sort());
  });

  it.each(CASES)('shows a %s card in the side panel as %s with reasons %j', async (demoCase, verdict, reasons) => {
    const record = recordOf(demoCase);
    const card = panel.locator('article.yz-card', { has: panel.locator(`[id="card-${record.id}"]`) });
    await card.waitFor();
    expect(await card.getAttribute('data-state')).toBe(verdict);
    expect(
      await card.locator('li[data-reason]').evaluateAll((els) => els.map((e) => e.getAttribute('data-reason'))),
    ).toEqual(reasons);
  });

  it('lists one card per attachment in the side panel, problems first, and the valid letter as valid', async () => {
    const list = await session.browser.context.newPage();
    await list.setViewportSize({ width: 400, height: 900 });
    await list.goto(`chrome-extension://${session.browser.extensionId}/sidepanel.html?tabId=${tabId}`);
    await list.waitForFunction((n) => document.querySelectorAll('article[data-state]').length >= n, CASES.length);
    const states = await list.locator('article').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-state')));
    const rank = { invalid: 0, warning: 1, none: 2, error: 3, checking: 4, valid: 5 } as Record<string, number>;
    expect(states.map((s) => rank[s ?? ''] ?? 9)).toEqual([...states.map((s) => rank[s ?? ''] ?? 9)].sort());
    expect(states).toContain('valid');
    expect(states).toContain('invalid');
    expect(states).toContain('none');
    const validCard = list.locator('article[data-state="valid"]').first();
    expect(await validCard.textContent()).toContain('请只拨打此号码核实，不要拨打授权书上印的电话');
    // The whole list is ~10,000 px tall: keep the first cards, where the problems are.
    mkdirSync(SHOT_DIR, { recursive: true });
    await list.screenshot({
      path: join(SHOT_DIR, 'sidepanel-demo-portal.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 400, height: 1800 },
    });
    await list.close();
  });

  it('counts the invalid and warning documents on the badge and names every state in the title', async () => {
    expect(await toolbarOf(session.browser, tabId)).toEqual({
      text: '5',
      title: '7 份授权文件：1 份有效，4 份无效，1 份需核实，1 份没有授权二维码',
    });
  });

  it('asks the registry origin only for the registry and the two status lists, by GET with no body', () => {
    const registry = session.servers.requests.filter((r) => r.server === 'registry');
    expect(new Set(registry.map((r) => r.path))).toEqual(
      new Set(['/registry.jws', '/status/dengzhou.jws', '/status/xichuan.jws']),
    );
    expect(registry.every((r) => r.method === 'GET' && r.bodyBytes === 0)).toBe(true);
  });
});

/** Polls until the tab has every case checked again since `since`. */
async function recheckedSince(since: number): Promise<TabDocuments> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const now = await tabDocuments(session.browser, tabId);
    const fresh = now?.documents.filter((d) => d.state === 'done' && d.checkedAt >= since) ?? [];
    if (now && fresh.length === CASES.length && now.documents.length === CASES.length) return now;
    if (Date.now() > deadline) throw new Error(`the checks did not finish: ${JSON.stringify(now)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the same page after a single-page-portal navigation (pushState)', () => {
  it('checks the attachments again for the new address, with one marker each', async () => {
    const movedAt = Date.now();
    await page.evaluate(() => history.pushState({}, '', '/review.html?batch=2'));
    tab = await recheckedSince(movedAt);
    expect(tab.documents.map((d) => d.verdict).sort()).toEqual(CASES.map(([, v]) => v).sort());
    const deadline = Date.now() + 30_000;
    let markers = await findMarkers(page);
    while (markers.length !== CASES.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      markers = await findMarkers(page);
    }
    expect(markers.map((m) => m.anchor.case).sort()).toEqual(CASES.map(([c]) => c).sort());
  });
});

describe('the same page after the registry server went away', () => {
  let offline: TabDocuments;
  let firstFetchedAt: number | null;

  beforeAll(async () => {
    firstFetchedAt = recordOf('valid').registrySource?.fetchedAt ?? null;
    await session.servers.stopRegistry();
    // As after a browser restart: the offscreen document's memory is gone, IndexedDB stays.
    const worker = await currentWorker(session.browser);
    await worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { offscreen: { closeDocument(): Promise<void> } } }).chrome;
      await c.offscreen.closeDocument();
    });
    const reloadedAt = Date.now();
    await page.reload();
    offline = await recheckedSince(reloadedAt);
  });

  it.each(CASES)(
    'still finds %s %s with reasons %j from the cached registry, keys and status lists',
    (demoCase, verdict, reasons) => {
      tab = offline;
      const record = recordOf(demoCase);
      expect(record.verdict).toBe(verdict);
      expect(record.codes.flatMap((c) => c.verdict.reasons)).toEqual(reasons);
    },
  );

  it('says on every record that the registry came from the cache because it was unreachable', () => {
    expect(firstFetchedAt).not.toBeNull();
    for (const record of offline.documents)
      expect(record.registrySource).toEqual({
        fromCache: true,
        fetchedAt: firstFetchedAt,
        problem: 'REGISTRY_UNREACHABLE',
      });
  });
});

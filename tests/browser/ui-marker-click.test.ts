/**
 * Clicking a marker on the demo portal shows that document's card, scrolled to and
 * highlighted, in the verdict view: in the side panel page that is already open, and,
 * with `chrome.sidePanel` hidden (Chromium < 114 and some 360/QQ builds have none), in the
 * same page opened as a window by the background. Saves docs/screenshots/marker-click.png
 * (the portal with its markers beside the view the click opened) when a CJK font is
 * installed (see ui-sidepanel.test.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoCase } from '../../scripts/demo/demo-world.ts';
import { attachmentPath } from '../../scripts/demo/portal-pages.ts';
import type { TabDocuments } from '../../utils/check/document-record.ts';
import { waitForDocuments } from './support/browser.ts';
import {
  clickMarkerFrame,
  type FoundMarker,
  findMarkers,
  markerFrame,
  markersAtRest,
  openPortalPage,
  type PortalSession,
  readMarker,
  settledMarker,
  startPortalSession,
} from './support/portal.ts';
import { SHOT_DIR } from './support/screenshot-dir.ts';

const CASES = 7;

/** `chrome.*` in the service worker (typed loosely: evaluated in the browser). */
// biome-ignore lint/suspicious/noExplicitAny: the extension API, evaluated in the browser
type ChromeApi = any;

let session: PortalSession;
let page: Page;
let tabId: number;
/** Each case's verdict and reasons as checked with every API present (beforeAll). */
let withApi: Record<string, unknown>;

function docIdOf(tab: TabDocuments, demoCase: DemoCase): string {
  const letter = session.servers.world.letters.find((l) => l.case === demoCase);
  const found = letter && tab.documents.find((d) => d.url === `${session.portalOrigin}${attachmentPath(letter)}`);
  if (!found) throw new Error(`no document for ${demoCase}`);
  return found.id;
}

/** The page's markers as {@link settledPage} last found them (a reload makes new ones). */
let drawn: FoundMarker[] = [];

/**
 * Waits until the page shows every marker, each with its final verdict, and none of the
 * `stale` ones (a reloaded page's old frames). Markers are drawn only near the screen
 * (marker-placement.ts): `findMarkers` scrolls through the page and back to the top
 * (`scrollThrough`, support/portal.ts) and waits for the markers to keep their places; until
 * every document has its marker it looks again. A click only lands where a marker stays: a
 * marker mounted or redrawn above the target while the click is on its way moves it away.
 */
async function settledPage(stale: ReadonlySet<string> = new Set()): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  let found: FoundMarker[] = [];
  while (Date.now() < deadline) {
    found = (await findMarkers(page)).filter((m) => !stale.has(m.src));
    if (found.length >= CASES) {
      await Promise.all(found.map((m) => settledMarker(page, m.src)));
      drawn = found;
      return found.map((m) => m.src);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`only ${found.length} of ${CASES} markers drawn`);
}

/** Verdict and reasons of every case, keyed by case. */
function verdictsOf(tab: TabDocuments): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const letter of session.servers.world.letters) {
    const record = tab.documents.find((d) => d.id === docIdOf(tab, letter.case));
    out[letter.case] = [record?.verdict, record?.codes.flatMap((c) => c.verdict.reasons)];
  }
  return out;
}

/** A case's marker, once it shows its verdict and the markers keep their places (drawn by {@link settledPage}). */
async function markerSrc(demoCase: DemoCase): Promise<string> {
  const marker = drawn.find((m) => m.anchor.case === demoCase);
  if (!marker) throw new Error(`no marker for ${demoCase}`);
  await settledMarker(page, marker.src);
  await markersAtRest(page);
  return marker.src;
}

/**
 * What the view shows about the card a click asked for, once it is highlighted and has
 * focus. On a timeout the error says what the view showed instead (which card, if any, was
 * highlighted or had focus, and the focus request the background stored).
 */
async function focusedCard(view: Page, docId: string): Promise<{ state: string | undefined; top: number }> {
  const handle = await view
    .waitForFunction(
      (id) => {
        const card = document.querySelector<HTMLElement>(`article[data-doc-id="${id}"]`);
        if (!card?.classList.contains('yz-card--focused') || document.activeElement !== card) return null;
        return { state: card.dataset.state, top: Math.round(card.getBoundingClientRect().top) };
      },
      docId,
      { timeout: 20_000 },
    )
    .catch(async (error: Error) => {
      const seen = await view.evaluate(() => ({
        url: location.href,
        cards: document.querySelectorAll('article[data-doc-id]').length,
        highlighted: [...document.querySelectorAll<HTMLElement>('.yz-card--focused')].map((c) => c.dataset.docId),
        active: `${document.activeElement?.tagName}${(document.activeElement as HTMLElement | null)?.dataset?.docId ?? ''}`,
      }));
      const stored = await session.browser.worker
        .evaluate(
          async (key) => (await (globalThis as unknown as { chrome: ChromeApi }).chrome.storage.session.get(key))[key],
          `focus:${tabId}`,
        )
        .catch((e: Error) => `unreadable: ${e.message}`);
      const click = await lastClick?.().catch((e: Error) => `unreadable: ${e.message}`);
      throw new Error(`card ${docId} never focused: ${JSON.stringify({ seen, stored, click })} (${error.message})`);
    });
  return (await handle.jsonValue()) as { state: string | undefined; top: number };
}

/** What became of the last {@link clickMarker}: for the message of a card that never shows. */
let lastClick: (() => Promise<unknown>) | null = null;

/**
 * Clicks a case's marker once it shows its document's verdict (a marker still checking, or a
 * grey "not ours" one, is not what a user clicks), and keeps a way to tell, should the card
 * never show, whether the click reached the marker page and the request the background.
 */
async function clickMarker(demoCase: DemoCase): Promise<void> {
  const src = await markerSrc(demoCase);
  const frame = markerFrame(page, src);
  const tab = await waitForDocuments(session.browser, tabId, CASES);
  const record = tab.documents.find((d) => d.id === docIdOf(tab, demoCase));
  expect((await readMarker(frame)).verdict).toBe(record?.verdict);
  const count = () =>
    frame.evaluate(() => {
      const g = globalThis as unknown as { yzClicks?: number };
      if (g.yzClicks === undefined) {
        g.yzClicks = 0;
        document.addEventListener('click', () => (g.yzClicks = (g.yzClicks ?? 0) + 1), true);
      }
      return g.yzClicks;
    });
  const before = await count();
  await clickMarkerFrame(frame);
  lastClick = async () => ({
    case: demoCase,
    markerClicks: (await count()) - before,
    backgroundGot: await session.browser.worker.evaluate(
      () => (globalThis as unknown as { yzShown?: unknown[] }).yzShown,
    ),
  });
}

beforeAll(async () => {
  mkdirSync(SHOT_DIR, { recursive: true });
  session = await startPortalSession();
  ({ page, tabId } = await openPortalPage(session, '/review.html'));
  await page.setViewportSize({ width: 900, height: 860 });
  // Every `verdict.show` the background is sent, recorded beside its own listener (this one
  // answers nothing), so a click that goes missing says whether it got that far.
  await session.browser.worker.evaluate(() => {
    const g = globalThis as unknown as { chrome: ChromeApi; yzShown?: unknown[] };
    g.yzShown = [];
    g.chrome.runtime.onMessage.addListener((m: { type?: unknown; data?: { docId?: unknown } } | null) => {
      if (m?.type === 'verdict.show') g.yzShown?.push(m.data?.docId);
    });
  });
  withApi = verdictsOf(await waitForDocuments(session.browser, tabId, CASES));
  await settledPage();
});

afterAll(async () => {
  await session?.close();
});

describe('markers', () => {
  it('show their verdict word whole beside the security mark, and name themselves for screen readers', async () => {
    const words = { valid: '授权书有效', warning: '需核实', invalid: '授权书无效', none: '没有授权二维码' } as const;
    for (const demoCase of ['valid', 'other-county', 'expired', 'paper'] as const) {
      const frame = markerFrame(page, await markerSrc(demoCase));
      const shown = await frame.evaluate(() => {
        const root = document.getElementById('marker') as HTMLElement;
        const w = root.querySelector('.words') as HTMLElement;
        const mark = root.querySelector('.mark') as HTMLElement;
        return {
          state: root.dataset.state as keyof typeof words,
          words: w.textContent,
          whole: w.scrollWidth <= w.clientWidth && w.getBoundingClientRect().right <= mark.getBoundingClientRect().left,
          mark: mark.hidden ? null : mark.dataset.securityMark,
          label: root.getAttribute('aria-label') ?? '',
        };
      });
      expect(shown.words).toBe(words[shown.state]);
      expect(shown.whole).toBe(true);
      expect(shown.mark).toBe('红枣');
      expect(shown.label).toContain(words[shown.state]);
      expect(shown.label).toContain('安全标记：红枣');
    }
  });
});

describe('a marker click', () => {
  it('scrolls the open verdict view to that card and highlights it', async () => {
    const tab = await waitForDocuments(session.browser, tabId, CASES);
    const panel = await session.browser.context.newPage();
    await panel.setViewportSize({ width: 400, height: 860 });
    await panel.goto(`chrome-extension://${session.browser.extensionId}/sidepanel.html?tabId=${tabId}`);
    await panel.waitForFunction((n) => document.querySelectorAll('article[data-state]').length >= n, CASES);
    // The valid letter is listed last (problems first): far below the first screen.
    const valid = docIdOf(tab, 'valid');
    await clickMarker('valid');
    const shown = await focusedCard(panel, valid);
    expect(shown).toMatchObject({ state: 'valid' });
    expect(shown?.top).toBeLessThan(60);
    // A second click, on another marker, moves the highlight there.
    const expired = docIdOf(tab, 'expired');
    await clickMarker('expired');
    expect(await focusedCard(panel, expired)).toMatchObject({ state: 'invalid' });
    expect(await panel.locator('.yz-card--focused').count()).toBe(1);
    await panel.close();
  });

  it('opens the same view as a window where chrome.sidePanel is missing, on the same verdict', async () => {
    // Hide the API in every extension page and frame from now on, as old Chromium lacks it.
    await session.browser.context.addInitScript(() => {
      if (location.protocol !== 'chrome-extension:') return;
      const c = (globalThis as unknown as { chrome?: Record<string, unknown> }).chrome;
      if (c && 'sidePanel' in c) Object.defineProperty(c, 'sidePanel', { value: undefined, configurable: true });
    });
    const before = new Set(drawn.map((m) => m.src));
    await page.reload();
    await settledPage(before);
    const tab = await waitForDocuments(session.browser, tabId, CASES);
    // Checked again with the API hidden: every verdict and reason as with it.
    expect(verdictsOf(tab)).toEqual(withApi);
    const revoked = docIdOf(tab, 'revoked');
    const src = await markerSrc('revoked');
    const frame = markerFrame(page, src);
    expect(
      await frame.evaluate(() => (globalThis as unknown as { chrome: { sidePanel?: unknown } }).chrome.sidePanel),
    ).toBe(undefined);
    const opened = session.browser.context.waitForEvent('page', {
      predicate: (p) => p.url().includes('/sidepanel.html?'),
    });
    await clickMarker('revoked');
    const view = await opened;
    expect(new URL(view.url()).searchParams.get('tabId')).toBe(String(tabId));
    expect(new URL(view.url()).searchParams.get('doc')).toBe(revoked);
    const shown = await focusedCard(view, revoked);
    const record = tab.documents.find((d) => d.id === revoked);
    expect(shown?.state).toBe(record?.verdict);
    expect(await view.locator(`article[data-doc-id="${revoked}"]`).textContent()).toContain('已被撤销');

    // A click on another marker reuses that window instead of opening another.
    const pagesBefore = session.browser.context.pages().length;
    const valid = docIdOf(tab, 'valid');
    await clickMarker('valid');
    await focusedCard(view, valid);
    expect(session.browser.context.pages().length).toBe(pagesBefore);

    await view.setViewportSize({ width: 400, height: 860 });
    await saveFlowShot(view);
  });
});

/** The portal with its markers and the view the click opened, side by side, as a clinic worker sees them. */
async function saveFlowShot(view: Page) {
  const left = (await page.screenshot()).toString('base64');
  const right = (await view.screenshot()).toString('base64');
  const sheet = await session.browser.context.newPage();
  await sheet.setViewportSize({ width: 1316, height: 860 });
  await sheet.setContent(
    `<body style="margin:0;display:flex;gap:16px;background:#5b6472">` +
      `<img src="data:image/png;base64,${left}" width="900" height="860">` +
      `<img src="data:image/png;base64,${right}" width="400" height="860"></body>`,
  );
  await sheet.screenshot({ path: join(SHOT_DIR, 'marker-click.png') });
  await sheet.close();
}

/**
 * Markers show their verdict word whole, and the user's security mark whole, in both
 * languages, with and without a mark (the longest one the chooser allows), in normal and
 * large text: the marker measures itself and the content script sizes its frame to fit
 * (utils/extension/marker-size.ts). A fixed 230 px frame cut "Letter invalid" beside a mark,
 * and any long mark (issue 11). Saves docs/screenshots/markers-large-text.png when a CJK font
 * is installed (see ui-sidepanel.test.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_MARK_WORD_MAX } from '../../utils/extension/security-mark-pictures.ts';
import { currentWorker, setSettings, waitForDocuments } from './support/browser.ts';
import {
  findMarkers,
  markerFrame,
  openPortalPage,
  type PortalSession,
  settledMarker,
  startPortalSession,
} from './support/portal.ts';
import { SHOT_DIR } from './support/screenshot-dir.ts';

const CASES = 7;
const LONG_MARK = {
  picture: 'fish',
  word: '我家门口的老槐树下有两只小花猫和一只大黄狗'.slice(0, SECURITY_MARK_WORD_MAX),
};

let session: PortalSession;
let page: Page;
let srcs: string[];

beforeAll(async () => {
  mkdirSync(SHOT_DIR, { recursive: true });
  session = await startPortalSession();
  let tabId: number;
  ({ page, tabId } = await openPortalPage(session, '/review.html'));
  // Every marker on screen at once: Chromium does not lay out a cross-origin frame scrolled out
  // of view, so one below the fold still measures its old size from inside.
  await page.setViewportSize({ width: 1000, height: 4000 });
  await waitForDocuments(session.browser, tabId, CASES);
  srcs = (await findMarkers(page)).map((m) => m.src);
  for (const src of srcs) await settledMarker(page, src);
});

afterAll(async () => {
  await session?.close();
});

/** The first two attachments with their markers: large text and the longest mark, whole. */
async function saveMarkersShot() {
  const box = await page.locator('[data-case]').first().boundingBox();
  if (!box) return;
  const y = Math.max(0, box.y - 10);
  await page.screenshot({
    path: join(SHOT_DIR, 'markers-large-text.png'),
    clip: { x: 0, y, width: 1000, height: 640 },
  });
}

/** What one marker frame shows, and whether anything in it is cut. */
function measure(page: Page, src: string) {
  return markerFrame(page, src).evaluate(() => {
    const root = document.getElementById('marker') as HTMLElement;
    const words = root.querySelector('.words') as HTMLElement;
    const mark = root.querySelector('.mark') as HTMLElement;
    const markWord = root.querySelector('.mark-word') as HTMLElement;
    const frameWidth = document.documentElement.clientWidth;
    const wordsBox = words.getBoundingClientRect();
    const markBox = mark.getBoundingClientRect();
    return {
      words: words.textContent ?? '',
      fontSize: Number.parseFloat(getComputedStyle(root).fontSize),
      wordsWhole: words.scrollWidth <= words.clientWidth && wordsBox.right <= frameWidth,
      mark: mark.hidden ? null : (markWord.textContent ?? ''),
      markWhole: mark.hidden || (markWord.scrollWidth <= markWord.clientWidth && markBox.right <= frameWidth),
      apart: mark.hidden || wordsBox.right <= markBox.left,
    };
  });
}

describe('marker words', () => {
  it.each([
    ['zh-CN', null, false],
    ['zh-CN', LONG_MARK, false],
    ['zh-CN', LONG_MARK, true],
    ['en', null, true],
    ['en', LONG_MARK, false],
    ['en', LONG_MARK, true],
  ] as const)('in %s with mark %j and large text %s are never cut', async (locale, mark, largeText) => {
    await setSettings(session.browser, { locale, securityMark: mark });
    const worker = await currentWorker(session.browser);
    await worker.evaluate(async (large) => {
      const c = (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome;
      await c.storage.local.set({ display: { largeText: large } });
    }, largeText);
    const wanted = locale === 'en' ? /^(Letter valid|Check needed|Letter invalid|No code|Unreadable)$/ : /^[^A-Za-z]+$/;
    const deadline = Date.now() + 20_000;
    let shown: Awaited<ReturnType<typeof measure>>[] = [];
    // The markers redraw from storage; wait until every one shows these settings, fitted.
    while (Date.now() < deadline) {
      shown = await Promise.all(srcs.map((src) => measure(page, src)));
      const settled = shown.every(
        (m) =>
          wanted.test(m.words) &&
          m.mark === (mark?.word ?? null) &&
          (largeText ? m.fontSize > 17 : m.fontSize < 17) &&
          m.wordsWhole &&
          m.markWhole,
      );
      if (settled) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const m of shown) {
      expect(m.words).toMatch(wanted);
      expect(m.mark).toBe(mark?.word ?? null);
      expect(m).toMatchObject({ wordsWhole: true, markWhole: true, apart: true });
      expect(m.fontSize > 17).toBe(largeText);
    }
    if (locale === 'zh-CN' && mark && largeText) await saveMarkersShot();
  });
});

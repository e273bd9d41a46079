/**
 * A multi-page PDF shows its pages done in its marker while it is read (issue 11: "第 3/12 页"
 * in the card and the marker), through the real build: a 12-page scanner PDF whose letter is on
 * its last page, so every page is read before the verdict. The marker hears of its document
 * over the background's marker feed; this proves the progress reaches it and ends in the verdict.
 *
 * The test build holds the check once some pages are done (the fault point of
 * utils/extension/test-fault-point.ts) until the marker has shown them: a reader fast enough to
 * finish the twelve pages between two looks had the marker go from nothing straight to the
 * verdict (clean-clone CI, 2026-12-01 20:12), which proves nothing about the progress.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blankImage, paste, qrImage, scannedPdf } from '../fixtures/documents/make-documents.ts';
import { armFaultPoint, serveAttachments } from './support/attachment-page.ts';
import { tabIdOf } from './support/browser.ts';
import { findMarkers, type MarkerView, type PortalSession, readMarker, startPortalSession } from './support/portal.ts';

const PAGES = 12;
const NAME = 'application-12-pages.pdf';
/** The check is held once this many pages are done; pages 1 to 3 have been told by then. */
const HOLD_AT = 4;

let session: PortalSession;
let served: { url: string; close(): Promise<void> };
let page: Page;
let extensionPage: Page;

beforeAll(async () => {
  session = await startPortalSession();
  const letter = session.servers.world.letters.find((l) => l.case === 'valid');
  if (!letter?.text) throw new Error('no valid demo letter');
  // Pages of an A4 scan at about 100 DPI: blank but for the last, which carries the letter's code.
  const pages = Array.from({ length: PAGES }, (_, i) => {
    const sheet = blankImage(830, 1170);
    return i === PAGES - 1 ? paste(sheet, qrImage(letter.text as string, { module: 3 }), 420, 760) : sheet;
  });
  served = await serveAttachments([{ name: NAME, bytes: await scannedPdf(pages, 'png') }]);
  // Any page of the extension's origin writes the plan the offscreen document reads.
  extensionPage = await session.browser.context.newPage();
  await extensionPage.goto(`chrome-extension://${session.browser.extensionId}/options.html`);
  await armFaultPoint(extensionPage, { fileNames: [NAME], page: HOLD_AT });
  page = await session.browser.context.newPage();
  await page.goto(served.url);
});

afterAll(async () => {
  await served?.close();
  await session?.close();
});

describe('marker progress', () => {
  it('shows "第 n/12 页" in the marker while the pages are read, then the verdict', async () => {
    const tabId = await tabIdOf(session.browser, served.url);
    expect(tabId).toBeGreaterThan(0);
    const seen: MarkerView[] = [];
    const deadline = Date.now() + 90_000;
    let last: MarkerView | null = null;
    let released = false;
    while (Date.now() < deadline) {
      const [marker] = await findMarkers(page);
      const frame = marker ? page.frames().find((f) => f.url() === marker.src) : undefined;
      last = frame ? await readMarker(frame).catch(() => null) : null;
      if (last) {
        if (seen.at(-1)?.words !== last.words) seen.push(last);
        // Pages done are on screen: the held check may go on to its verdict.
        if (!released && /第 \d+\/12 页/.test(last.words)) {
          await armFaultPoint(extensionPage, null);
          released = true;
        }
        if (last.state !== 'checking' && last.state !== '') break;
      }
      await new Promise((r) => setTimeout(r, 40));
    }
    const words = seen.map((m) => m.words);
    const progress = words.filter((w) => /^正在检查 第 \d+\/12 页$/.test(w));
    // Pages done are shown while the file is read (at least one step of the 12 was on screen)...
    expect(progress.length, `marker words seen: ${JSON.stringify(words)}`).toBeGreaterThan(0);
    // ...counting up, never past the file's pages...
    const done = progress.map((w) => Number(/第 (\d+)\//.exec(w)?.[1]));
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(Math.max(...done)).toBeLessThanOrEqual(PAGES);
    // The first shown while the check was held; after the release, later pages may show too
    // (a slow reader under load showed 10/12 before the verdict: clean-clone CI, 21:35).
    expect(done[0]).toBeLessThan(HOLD_AT);
    expect(released).toBe(true);
    // ...and the marker ends on the letter's verdict, in full words.
    expect(last).toMatchObject({ state: 'valid', verdict: 'valid' });
    expect(last?.words).toContain('授权书有效');
  });
});

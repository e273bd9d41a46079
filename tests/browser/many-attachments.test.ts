/**
 * A page with 40 attachments: every one is checked at once, markers are drawn only for the
 * attachments on or near the screen and for the rest as they scroll into view (forty marker
 * frames cost most of the page's CPU: marker-placement.ts), every marker ends showing its
 * document's verdict (each hears of its own document over the marker feed), and the extension
 * never holds the page's main thread for more than 50 ms at a time.
 *
 * Measured with a Chromium trace of the page's renderer main thread (support/main-thread-tasks.ts).
 * The demo page runs no script of its own (asserted below), so every task there that runs
 * JavaScript is ours: the content script's discovery, reading and sending, and its promise
 * continuations (which the Long Tasks API cannot attribute to an extension at all). A task's
 * length is its thread time (`tdur`): on a 2-core test machine the offscreen decoder and
 * other processes pre-empt the page's thread, and wall time would count their work as ours.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabDocuments } from '../../utils/check/document-record.ts';
import { tabIdOf, waitForDocuments } from './support/browser.ts';
import { type PageTask, pageJsTasks, type TraceEvent, traceWhile } from './support/main-thread-tasks.ts';
import { type PortalSession, scrollThrough, startPortalSession } from './support/portal.ts';

const LONG_TASK_MS = 50;

let session: PortalSession;
let page: Page;
let events: TraceEvent[] = [];
let scriptsOnPage = -1;
let tab: TabDocuments | null = null;

beforeAll(async () => {
  session = await startPortalSession();
  page = await session.browser.context.newPage();
  const cdp = await session.browser.context.newCDPSession(page);
  events = await traceWhile(cdp, async () => {
    const url = `${session.portalOrigin}/many.html`;
    await page.goto(url);
    const tabId = await tabIdOf(session.browser, url);
    tab = await waitForDocuments(session.browser, tabId, 40, 240_000);
  });
  scriptsOnPage = await page.evaluate(() => document.scripts.length);
}, 300_000);

afterAll(async () => {
  await session?.close();
});

const jsTasks = (): PageTask[] => pageJsTasks(events, [session.portalOrigin], session.browser.extensionId);

/** What each marker frame on the page shows now: its state (a verdict, or `checking`). */
async function markerStates(): Promise<string[]> {
  const frames = page.frames().filter((f) => f.url().includes('/marker.html'));
  return Promise.all(
    frames.map((f) => f.evaluate(() => document.getElementById('marker')?.dataset.state ?? 'missing')),
  );
}

describe('a page with 40 attachments', () => {
  it('ends every document with a verdict', () => {
    expect(tab?.documents).toHaveLength(40);
    expect(tab?.documents.filter((d) => d.state !== 'done' || d.verdict === 'none')).toEqual([]);
  });

  it("draws markers for the attachments near the screen, the others as they scroll into view, each with its document's verdict", async () => {
    const verdicts = (tab?.documents ?? []).map((d) => d.verdict).sort();
    const settled = async (want: (states: string[]) => boolean) => {
      let states: string[] = [];
      for (let i = 0; i < 100; i++) {
        states = await markerStates();
        if (want(states)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return states;
    };
    // Every document is done: the markers drawn so far show verdicts, and only for the top rows.
    const first = await settled((states) => states.length > 0 && !states.includes('checking'));
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(20);
    expect(first.filter((s) => s === 'checking' || s === 'missing')).toEqual([]);
    // Scrolled through, a screen at a time, to the end: every attachment gets its marker, already decided.
    await scrollThrough(page);
    const all = await settled((states) => states.length === 40 && !states.includes('checking'));
    expect(all.sort()).toEqual(verdicts);
  });

  it('runs no script of its own, so the JavaScript on its main thread is the extension', () => {
    expect(scriptsOnPage).toBe(0);
    expect(jsTasks().some((t) => t.ours)).toBe(true);
  });

  it(`never runs a task of the extension longer than ${LONG_TASK_MS} ms on the page's main thread`, () => {
    const long = jsTasks().filter((t) => t.cpuMs > LONG_TASK_MS);
    expect(long).toEqual([]);
  });
});

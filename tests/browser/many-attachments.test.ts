/**
 * A page with 40 attachments: every one is checked, and the extension never holds the
 * page's main thread for more than 50 ms at a time.
 *
 * Measured with a Chromium trace of the page's renderer main thread. The demo page runs no
 * script of its own (asserted below), so every task there that runs JavaScript is ours:
 * the content script's discovery, reading and sending, and its promise continuations
 * (which the Long Tasks API cannot attribute to an extension at all). A task's length is
 * its thread time (`tdur`): on a 2-core test machine the offscreen decoder and other
 * processes pre-empt the page's thread, and wall time would count their work as ours.
 */
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabIdOf, waitForDocuments } from './support/browser.ts';
import { type PortalSession, startPortalSession } from './support/portal.ts';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { url?: string } };
}

/** Events that mean JavaScript ran inside a task. */
const JS_EVENTS = new Set(['FunctionCall', 'EvaluateScript', 'RunMicrotasks', 'TimerFire', 'EventDispatch']);
const LONG_TASK_MS = 50;

let session: PortalSession;
let page: Page;
let events: TraceEvent[] = [];
let scriptsOnPage = -1;
let checked = 0;

async function traceWhile(cdp: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const collected: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    collected.push(...(e.value as unknown as TraceEvent[]));
  });
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'v8.execute'],
      excludedCategories: ['*'],
    },
  } as never);
  await run();
  await cdp.send('Tracing.end');
  await complete;
  return collected;
}

beforeAll(async () => {
  session = await startPortalSession();
  page = await session.browser.context.newPage();
  const cdp = await session.browser.context.newCDPSession(page);
  events = await traceWhile(cdp, async () => {
    const url = `${session.portalOrigin}/many.html`;
    await page.goto(url);
    const tabId = await tabIdOf(session.browser, url);
    checked = (await waitForDocuments(session.browser, tabId, 40, 240_000)).documents.length;
  });
  scriptsOnPage = await page.evaluate(() => document.scripts.length);
}, 300_000);

afterAll(async () => {
  await session?.close();
});

/** Top-level tasks of the page's main thread that ran JavaScript, with their thread and wall times. */
function jsTasks(): { cpuMs: number; wallMs: number; ourUrl: boolean }[] {
  const parse = events.find((e) => e.name === 'ParseHTML' && JSON.stringify(e.args ?? {}).includes('/many.html'));
  if (!parse) throw new Error('the trace has no ParseHTML of the page');
  const thread = events
    .filter((e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === 'X')
    .sort((a, b) => a.ts - b.ts);
  const tasks = thread.filter((e) => e.name === 'RunTask');
  const out: { cpuMs: number; wallMs: number; ourUrl: boolean }[] = [];
  let i = 0;
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    while (i < thread.length && (thread[i] as TraceEvent).ts < task.ts) i++;
    let js = false;
    let ourUrl = false;
    for (let j = i; j < thread.length && (thread[j] as TraceEvent).ts <= end; j++) {
      const e = thread[j] as TraceEvent;
      if (JS_EVENTS.has(e.name)) js = true;
      if (e.args?.data?.url?.startsWith(`chrome-extension://${session.browser.extensionId}/`)) ourUrl = true;
    }
    if (js) out.push({ cpuMs: (task.tdur ?? task.dur ?? 0) / 1000, wallMs: (task.dur ?? 0) / 1000, ourUrl });
  }
  return out;
}

describe('a page with 40 attachments', () => {
  it('checks all 40', () => {
    expect(checked).toBe(40);
  });

  it('runs no script of its own, so the JavaScript on its main thread is the extension', () => {
    expect(scriptsOnPage).toBe(0);
    expect(jsTasks().some((t) => t.ourUrl)).toBe(true);
  });

  it(`never runs a task of the extension longer than ${LONG_TASK_MS} ms on the page's main thread`, () => {
    const long = jsTasks().filter((t) => t.cpuMs > LONG_TASK_MS);
    expect(long).toEqual([]);
  });
});

/**
 * The ways real portals show a letter (scripts/demo/pattern-pages.ts: Element-UI previews,
 * blob: and data: images, revoked blob: URLs, background thumbnails, canvases, extensionless
 * downloads, frames of every kind, pdf.js-style viewers, download buttons), each opened in
 * one browser with the real demo build: every letter is found and judged as the demo world
 * says, the toolbar title says so, no extension task on a page's main thread runs over
 * 50 ms (thread time, CDP trace), and no request is made that the pages would not make:
 * only GET, never an action link, and from the extension itself only the registry.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_PATHS, type PatternPage } from '../../scripts/demo/pattern-pages.ts';
import { demoAttachment } from '../../scripts/demo/servers.ts';
import type { TabDocuments } from '../../utils/check/document-record.ts';
import { tabDocuments, tabIdOf, toolbarOf } from './support/browser.ts';
import { type PageTask, pageJsTasks, traceWhile } from './support/main-thread-tasks.ts';
import { type PortalSession, startPortalSession } from './support/portal.ts';

const LONG_TASK_MS = 50;

interface Outcome {
  pattern: PatternPage;
  tab: TabDocuments | null;
  title: string;
  tasks: PageTask[];
  error: string | null;
}

let session: PortalSession;
let netDir: string;
let netLog: string;
const outcomes: Outcome[] = [];
let extensionRequests: { url: string; method: string; hasBody: boolean }[] = [];

function expectedOf(e: PatternPage['expected'][number]): { verdict: string; reasons: string[] } {
  if (e.case === 'bulk-0' || e.case === 'bulk-1') return { verdict: 'valid', reasons: [] };
  const letter = session.servers.world.letters.find((l) => l.case === e.case);
  if (!letter) throw new Error(`no letter ${e.case}`);
  return letter.expected;
}

/** The tab's documents once `count` of them are done and no found document waits to be handed over. */
function quiet(tab: TabDocuments | null, count: number): boolean {
  const docs = tab?.documents ?? [];
  const pending = Object.values(tab?.page?.pending ?? {}).reduce((a, b) => a + b, 0);
  return docs.length >= count && docs.every((d) => d.state === 'done') && pending === 0;
}

/** Waits until the tab is {@link quiet}; returns the last state seen and when it was first quiet. */
async function settled(
  tabId: number,
  count: number,
  timeoutMs = 45_000,
): Promise<{ tab: TabDocuments | null; at: number }> {
  const deadline = Date.now() + timeoutMs;
  let last: TabDocuments | null = null;
  while (Date.now() < deadline) {
    last = await tabDocuments(session.browser, tabId);
    if (quiet(last, count)) return { tab: last, at: Date.now() };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { tab: last, at: Date.now() };
}

/** How long a quiet tab must stay as it is before its documents count as all there are. */
const NOTHING_MORE_MS = 700;

/**
 * Waits until the tab has stayed quiet, with the same documents, for {@link NOTHING_MORE_MS}:
 * nothing more comes. Called once the next page has been opened and judged, so the wait is
 * that page's time (no pause of its own unless that was shorter); a tab that changed
 * meanwhile is waited for again from there.
 */
async function unchanged(tabId: number, count: number, first: { tab: TabDocuments | null; at: number }) {
  let seen = first;
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (!quiet(seen.tab, count)) return seen.tab;
    const rest = seen.at + NOTHING_MORE_MS - Date.now();
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    const again = await tabDocuments(session.browser, tabId);
    if (quiet(again, count) && again?.documents.length === seen.tab?.documents.length) return again;
    seen = await settled(tabId, count);
  }
  return seen.tab;
}

async function act(page: Page, pattern: PatternPage): Promise<void> {
  const world = session.servers.world;
  if (pattern.action === 'scroll') await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  if (pattern.action === 'route') await page.click('#to-detail');
  if (pattern.action === 'upload') {
    const { bytes } = await demoAttachment(world, 'fake-issuer');
    await page.setInputFiles('#hidden-file', { name: '授权书.png', mimeType: 'image/png', buffer: Buffer.from(bytes) });
  }
  if (pattern.action === 'drop') {
    const { bytes } = await demoAttachment(world, 'revoked');
    await page.evaluate((b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], '授权书.png', { type: 'image/png' }));
      const zone = document.getElementById('zone') as HTMLElement;
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, Buffer.from(bytes).toString('base64'));
  }
  if (pattern.action === 'download') {
    const download = page.waitForEvent('download');
    await page.click('#download');
    await download;
  }
}

beforeAll(async () => {
  netDir = mkdtempSync(join(tmpdir(), 'yanzhen-patterns-'));
  netLog = join(netDir, 'net.json');
  session = await startPortalSession({ extraArgs: [`--log-net-log=${netLog}`] });
  const origins = [session.portalOrigin, session.servers.crossOrigin, session.servers.otherOrigin];
  // YANZHEN_PATTERNS=canvas,viewer runs only the pages whose path has one of the words (iterating).
  const only = process.env.YANZHEN_PATTERNS?.split(',').filter(Boolean);
  // A page stays open until the next one is judged: meanwhile it shows whether more comes.
  let previous: {
    outcome: Outcome;
    page: Page;
    tabId: number;
    count: number;
    first: { tab: TabDocuments | null; at: number };
  } | null = null;
  const finish = async () => {
    if (!previous) return;
    const { outcome, page, tabId, count, first } = previous;
    previous = null;
    try {
      outcome.tab = await unchanged(tabId, count, first);
      outcome.title = (await toolbarOf(session.browser, tabId)).title;
    } catch (e) {
      outcome.error = String(e);
    }
    await page.close();
  };
  for (const pattern of session.servers.patterns.filter((p) => !only || only.some((w) => p.path.includes(w)))) {
    const page = await session.browser.context.newPage();
    const cdp = await session.browser.context.newCDPSession(page);
    const url = `${session.portalOrigin}${pattern.path}`;
    let tabId: number | null = null;
    let first: { tab: TabDocuments | null; at: number } | null = null;
    let error: string | null = null;
    const events = await traceWhile(cdp, async () => {
      try {
        await page.goto(url);
        tabId = await tabIdOf(session.browser, url);
        await act(page, pattern);
        first = await settled(tabId, pattern.expected.length);
      } catch (e) {
        error = String(e);
      }
    });
    const outcome: Outcome = {
      pattern,
      tab: null,
      title: '',
      tasks: pageJsTasks(events, origins, session.browser.extensionId),
      error,
    };
    outcomes.push(outcome);
    await cdp.detach().catch(() => undefined);
    await finish();
    if (tabId !== null && first !== null) previous = { outcome, page, tabId, count: pattern.expected.length, first };
    else await page.close();
  }
  await finish();
  const extensionOrigin = `chrome-extension://${session.browser.extensionId}`;
  await session.close();
  const log = JSON.parse(readFileSync(netLog, 'utf8')) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: Record<string, unknown> }[];
  };
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  extensionRequests = log.events
    .filter((e) => e.type === startJob && e.params?.initiator === extensionOrigin)
    .map((e) => ({
      url: String(e.params?.url),
      method: String(e.params?.method),
      hasBody: e.params?.upload_id !== undefined,
    }));
}, 600_000);

afterAll(async () => {
  if (netDir) rmSync(netDir, { recursive: true, force: true });
});

const outcome = (path: string) => outcomes.find((o) => o.pattern.path === path) as Outcome;
const byVerdict = (list: { verdict: string; reasons: string[] }[]) =>
  list.map((d) => `${d.verdict}:${[...d.reasons].sort().join('+')}`).sort();

describe('letters shown the way real portals show them', () => {
  it('has a demo page for every pattern of the issue and the ones that already worked', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(20);
  });

  it.each(
    // Listed by path so each pattern is its own test line.
    [
      '/p/blob-fetch.html',
      '/p/data-url.html',
      '/p/lazy.html',
      '/p/cookie.html',
      '/p/hidden-input.html',
      '/p/drop.html',
      '/p/spa.html',
      '/p/icons.html',
      '/p/revoked-blob.html',
      '/p/background.html',
      '/p/canvas.html',
      '/p/download-link.html',
      '/p/octet.html',
      '/p/iframe-same.html',
      '/p/iframe-cross.html',
      '/p/viewer-frame.html',
      '/p/frameset.html',
      '/p/srcdoc.html',
      '/p/download-button.html',
      '/p/el-upload.html',
      '/p/viewer-embed.html',
      '/pdfjs/web/viewer.html?file=%2Ffiles%2Fscope.pdf',
    ],
  )('finds and judges the letter on %s', (path) => {
    const o = outcome(path);
    expect(o, `no outcome for ${path}`).toBeDefined();
    expect(o.error).toBeNull();
    const docs = o.tab?.documents ?? [];
    const got = docs.map((d) => ({
      verdict: d.verdict,
      reasons: d.codes.flatMap((c) => c.verdict.reasons as string[]),
      name: d.name,
      source: d.source,
    }));
    expect(byVerdict(got), `${o.pattern.pattern}: ${JSON.stringify(got)}`).toEqual(
      byVerdict(o.pattern.expected.map(expectedOf)),
    );
    for (const e of o.pattern.expected) {
      if (e.name) expect(got.map((d) => d.name)).toContain(e.name);
      if (e.source) expect(got.map((d) => d.source)).toContain(e.source);
    }
    // The toolbar title is drawn from the same state: the page counts as checked.
    expect(o.title).toMatch(new RegExp(`^${docs.length} 份授权文件：`));
  });

  it('names the frame origin the extension may not read, for the popup to offer', () => {
    const o = outcome('/p/iframe-cross.html');
    expect(o.tab?.page?.blockedOrigins).toEqual([session.servers.otherOrigin]);
  });

  it(`never runs an extension task over ${LONG_TASK_MS} ms on a page's main thread`, () => {
    const long = outcomes.flatMap((o) =>
      o.tasks.filter((t) => t.cpuMs > LONG_TASK_MS).map((t) => ({ page: o.pattern.path, ...t })),
    );
    expect(long).toEqual([]);
    expect(outcomes.some((o) => o.tasks.some((t) => t.ours))).toBe(true);
    // A figure for the record, not a check: the longest task that named an extension script.
    const ours = outcomes.flatMap((o) => o.tasks.filter((t) => t.ours).map((t) => ({ page: o.pattern.path, ...t })));
    const longest = ours.sort((a, b) => b.cpuMs - a.cpuMs)[0];
    console.info(`longest extension task: ${longest?.cpuMs.toFixed(1)} ms thread time on ${longest?.page}`);
  });
});

describe('requests on the pattern pages', () => {
  it('never asks for an action link, and never anything but GET without a body', () => {
    const served = session.servers.requests.filter((r) => r.server !== 'registry');
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((r) => ACTION_PATHS.includes(r.path))).toEqual([]);
    expect(served.filter((r) => r.method !== 'GET' || r.bodyBytes > 0)).toEqual([]);
  });

  it('asks the other-origin server only for what its frame shows (the page itself loads it)', () => {
    const other = session.servers.requests.filter((r) => r.server === 'other').map((r) => r.path);
    expect(new Set(other)).toEqual(new Set(['/p/frames/other.html', '/files/revoked.png']));
  });

  it('has the extension itself ask only for the registry and status lists, by GET', () => {
    expect(extensionRequests.length).toBeGreaterThan(0);
    for (const r of extensionRequests) {
      expect(new URL(r.url).origin).toBe(session.servers.registryOrigin);
      expect([r.method, r.hasBody]).toEqual(['GET', false]);
    }
  });
});

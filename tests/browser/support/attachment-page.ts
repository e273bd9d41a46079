/**
 * Pages of attachments the demo portal does not have (hostile files, a file that kills the
 * reader), served on 127.0.0.1 (an origin the demo build is enabled on) next to copies of
 * demo letters, and a watcher that closes or crashes the offscreen document whenever the test
 * build's fault point holds a check in it, as a file that makes the reader crash would. For
 * tests/browser/faults.test.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Page } from 'playwright-core';
import { TEST_FAULT_STORAGE_KEY, type TestFaultPlan } from '../../../utils/extension/test-fault-point.ts';

export interface Attachment {
  name: string;
  bytes: Uint8Array;
}

const TYPES: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg' };

/** Serves `/page.html` listing the attachments (images as previews, PDFs as links) and the files themselves. */
export async function serveAttachments(files: Attachment[]): Promise<{ url: string; close(): Promise<void> }> {
  const byPath = new Map(files.map((f) => [`/files/${encodeURIComponent(f.name)}`, f]));
  const rows = [...byPath]
    .map(([path, f]) =>
      f.name.endsWith('.pdf')
        ? `<li><a href="${path}">${f.name}</a></li>`
        : `<li><img src="${path}" width="160" height="210" alt="${f.name}"></li>`,
    )
    .join('\n');
  const page = `<!doctype html><meta charset="utf-8"><title>附件</title><h1>申请材料</h1><ul>${rows}</ul>`;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const file = byPath.get(path);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const type = TYPES[file.name.split('.').pop() ?? ''] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': file.bytes.length }).end(file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/page.html`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Evaluates `expression` (JSON-serializable result) in one target, over a non-flat nested session. */
async function evaluateIn<T>(cdp: CDPSession, targetId: string, expression: string): Promise<T | null> {
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: false })) as {
    sessionId: string;
  };
  try {
    const answer = new Promise<T | null>((resolve) => {
      const onMessage = (event: { sessionId: string; message: string }) => {
        const message = JSON.parse(event.message) as { id?: number; result?: { result: { value?: string } } };
        if (event.sessionId !== sessionId || message.id !== 1) return;
        cdp.off('Target.receivedMessageFromTarget', onMessage);
        const value = message.result?.result.value;
        resolve(value === undefined ? null : (JSON.parse(value) as T));
      };
      cdp.on('Target.receivedMessageFromTarget', onMessage);
      setTimeout(() => resolve(null), 2000);
    });
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({
        id: 1,
        method: 'Runtime.evaluate',
        params: { expression: `JSON.stringify(${expression})`, returnByValue: true },
      }),
    });
    return await answer;
  } finally {
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
  }
}

/** How a held offscreen document is ended: closed by the browser, or its renderer process crashed. */
export type OffscreenKill = 'close' | 'crash';

/**
 * Arms the test build's fault point (utils/extension/test-fault-point.ts) from an extension
 * page (same origin, same localStorage as the offscreen document): the offscreen document
 * holds the check of each of `fileNames` for good once `page` of its pages are read (0: before
 * reading it), and fails its cache writes with `failCacheWrites`. Null disarms it. Read by the
 * document at each point, so it takes effect at once.
 */
export async function armFaultPoint(extensionPage: Page, plan: TestFaultPlan | null): Promise<void> {
  await extensionPage.evaluate(
    ([key, text]) => (text === null ? localStorage.removeItem(key) : localStorage.setItem(key, text)),
    [TEST_FAULT_STORAGE_KEY, plan === null ? null : JSON.stringify(plan)] as const,
  );
}

/**
 * Ends the extension's offscreen document each time it holds a check at the armed fault
 * point (its held names are `globalThis.yanzhenHeld` there), at most `maxKills` times, by
 * `how`: `Target.closeTarget`, or `Page.crash`, a real crash of the extension's renderer
 * process (which in Chromium also holds the service worker and the marker frames). A held
 * document waits for this watcher, so no kill is missed or late. `beforeKill` runs first
 * (e.g. to disarm the point so the retry goes through). `kills()` says how often it did,
 * `held()` the names held in the documents it ended; `stop()` ends the watch.
 */
export function killOffscreenWhenHeld(
  cdp: CDPSession,
  extensionId: string,
  options: { how: OffscreenKill; maxKills?: number; beforeKill?: () => Promise<void> },
): { kills(): number; held(): string[][]; stop(): Promise<void> } {
  const maxKills = options.maxKills ?? Number.POSITIVE_INFINITY;
  const held: string[][] = [];
  let running = true;
  const loop = (async () => {
    while (running && held.length < maxKills) {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; url: string }[];
      };
      for (const target of targetInfos.filter((t) => t.url === `chrome-extension://${extensionId}/offscreen.html`)) {
        const names = await evaluateIn<string[]>(cdp, target.targetId, 'globalThis.yanzhenHeld ?? []').catch(
          () => null,
        );
        if (!names?.length || held.length >= maxKills) continue;
        await options.beforeKill?.();
        if (options.how === 'crash') await sendIn(cdp, target.targetId, 'Page.crash').catch(() => undefined);
        else await cdp.send('Target.closeTarget', { targetId: target.targetId }).catch(() => undefined);
        held.push(names);
        // Gone from the list before the next look, so one document is never ended twice.
        await waitGone(cdp, target.targetId);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    kills: () => held.length,
    held: () => held.map((names) => [...names]),
    async stop() {
      running = false;
      await loop.catch(() => undefined);
    },
  };
}

/** Sends `method` to one target over a nested session, without waiting for an answer (a crash gives none). */
async function sendIn(cdp: CDPSession, targetId: string, method: string): Promise<void> {
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: false })) as {
    sessionId: string;
  };
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method }) });
}

/** Waits until target `targetId` is no longer listed (at most 10 s). */
async function waitGone(cdp: CDPSession, targetId: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string }[] };
    if (!targetInfos.some((t) => t.targetId === targetId)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

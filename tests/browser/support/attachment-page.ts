/**
 * Pages of attachments the demo portal does not have (hostile files, a file that kills the
 * reader), served on 127.0.0.1 (an origin the demo build is enabled on) next to copies of
 * demo letters, and a watcher that closes the offscreen document whenever it is reading a
 * named file, as a file that makes the reader crash would. For tests/browser/faults.test.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CDPSession } from 'playwright-core';

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

/**
 * Closes the extension's offscreen document each time it is found reading `fileName` (or a
 * file `fileName` accepts; the names it holds are `globalThis.yanzhenInFlight` there), as a
 * file that crashes the reader would, at most `maxKills` times. `kills()` says how often it
 * did; `stop()` ends the watch.
 */
export function killOffscreenWhileReading(
  cdp: CDPSession,
  extensionId: string,
  fileName: string | ((name: string) => boolean),
  maxKills = Number.POSITIVE_INFINITY,
): { kills(): number; stop(): Promise<void> } {
  const wanted = typeof fileName === 'string' ? (name: string) => name === fileName : fileName;
  let kills = 0;
  let running = true;
  const loop = (async () => {
    while (running && kills < maxKills) {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; url: string }[];
      };
      for (const target of targetInfos.filter((t) => t.url === `chrome-extension://${extensionId}/offscreen.html`)) {
        const names = await evaluateIn<string[]>(cdp, target.targetId, 'globalThis.yanzhenInFlight ?? []').catch(
          () => null,
        );
        if (!names?.some(wanted) || kills >= maxKills) continue;
        await cdp.send('Target.closeTarget', { targetId: target.targetId }).catch(() => undefined);
        kills++;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    kills: () => kills,
    async stop() {
      running = false;
      await loop.catch(() => undefined);
    },
  };
}

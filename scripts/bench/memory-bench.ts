/**
 * Part (m) of `npm run bench -- extension` (`YANZHEN_BENCH_PARTS=memory`): who holds the
 * offscreen document's memory while the bench's 12-page 300-DPI scanned PDF is read by
 * manual check. Issue 10 asks for the offscreen document's peak <= 400 MB; the process
 * figure of part (e) mixes in everything else the extension's renderer holds, so this
 * part reads each context on its own over the DevTools protocol:
 *
 * - the extension's main thread (one V8 heap shared by the offscreen document, the side
 *   panel and any marker frame in that process; reported once, through the offscreen target),
 * - each reader worker (its JS heap, its array buffers, and the WebAssembly memories of
 *   zxing and the image decoders, which it reports as `yanzhenWasmBytes`),
 * - each pdf.js worker, if there is one: on Chromium 156 there is none (the renderer has one
 *   DedicatedWorker thread per reader worker and no more), so pdf.js runs its worker side
 *   inside the reader worker and its copy of the PDF and decoded images are counted there,
 * - the service worker,
 *
 * with `Runtime.getHeapUsage` (used JS heap, and `backingStorageSize`: ArrayBuffer stores
 * outside the JS heap) every 100 ms. It prints each context's figure before, its peak, the
 * peak of their sum at one moment (what the 400 MB budget is about), and the extension
 * renderer processes' resident and proportional memory from /proc (Linux) beside it.
 *
 * Workers are reached by the protocol's non-flattened sessions (Target.sendMessageToTarget
 * inside Target.sendMessageToTarget): Playwright does not attach to the offscreen document
 * or its workers, and its CDPSession cannot address flattened child sessions.
 */
import type { CDPSession, Page } from 'playwright-core';
import { type ExtensionBrowser, tabDocuments } from '../../tests/browser/support/browser.ts';
import { openPanel, sendManualCheck } from '../../tests/browser/support/manual-check.ts';
import { extensionRendererProcesses } from '../../tests/browser/support/renderer-memory.ts';
import type { DemoServers } from '../demo/servers.ts';
import { cachedScans } from './scan-set.ts';

const SAMPLE_MS = 100;
/** After the verdict, how long sampling goes on (pages and workers let go; the pool recycles after 15 s). */
const AFTER_MS = 3000;

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  title?: string;
}

interface Protocol {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** One DevTools session, reached through its parent's Target.sendMessageToTarget. */
class NestedSession {
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  readonly children = new Map<string, NestedSession>();
  closed = false;
  onAttached: (child: NestedSession) => void = () => undefined;

  constructor(
    private readonly post: (message: string) => Promise<unknown>,
    readonly info: TargetInfo,
    public label: string,
  ) {}

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${this.label} is gone`));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: Record<string, unknown>) => void, reject });
      this.post(JSON.stringify({ id, method, params })).catch((error: Error) => {
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  receive(raw: string): void {
    const message = JSON.parse(raw) as Protocol;
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result ?? {});
      return;
    }
    const params = message.params ?? {};
    if (message.method === 'Target.receivedMessageFromTarget') {
      this.children.get(String(params.sessionId))?.receive(String(params.message));
    } else if (message.method === 'Target.attachedToTarget') {
      const sessionId = String(params.sessionId);
      const info = params.targetInfo as TargetInfo;
      const child = new NestedSession(
        (inner) => this.send('Target.sendMessageToTarget', { sessionId, message: inner }),
        info,
        `${this.label} > ${info.type}`,
      );
      this.children.set(sessionId, child);
      this.onAttached(child);
    } else if (message.method === 'Target.detachedFromTarget') {
      const child = this.children.get(String(params.sessionId));
      if (child) child.close();
      this.children.delete(String(params.sessionId));
    }
  }

  close(): void {
    this.closed = true;
    for (const child of this.children.values()) child.close();
    for (const waiter of this.pending.values()) waiter.reject(new Error(`${this.label} detached`));
    this.pending.clear();
  }
}

/** Attaches to a top-level target from a page's CDP session (non-flattened, as tests/browser/support/offscreen.ts). */
async function attachTop(cdp: CDPSession, info: TargetInfo, label: string): Promise<NestedSession> {
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: info.targetId, flatten: false })) as {
    sessionId: string;
  };
  const session = new NestedSession(
    (message) => cdp.send('Target.sendMessageToTarget', { sessionId, message }),
    info,
    label,
  );
  cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
    if (event.sessionId === sessionId) session.receive(event.message);
  });
  cdp.on('Target.detachedFromTarget', (event: { sessionId: string }) => {
    if (event.sessionId === sessionId) session.close();
  });
  return session;
}

interface Sample {
  used: number;
  backing: number;
  wasm: number;
}
const total = (s: Sample) => s.used + s.backing + s.wasm;

/** A context's figures over the run. */
interface Track {
  label: string;
  first: Sample | null;
  peak: Sample;
  peakTotal: number;
  last: Sample | null;
  /** After the run, once a garbage collection was forced. */
  afterGc?: Sample;
  session: NestedSession;
}

const MIB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)}`;

async function sampleOf(session: NestedSession, withWasm: boolean): Promise<Sample> {
  const heap = await session.send<{ usedSize: number; backingStorageSize?: number }>('Runtime.getHeapUsage');
  let wasm = 0;
  if (withWasm) {
    const answer = await session
      .send<{ result: { value?: unknown } }>('Runtime.evaluate', {
        expression: 'typeof yanzhenWasmBytes === "function" ? yanzhenWasmBytes() : 0',
        returnByValue: true,
      })
      .catch(() => ({ result: { value: 0 } }));
    wasm = typeof answer.result.value === 'number' ? answer.result.value : 0;
  }
  return { used: heap.usedSize, backing: heap.backingStorageSize ?? 0, wasm };
}

/**
 * Watches the offscreen document (and the service worker) until stopped: each context's
 * samples, the peak of their sum, and the renderer processes' memory at the same moments.
 */
function watchContexts(panel: Page) {
  const tracks: Track[] = [];
  let cdp: CDPSession | null = null;
  let stopped = false;
  let readers = 0;
  let peakSum = 0;
  let peakSumParts = '';
  let peakRss = 0;
  let peakPss = 0;
  const firstProcesses = extensionRendererProcesses();
  /** What could not be measured, printed with the figures. */
  const problems: string[] = [];

  const track = (session: NestedSession, label: string) => {
    tracks.push({ label, first: null, peak: { used: 0, backing: 0, wasm: 0 }, peakTotal: 0, last: null, session });
  };
  const followWorkers = (session: NestedSession) => {
    session.onAttached = (child) => {
      if (child.info.type !== 'worker') {
        problems.push(`${session.label}: a ${child.info.type} target (${child.info.url}) is not followed`);
        return;
      }
      // A reader worker is the offscreen document's child; a pdf.js worker is a reader worker's.
      child.label = child.info.url.includes('reader-worker')
        ? `reader worker ${++readers}`
        : `pdf.js worker of ${session.label}`;
      track(child, child.label);
      followWorkers(child);
      void child
        .send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
        .catch((error: Error) =>
          problems.push(`${child.label}: its own workers cannot be followed (${error.message})`),
        );
    };
  };

  const attach = async () => {
    cdp = await panel.context().newCDPSession(panel);
    while (!stopped) {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
      const offscreen = targetInfos.find((t) => t.url.endsWith('/offscreen.html'));
      const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
      if (offscreen) {
        const main = await attachTop(cdp, offscreen, 'extension main thread');
        track(main, 'extension main thread (offscreen document; the side panel shares its heap)');
        followWorkers(main);
        await main.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
        if (worker) track(await attachTop(cdp, worker, 'service worker'), 'service worker');
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const sampleAll = async () => {
    const live = tracks.filter((t) => !t.session.closed);
    const samples = await Promise.all(
      live.map((t) =>
        sampleOf(t.session, t.label.startsWith('reader worker')).then(
          (s) => ({ t, s }),
          () => null,
        ),
      ),
    );
    let sum = 0;
    const parts: string[] = [];
    for (const entry of samples) {
      if (!entry) continue;
      const { t, s } = entry;
      t.first ??= s;
      t.last = s;
      t.peak = {
        used: Math.max(t.peak.used, s.used),
        backing: Math.max(t.peak.backing, s.backing),
        wasm: Math.max(t.peak.wasm, s.wasm),
      };
      t.peakTotal = Math.max(t.peakTotal, total(s));
      if (t.label !== 'service worker') {
        sum += total(s);
        parts.push(`${t.label.replace(/ \(.*\)$/, '')} ${mib(total(s))}`);
      }
    }
    if (sum > peakSum) {
      peakSum = sum;
      peakSumParts = parts.join(', ');
    }
    const processes = extensionRendererProcesses();
    peakRss = Math.max(
      peakRss,
      processes.reduce((n, p) => n + p.rssMiB, 0),
    );
    peakPss = Math.max(
      peakPss,
      processes.reduce((n, p) => n + p.pssMiB, 0),
    );
  };

  const attached = attach();
  const loop = (async () => {
    await attached;
    while (!stopped) {
      const started = Date.now();
      await sampleAll();
      await new Promise((r) => setTimeout(r, Math.max(0, SAMPLE_MS - (Date.now() - started))));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop.catch(() => undefined);
      // What is still held once garbage is gone: the "end" figure minus this is garbage V8 had not collected yet.
      await Promise.all(
        tracks
          .filter((t) => !t.session.closed)
          .map(async (t) => {
            await t.session.send('HeapProfiler.collectGarbage');
            t.afterGc = await sampleOf(t.session, t.label.startsWith('reader worker'));
          })
          .map((p) => p.catch(() => undefined)),
      );
      await (cdp as CDPSession | null)?.detach().catch(() => undefined);
      return { tracks, peakSum, peakSumParts, peakRss, peakPss, firstProcesses, problems };
    },
  };
}

/** Part (m): the 12-page PDF by manual check, per context. */
export async function benchOffscreenMemory(ext: ExtensionBrowser, servers: DemoServers): Promise<void> {
  const scans = await cachedScans(servers.world.bulk, servers.registryUrl);
  const pdf = scans.files.find((f) => f.name.endsWith('.pdf'));
  if (!pdf) return;
  const panel = await openPanel(ext);
  const watch = watchContexts(panel);
  const started = Date.now();
  // Bytes of its own: part (e) checks the same PDF first, and the extension answers a file it
  // has just checked from that check (by SHA-256), which read nothing (0.7 s, the figures idle).
  // A comment after %%EOF changes the digest and nothing a reader sees.
  const bytes = new Uint8Array([...pdf.bytes, ...new TextEncoder().encode(`\n% bench part (m) ${Date.now()}\n`)]);
  const docId = await sendManualCheck(panel, 'bench-memory-12-pages.pdf', bytes);
  let verdict = 'no verdict';
  let elapsed = Number.NaN;
  while (Date.now() - started < 600_000) {
    const doc = (await tabDocuments(ext, -1))?.documents.find((d) => d.id === docId);
    if (doc?.state === 'done') {
      elapsed = Date.now() - started;
      verdict = `${doc.verdict} (codes on pages ${doc.codes.map((c) => c.page).join(', ')})`;
      // Not valid: say why, so a stale or mismatched bench set-up is not taken for a reader change.
      if (doc.verdict !== 'valid') {
        const why = doc.codes.map(
          (c) =>
            `page ${c.page}: ${c.verdict.verdict} ${c.verdict.reasons.join('+')} status ${c.verdict.facts.status.state}`,
        );
        verdict += ` [${why.join('; ') || JSON.stringify(doc.error)}]`;
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, AFTER_MS));
  const seen = await watch.stop();
  await panel.close();

  console.log(
    `\n(m) who holds the memory: the ${scans.pdfPages}-page 300-DPI scanned PDF (${(pdf.bytes.length / 1e6).toFixed(1)} MB) ` +
      `by manual check, ${(elapsed / 1000).toFixed(1)} s to ${verdict}; every context sampled each ${SAMPLE_MS} ms`,
  );
  console.log('  MiB: JS heap used + array buffers outside it + WebAssembly memories = total (before -> peak -> end)');
  for (const t of seen.tracks) {
    const f = t.first ?? { used: 0, backing: 0, wasm: 0 };
    const l = t.last ?? f;
    console.log(
      `  ${t.label} (${t.session.info.url.replace(/^.*\//, '') || t.session.info.type}): before ${mib(total(f))}, peak ${mib(t.peakTotal)} ` +
        `(heap ${mib(t.peak.used)}, buffers ${mib(t.peak.backing)}, wasm ${mib(t.peak.wasm)} at their own peaks), ` +
        `${t.session.closed ? 'ended' : `end ${mib(total(l))}`}${t.afterGc ? `, after a forced GC ${mib(total(t.afterGc))}` : ''}`,
    );
  }
  console.log(
    `  offscreen document and its workers together, peak at one moment: ${mib(seen.peakSum)} MiB ` +
      `(${seen.peakSumParts}; target <= 400 MB = 381 MiB)`,
  );
  for (const problem of seen.problems) console.log(`  not measured: ${problem}`);
  const before = seen.firstProcesses;
  console.log(
    `  extension renderer processes: before ${before.map((p) => `pid ${p.pid} rss ${p.rssMiB.toFixed(0)} pss ${p.pssMiB.toFixed(0)}`).join('; ')} MiB; ` +
      `peak rss ${seen.peakRss.toFixed(0)}, pss ${seen.peakPss.toFixed(0)} MiB (code, V8's reservations and native buffers beyond the figures above)`,
  );
}

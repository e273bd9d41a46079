/**
 * The extension's main-thread cost on a page with no documents (issue 10 item 5: target
 * <= 5 ms), measured from a Chromium trace of the page's renderer main thread: the thread
 * time of every task in which a script of the extension ran (the first-look script, and the
 * full content script if it was loaded), summed per load; median over several loads. The
 * extension-bench can call {@link benchPlainPageTrace}; run alone with
 * `npx tsx scripts/bench/plain-page-bench.ts` (builds the demo extension unless
 * `YANZHEN_BENCH_EXTENSION=<folder> YANZHEN_BENCH_REGISTRY_PORT=<port>` names one).
 * Prints figures only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { launchWithExtension, setSettings, waitForContentScript } from '../../tests/browser/support/browser.ts';
import { pageJsTasks, traceWhile } from '../../tests/browser/support/main-thread-tasks.ts';
import { startDemoServers } from '../demo/servers.ts';

const SETTLE_MS = 1500;

export interface PlainPageTrace {
  loads: number;
  /** Median over loads of the extension's summed task thread time (ms). */
  extensionMs: number;
  /** The largest single load's figure. */
  worstMs: number;
  /** Median of all JavaScript task time on the page's main thread (ms), the page's own included. */
  allJsMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Loads `url` `loads` times (after one warm-up) in `context` and sums the extension's tasks of each load. */
export async function benchPlainPageTrace(
  context: BrowserContext,
  extensionId: string,
  url: string,
  loads = 7,
): Promise<PlainPageTrace> {
  const ours: number[] = [];
  const all: number[] = [];
  for (let i = 0; i <= loads; i++) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const events = await traceWhile(cdp, async () => {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForTimeout(SETTLE_MS);
    });
    await cdp.detach();
    await page.close();
    if (i === 0) continue; // warm-up: the first navigation of a browser compiles everything
    const tasks = pageJsTasks(events, [new URL(url).origin], extensionId);
    ours.push(tasks.filter((t) => t.ours).reduce((sum, t) => sum + t.cpuMs, 0));
    all.push(tasks.reduce((sum, t) => sum + t.cpuMs, 0));
  }
  return { loads, extensionMs: median(ours), worstMs: Math.max(...ours), allJsMs: median(all) };
}

async function main() {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const reuse = process.env.YANZHEN_BENCH_EXTENSION;
  const servers = await startDemoServers({
    portalPort: 0,
    registryPort: reuse ? Number(process.env.YANZHEN_BENCH_REGISTRY_PORT ?? '0') : 0,
  });
  let dir = reuse ?? '';
  if (!reuse || !existsSync(join(reuse, 'manifest.json'))) {
    const out = join(root, '.output/bench-plain');
    const run = spawnSync(process.execPath, [join(root, 'node_modules/wxt/bin/wxt.mjs'), 'build', '--mode', 'demo'], {
      cwd: root,
      env: { ...process.env, YANZHEN_OUT_DIR: out, YANZHEN_DEMO_REGISTRY_URL: servers.registryUrl },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`build failed\n${run.stderr}`);
    dir = join(out, 'chrome-mv3-demo');
  }
  const ext = await launchWithExtension(dir);
  try {
    await setSettings(ext, { locale: 'zh-CN', securityMark: { picture: 'fish', word: '红枣' } });
    await waitForContentScript(ext);
    const url = `${new URL(servers.portalUrl).origin}/plain.html`;
    const before = loadavg()[0]?.toFixed(1);
    const r = await benchPlainPageTrace(ext.context, ext.extensionId, url);
    console.log(`page with no documents (/plain.html), median of ${r.loads} loads (load average ${before} before)`);
    console.log(
      `  extension's task thread time: ${r.extensionMs.toFixed(2)} ms (worst load ${r.worstMs.toFixed(2)} ms)`,
    );
    console.log(`  all JavaScript tasks on the page's main thread: ${r.allJsMs.toFixed(2)} ms`);
  } finally {
    await ext.close();
    await servers.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

/**
 * `npm run bench -- extension`: the extension in real headless Chromium on the demo portal.
 *
 * (a) Time from page load (navigation start) to the last verdict on the 40-attachment page
 *     (`/many.html`): the newest `checkedAt` of the tab's documents in storage.session, read
 *     through the service worker once all 40 are `done`, minus the page's own time origin.
 *     Run 1 starts with an empty registry cache (cold); later runs reuse it (warm). Also the
 *     page's long tasks (Long Tasks API, observed from before the page's first script).
 * (b) The extension's main-thread cost on a page with no documents (`/plain.html`): CDP
 *     `Performance.getMetrics` (TaskDuration, ScriptDuration) for the page's renderer, with
 *     and without the extension, median of several loads each.
 *
 * Prints figures only; asserts nothing (timings belong here, not in tests). Builds the demo
 * extension into its own folder (`.output/bench`) for the registry port of this run;
 * `YANZHEN_BENCH_EXTENSION=<folder> YANZHEN_BENCH_REGISTRY_PORT=<port>` reuses a build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import {
  chromiumPath,
  type ExtensionBrowser,
  launchWithExtension,
  setSettings,
  tabDocuments,
  tabIdOf,
  waitForContentScript,
} from '../../tests/browser/support/browser.ts';
import type { TabDocuments } from '../../utils/check/document-record.ts';
import { type DemoServers, startDemoServers } from '../demo/servers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MANY_RUNS = 3;
const PLAIN_LOADS = 7;
/** After `load`, how long the no-documents page is left alone before its metrics are read. */
const SETTLE_MS = 1500;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

function buildExtension(registryUrl: string): string {
  const outDir = join(ROOT, '.output/bench');
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build', '--mode', 'demo'], {
    cwd: ROOT,
    env: { ...process.env, YANZHEN_OUT_DIR: outDir, YANZHEN_DEMO_REGISTRY_URL: registryUrl },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`wxt build --mode demo failed\n${run.stdout}\n${run.stderr}`);
  console.log(`built the demo extension in ${ms(Date.now() - started)} (${outDir}/chrome-mv3-demo)`);
  return join(outDir, 'chrome-mv3-demo');
}

/** Records the page's long tasks from before its first script runs. */
async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskFrom: Record<string, number> };
    w.__longTasks = [];
    w.__longTaskFrom = {};
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        w.__longTasks.push(entry.duration);
        // 'self' is the page's own frame, where content scripts run; others are its iframes.
        w.__longTaskFrom[entry.name] = (w.__longTaskFrom[entry.name] ?? 0) + 1;
      }
    }).observe({ type: 'longtask', buffered: true });
  });
}

async function waitAllDone(ext: ExtensionBrowser, tabId: number, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last: TabDocuments | null = null;
  while (Date.now() < deadline) {
    last = await tabDocuments(ext, tabId);
    if (last && last.documents.length >= count && last.documents.every((d) => d.state === 'done')) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  const done = last?.documents.filter((d) => d.state === 'done').length ?? 0;
  throw new Error(`only ${done} of ${count} documents finished within ${timeoutMs / 1000} s`);
}

async function benchManyPage(ext: ExtensionBrowser, servers: DemoServers): Promise<void> {
  const count = servers.world.bulk.length;
  const url = `${new URL(servers.portalUrl).origin}/many.html`;
  console.log(
    `\n(a) ${count}-attachment page, page load to last verdict (${MANY_RUNS} runs; run 1 has a cold registry cache)`,
  );
  for (let run = 1; run <= MANY_RUNS; run++) {
    const page = await ext.context.newPage();
    await observeLongTasks(page);
    const wall = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    const tabId = await tabIdOf(ext, url);
    const tab = await waitAllDone(ext, tabId, count, 300_000);
    const origin = await page.evaluate(() => performance.timeOrigin);
    const times = tab.documents.map((d) => d.checkedAt - origin).sort((a, b) => a - b);
    const verdicts = new Map<string, number>();
    for (const d of tab.documents) verdicts.set(d.verdict, (verdicts.get(d.verdict) ?? 0) + 1);
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    const from = await page.evaluate(
      () => (window as unknown as { __longTaskFrom: Record<string, number> }).__longTaskFrom,
    );
    console.log(
      `  run ${run}: first verdict ${ms(times[0] ?? Number.NaN)}, last verdict ${ms(times.at(-1) ?? Number.NaN)} ` +
        `after navigation start (observed by polling: ${ms(Date.now() - wall)}); ` +
        `verdicts ${[...verdicts].map(([k, v]) => `${k} ${v}`).join(', ')}; ` +
        `page long tasks: ${longTasks.length}${longTasks.length ? ` (longest ${ms(Math.max(...longTasks))}; ${JSON.stringify(from)})` : ''}`,
    );
    await page.close();
  }
}

interface PlainMetrics {
  task: number;
  script: number;
}

async function plainPageMetrics(context: BrowserContext, url: string): Promise<PlainMetrics> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(SETTLE_MS);
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  await cdp.detach();
  await page.close();
  return { task: get('TaskDuration'), script: get('ScriptDuration') };
}

async function plainSeries(context: BrowserContext, url: string): Promise<PlainMetrics> {
  await plainPageMetrics(context, url); // warm-up: first navigation of a new browser
  const all: PlainMetrics[] = [];
  for (let i = 0; i < PLAIN_LOADS; i++) all.push(await plainPageMetrics(context, url));
  return { task: median(all.map((m) => m.task)), script: median(all.map((m) => m.script)) };
}

/** Long tasks of the 40-attachment page in a browser without the extension (the page's own share). */
async function bareManyLongTasks(bare: BrowserContext, servers: DemoServers): Promise<number[]> {
  const page = await bare.newPage();
  await observeLongTasks(page);
  await page.goto(`${new URL(servers.portalUrl).origin}/many.html`, { waitUntil: 'load' });
  await page.waitForTimeout(5000);
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  await page.close();
  return longTasks;
}

async function benchPlainPage(ext: ExtensionBrowser, servers: DemoServers): Promise<void> {
  const url = `${new URL(servers.portalUrl).origin}/plain.html`;
  const withExt = await plainSeries(ext.context, url);
  const userDir = mkdtempSync(join(tmpdir(), 'yanzhen-bench-plain-'));
  const bare = await chromium.launchPersistentContext(userDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  let without: PlainMetrics;
  let bareLong: number[];
  try {
    without = await plainSeries(bare, url);
    bareLong = await bareManyLongTasks(bare, servers);
  } finally {
    await bare.close();
    rmSync(userDir, { recursive: true, force: true });
  }
  console.log(
    `  (baseline: the 40-attachment page without the extension has ${bareLong.length} long tasks` +
      `${bareLong.length ? `, longest ${ms(Math.max(...bareLong))}` : ''})`,
  );
  console.log(`\n(b) page with no documents (/plain.html), renderer main thread, median of ${PLAIN_LOADS} loads`);
  console.log(`  with the extension:    task ${ms(withExt.task)}, script ${ms(withExt.script)}`);
  console.log(`  without the extension: task ${ms(without.task)}, script ${ms(without.script)}`);
  console.log(
    `  the extension's share: task ${ms(withExt.task - without.task)}, script ${ms(withExt.script - without.script)}`,
  );
}

async function main() {
  const reuse = process.env.YANZHEN_BENCH_EXTENSION;
  const reusePort = Number(process.env.YANZHEN_BENCH_REGISTRY_PORT ?? '0');
  const servers = await startDemoServers({ portalPort: 0, registryPort: reuse ? reusePort : 0 });
  let ext: ExtensionBrowser | null = null;
  try {
    const dir = reuse && existsSync(join(reuse, 'manifest.json')) ? reuse : buildExtension(servers.registryUrl);
    ext = await launchWithExtension(dir);
    // A user who has set up the extension: security mark chosen, Chinese.
    await setSettings(ext, { locale: 'zh-CN', securityMark: { picture: 'fish', word: '红枣' } });
    await waitForContentScript(ext);
    const version = spawnSync(chromiumPath(), ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`${version} (headless), demo extension ${ext.extensionId}`);
    // Timings on a shared machine mean little without the load they were taken under.
    const load = () =>
      `load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${cpus().length} cores`;
    console.log(`before: ${load()}`);
    await benchManyPage(ext, servers);
    await benchPlainPage(ext, servers);
    console.log(`after: ${load()}`);
  } finally {
    await ext?.close();
    await servers.close();
  }
}

await main();

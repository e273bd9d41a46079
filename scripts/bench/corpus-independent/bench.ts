/**
 * `npm run bench -- corpus-independent`: the document reader and its open peers on the
 * independent corpus (make-corpus.ts: other encoder, other page, ImageMagick captures), by
 * category. What it is for: the reader's ladder was tuned on scripts/bench/corpus/ only,
 * and this says whether that carries over. Prints figures; asserts nothing.
 *
 * Per page, every engine starts from the file's bytes: ours through `readDocument` with the
 * Node reader platform (the product's budget unless INDEPENDENT_BUDGET_MS says otherwise);
 * the peers (zxing-wasm with its defaults, jsQR, paulmillr's `qr`) get the pixels our image
 * decoders give. Each engine runs in its own process.
 *
 * Then every page a person could read by eye that ours did not read is diagnosed: what the
 * ladder tried (its onStep hook), whether plain zxing-wasm read it, whether ours reads it
 * with a 30 s budget, and which ladder step, run alone with no budget, would read it.
 *
 * Skips with a message when ImageMagick is missing and no corpus is cached.
 * Options (environment): INDEPENDENT_ONLY=photo,fax limits the categories;
 * INDEPENDENT_ENGINES=ours,jsQR the engines; INDEPENDENT_VERBOSE=1 lists every page;
 * INDEPENDENT_REUSE=1 (or a file) prints the tables and diagnoses again from the last run's
 * results (kept in the corpus folder's last-run.json) without running the engines;
 * INDEPENDENT_DIAGNOSE_PX=1.2 diagnoses the misses at or above 1.2 px/module too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareZXingModule } from 'zxing-wasm/reader';
import { findScoredRegions } from '../../../utils/document/code-regions.ts';
import { openRaster } from '../../../utils/document/decode-raster.ts';
import { hasColour, luminance, redChannel } from '../../../utils/document/image-ops.ts';
import type { RgbaImage } from '../../../utils/document/image-types.ts';
import { loadQrReader } from '../../../utils/document/qr-decoder.ts';
import { readDocument } from '../../../utils/document/read-document.ts';
import { ladderSteps } from '../../../utils/document/read-ladder.ts';
import { DEFAULT_READ_LIMITS } from '../../../utils/document/read-limits.ts';
import { sniffKind } from '../../../utils/document/sniff-kind.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import { peerRead } from '../peer-readers.ts';
import { LEGIBLE_BLUR_MODULES, LEGIBLE_CONTRAST, LEGIBLE_PX, LEGIBLE_PX_BILEVEL } from './geometry.ts';
import {
  CATEGORIES,
  type Category,
  CORPUS_DIR,
  cannotDraw,
  ensureIndependentCorpus,
  type IndependentItem,
} from './make-corpus.ts';

const ENGINES = ['ours', 'zxing-wasm defaults', 'jsQR', 'qr (paulmillr)'] as const;
type Engine = (typeof ENGINES)[number];

interface Result {
  file: string;
  category: Category;
  label: string;
  expected: string[];
  px: number | null;
  legible: boolean;
  symbol?: string | undefined;
  found: string[];
  unreadable: number;
  cpuMs: number;
  /** Ours: the ladder's steps in the order they ran, with how many codes each read. */
  steps?: string[];
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const load = () => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'uptime unavailable';
  }
};

async function imageOf(bytes: Uint8Array): Promise<RgbaImage> {
  const kind = sniffKind(bytes);
  if (!kind || kind === 'pdf') throw new Error('the independent corpus holds raster images only');
  const raster = await openRaster(bytes, kind, DEFAULT_READ_LIMITS, nodeReaderPlatform());
  return raster.page(0);
}

const budget = Number(process.env.INDEPENDENT_BUDGET_MS) || 0;

async function runEngine(engine: Engine, items: IndependentItem[]): Promise<Result[]> {
  const platform = nodeReaderPlatform();
  if (engine === 'zxing-wasm defaults')
    await prepareZXingModule({ overrides: { ...platform.zxing }, fireImmediately: true });
  const first = items[0];
  if (first) {
    // Warm-up outside the measurements: wasm compilation, JIT.
    const warm = new Uint8Array(readFileSync(join(CORPUS_DIR, first.file)));
    if (engine === 'ours') await readDocument(warm, { platform });
    else await peerRead(engine, await imageOf(warm));
  }
  const out: Result[] = [];
  for (const item of items) {
    const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, item.file)));
    const page = item.pages[0];
    if (!page) continue;
    const start = cpuNow();
    let found: string[] = [];
    let unreadable = 0;
    const steps: string[] = [];
    if (engine === 'ours') {
      const result = await readDocument(bytes, {
        platform,
        onStep: (name, codes) => steps.push(codes.length ? `${name}+${codes.length}` : name),
        ...(budget ? { limits: { pageBudgetMs: budget } } : {}),
      });
      if (!result.ok) throw new Error(`${item.file}: ${result.error.key}`);
      found = result.codes.map((c) => c.text);
      unreadable = result.unreadable.length;
    } else {
      found = await peerRead(engine, await imageOf(bytes));
    }
    out.push({
      file: item.file,
      category: item.category,
      label: item.label,
      expected: page.texts,
      px: page.pxPerModule,
      legible: page.legible,
      symbol: page.symbol,
      found,
      unreadable,
      cpuMs: cpuNow() - start,
      ...(engine === 'ours' ? { steps } : {}),
    });
  }
  return out;
}

/** A missed legible page, looked at again: ours with a long budget, and each ladder step alone. */
interface Trial {
  file: string;
  longBudget: string[];
  longSteps: string[];
  alone: { name: string; good: boolean; wrong: number; cpuMs: number }[];
  scores: number[];
  located: number;
}

const TRIAL_STEP_CPU_MS = 8000;

async function trials(items: IndependentItem[], missed: Map<string, string[]>): Promise<Trial[]> {
  const platform = nodeReaderPlatform();
  const { decode, detect, scan } = await loadQrReader(platform.zxing);
  const out: Trial[] = [];
  for (const file of missed.keys()) {
    const item = items.find((i) => i.file === file);
    if (!item) continue;
    const expected = item.pages[0]?.texts ?? [];
    // What ours left unread there: a step counts when it reads one of these, not a code already read.
    const missing = expected.filter((t) => !(missed.get(file) ?? []).includes(t));
    const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, file)));
    const longSteps: string[] = [];
    const long = await readDocument(bytes, {
      platform,
      limits: { pageBudgetMs: 30_000 },
      onStep: (name, codes) => longSteps.push(codes.length ? `${name}+${codes.length}` : name),
    });
    const image = await imageOf(bytes);
    const lum = luminance(image);
    const located = (await scan(lum)).failed.length;
    const base = hasColour(image) ? redChannel(image) : lum;
    const scored = findScoredRegions(base);
    const regions = scored.map(({ rect }) => {
      const x = Math.max(0, Math.floor(rect.x));
      const y = Math.max(0, Math.floor(rect.y));
      return {
        x,
        y,
        width: Math.min(lum.width, Math.ceil(rect.x + rect.width)) - x,
        height: Math.min(lum.height, Math.ceil(rect.y + rect.height)) - y,
      };
    });
    let stepStart = cpuNow();
    const steps = ladderSteps(image, lum, {
      decode,
      detect,
      stop: () => cpuNow() - stepStart > TRIAL_STEP_CPU_MS,
      regions: () => regions,
    });
    const alone: Trial['alone'] = [];
    for (const step of steps) {
      stepStart = cpuNow();
      const texts = (await step.run()).map((c) => c.text);
      alone.push({
        name: step.name,
        good: texts.some((t) => missing.includes(t)),
        wrong: texts.filter((t) => !expected.includes(t)).length,
        cpuMs: cpuNow() - stepStart,
      });
    }
    out.push({
      file,
      longBudget: long.ok ? long.codes.map((c) => c.text) : [],
      longSteps,
      alone,
      scores: scored.map((r) => Math.round(r.score * 1000) / 1000),
      located,
    });
  }
  return out;
}

async function child(): Promise<void> {
  const items = await selected();
  const engine = process.argv[process.argv.indexOf('--engine') + 1] as Engine;
  if (process.argv.includes('--trials')) {
    const found = JSON.parse(process.env.INDEPENDENT_TRIAL_PAGES ?? '{}') as Record<string, string[]>;
    process.stdout.write(`${JSON.stringify({ trials: await trials(items, new Map(Object.entries(found))) })}\n`);
    return;
  }
  process.stdout.write(`${JSON.stringify({ results: await runEngine(engine, items) })}\n`);
}

async function selected(): Promise<IndependentItem[]> {
  const only = process.env.INDEPENDENT_ONLY?.split(',').filter(Boolean);
  return (await ensureIndependentCorpus()).filter((i) => !only || only.includes(i.category));
}

function table(rows: string[][]): void {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const [i, row] of rows.entries()) {
    console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
}

const hasCode = (r: Result) => r.expected.length > 0;
const read = (r: Result) => hasCode(r) && r.expected.every((t) => r.found.includes(t));
const wrong = (r: Result) => r.found.filter((t) => !r.expected.includes(t)).length;
const pct = (a: number, b: number) => (b === 0 ? '-' : `${Math.round((100 * a) / b)}%`);
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

function spawnChild(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !line.startsWith('{')) throw new Error(`${args.join(' ')} failed (exit ${run.status})`);
  return line;
}

async function parent(): Promise<void> {
  const t0 = performance.now();
  if (!existsSync(join(CORPUS_DIR, 'manifest.json'))) {
    const why = cannotDraw();
    if (why) {
      console.log(`independent corpus: skipped: ${why}`);
      return;
    }
    console.log(`independent corpus: drawing into ${CORPUS_DIR} (a few minutes, once) ...`);
  }
  const drawStart = performance.now();
  const items = await selected();
  const drewMs = performance.now() - drawStart;
  if (drewMs > 5000) console.log(`drawn in ${Math.round(drewMs / 1000)} s; ${load()}`);
  const engines = ENGINES.filter(
    (e) => !process.env.INDEPENDENT_ENGINES || process.env.INDEPENDENT_ENGINES.split(',').includes(e),
  );
  console.log(`independent corpus: ${items.length} pages, ${CORPUS_DIR}`);
  console.log(
    `legible by eye: >= ${LEGIBLE_PX} px/module (bilevel >= ${LEGIBLE_PX_BILEVEL}), blur < ${LEGIBLE_BLUR_MODULES} module, ink contrast >= ${LEGIBLE_CONTRAST}`,
  );
  if (budget) console.log(`ours with a page budget of ${budget} ms (INDEPENDENT_BUDGET_MS), not the product's`);
  console.log(`at the start: ${load()}`);
  const runs = new Map<Engine, Result[]>();
  const reuse = process.env.INDEPENDENT_REUSE;
  const saved = reuse && reuse !== '1' ? reuse : join(CORPUS_DIR, 'last-run.json');
  if (reuse && existsSync(saved)) {
    // Only the tables and the diagnosis again, on the engines' results of the last run.
    for (const [engine, results] of JSON.parse(readFileSync(saved, 'utf8')) as [Engine, Result[]][])
      if (engines.includes(engine)) runs.set(engine, results);
    console.log(`engines' results reused from ${saved} (INDEPENDENT_REUSE)`);
  } else {
    for (const engine of engines) {
      runs.set(engine, JSON.parse(spawnChild(['--engine', engine])).results as Result[]);
      console.log(`${engine} done: ${load()}`);
    }
    writeFileSync(join(CORPUS_DIR, 'last-run.json'), JSON.stringify([...runs]));
  }
  const names = [...runs.keys()];
  const categories = CATEGORIES.filter((c) => items.some((i) => i.category === c));
  const of = (engine: Engine, category: Category | null) =>
    (runs.get(engine) ?? []).filter((r) => category === null || r.category === category);

  console.log(
    `\nread share (pages with every code read): of pages legible by eye / of all pages with a code; ${load()}`,
  );
  const rows = [['category', 'pages (legible)', ...names]];
  for (const category of [...categories, null]) {
    const pages = of(names[0] as Engine, category).filter(hasCode);
    rows.push([
      category ?? 'overall',
      `${pages.length} (${pages.filter((r) => r.legible).length})`,
      ...names.map((engine) => {
        const all = of(engine, category).filter(hasCode);
        const legible = all.filter((r) => r.legible);
        return `${pct(legible.filter(read).length, legible.length)} / ${pct(all.filter(read).length, all.length)}`;
      }),
    ]);
  }
  table(rows);

  console.log(`\nwrong texts (a text read that is not the code printed there), by category; ${load()}`);
  const wrongRows = [['category', ...names]];
  for (const category of [...categories, null])
    wrongRows.push([
      category ?? 'overall',
      ...names.map((e) => String(of(e, category).reduce((n, r) => n + wrong(r), 0))),
    ]);
  table(wrongRows);

  console.log(`\nsmallest px/module read (largest not read), by category; ${load()}`);
  const pxRows = [['category', ...names]];
  for (const category of [...categories, null]) {
    pxRows.push([
      category ?? 'overall',
      ...names.map((engine) => {
        const pages = of(engine, category).filter(hasCode);
        const ok = pages.filter(read).map((r) => r.px ?? 0);
        const missed = pages.filter((r) => !read(r)).map((r) => r.px ?? 0);
        return `${ok.length ? Math.min(...ok).toFixed(2) : '-'} (${missed.length ? Math.max(...missed).toFixed(2) : '-'})`;
      }),
    ]);
  }
  table(pxRows);

  console.log(`\nCPU ms per page, median / p95 (each engine in its own process); ${load()}`);
  table([
    ['', ...names],
    [
      'CPU',
      ...names.map((e) => {
        const cpu = of(e, null).map((r) => r.cpuMs);
        return `${quantile(cpu, 0.5).toFixed(0)} / ${quantile(cpu, 0.95).toFixed(0)}`;
      }),
    ],
  ]);

  const ours = runs.get('ours');
  if (ours) {
    const missed = ours.filter((r) => hasCode(r) && !read(r));
    const falseAlarm = ours.filter((r) => !hasCode(r) && r.unreadable > 0);
    console.log(
      `\nours: ${missed.length} pages not read, ${missed.filter((r) => r.unreadable > 0).length} of them reported ` +
        `"found a code but cannot read it"; pages without a code reported so: ${falseAlarm.length}`,
    );
    const zxing = new Map((runs.get('zxing-wasm defaults') ?? []).map((r) => [r.file, r] as const));
    // Legible misses always; INDEPENDENT_DIAGNOSE_PX=1.2 adds the misses at or above that many px/module (near the limit).
    const nearPx = Number(process.env.INDEPENDENT_DIAGNOSE_PX) || Number.POSITIVE_INFINITY;
    const legibleMissed = missed.filter((r) => r.legible || (r.px ?? 0) >= nearPx);
    if (legibleMissed.length > 0) {
      const trialLine = spawnChild(['--engine', 'ours', '--trials'], {
        ...process.env,
        INDEPENDENT_TRIAL_PAGES: JSON.stringify(Object.fromEntries(legibleMissed.map((r) => [r.file, r.found]))),
      });
      const found = new Map((JSON.parse(trialLine).trials as Trial[]).map((t) => [t.file, t] as const));
      console.log(
        `\n${nearPx < Number.POSITIVE_INFINITY ? `pages legible or >= ${nearPx} px/module` : 'legible pages'} ours did not read (${legibleMissed.length}), diagnosed; ${load()}`,
      );
      for (const r of legibleMissed) {
        const t = found.get(r.file);
        const z = zxing.get(r.file);
        const readsAlone = t?.alone.filter((a) => a.good).map((a) => `${a.name} (${a.cpuMs.toFixed(0)} ms)`) ?? [];
        console.log(
          `- ${r.category} ${r.label} [${r.px} px/module${r.legible ? ' legible' : ''}, ${r.symbol ?? ''}] zxing-wasm ${z ? (read(z) ? 'reads' : 'misses') : '-'}; ` +
            `located by zxing: ${t?.located ?? '-'}; region scores ${t?.scores.slice(0, 3).join(', ') ?? '-'}; ` +
            `unreadable reported: ${r.unreadable}; product budget: ${r.cpuMs.toFixed(0)} ms CPU, steps ${r.steps?.join(' ') ?? '-'}; ` +
            `30 s budget: ${t && r.expected.every((e) => t.longBudget.includes(e)) ? 'reads' : 'misses'} (${t?.longSteps.join(' ') ?? '-'}); ` +
            `steps alone that read it: ${readsAlone.join(', ') || 'none'}`,
        );
      }
    }
  }

  console.log('\npages not read (by engine):');
  for (const [engine, results] of runs) {
    const missed = results.filter((r) => hasCode(r) && !read(r));
    console.log(
      `- ${engine} (${missed.length}): ${missed.map((r) => `${r.category} ${r.label} [${r.px}${r.legible ? ' legible' : ''}]`).join(', ') || 'none'}`,
    );
  }
  const wrongPages = names.flatMap((e) =>
    of(e, null)
      .filter((r) => wrong(r) > 0)
      .map(
        (r) =>
          `${e}: ${r.file} read ${r.found.filter((t) => !r.expected.includes(t)).map((t) => JSON.stringify(t.slice(0, 40)))}`,
      ),
  );
  if (wrongPages.length) console.log(`\nWRONG TEXTS:\n${wrongPages.join('\n')}`);
  if (process.env.INDEPENDENT_VERBOSE) {
    console.log('\nevery page: engine results (+ read, - missed, ! wrong)');
    for (const r of of(names[0] as Engine, null)) {
      const cells = names.map((e) => {
        const o = (runs.get(e) ?? []).find((x) => x.file === r.file);
        return o ? `${e.split(' ')[0]}${hasCode(o) ? (read(o) ? '+' : '-') : ''}${wrong(o) ? '!' : ''}` : '';
      });
      console.log(`${r.file} [${r.px}${r.legible ? ' legible' : ''}] ${cells.join(' ')}`);
    }
  }
  console.log(`\nindependent bench: ${Math.round((performance.now() - t0) / 1000)} s; at the end: ${load()}`);
}

if (process.argv.includes('--engine')) await child();
else await parent();

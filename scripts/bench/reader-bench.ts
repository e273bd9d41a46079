/**
 * `npm run bench -- reader`: the document reader against the open readers a project like
 * this could pick (zxing-wasm with its defaults, jsQR, ZBar's wasm build, the TypeScript
 * port of ZXing), on the generated corpus of scripts/bench/corpus/ (built and cached under
 * .cache/bench-corpus/ on first run). Each engine runs in its own process, so its peak
 * memory is its own. Prints figures by capture category; asserts nothing.
 *
 * Per page, every engine starts from the file's bytes: ours through `readDocument`; the
 * peers get the same decoded pixels (our image decoders; PDF pages rendered at 200 DPI by
 * pdf.js), and that decoding is part of their time too.
 *
 * Options (environment): READER_BENCH_ONLY=rotation,fax limits the categories;
 * READER_BENCH_ENGINES=ours,jsQR the engines; READER_BENCH_VERBOSE=1 lists every page;
 * READER_BENCH_BUDGET_MS=20000 gives ours that page budget instead of the product's, to
 * tell what the ladder can read from what a loaded machine's clock cut short (the shared
 * machine's load moves the default budget's results by several pages).
 * READER_BENCH_PROFILE=1 also runs every ladder step alone on each page the first pass
 * leaves unfinished (what each step can read, its CPU cost); READER_BENCH_SAVE=file keeps
 * ours' per-page results and READER_BENCH_COMPARE=file lists the pages whose texts changed
 * since (a ladder change must lose none). READER_BENCH_CLOCK=cpu runs ours' page budget on
 * this process's CPU time (other processes' load does not move it). READER_BENCH_COSTS=1
 * only prints each step kind's measured CPU against the ladder's cost estimates;
 * READER_BENCH_AB=250,500,1000 only compares the previous estimates with the current ones
 * at those CPU budgets (one process, alternated).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareZXingModule } from 'zxing-wasm/reader';
import { findScoredRegions } from '../../utils/document/code-regions.ts';
import { openRaster } from '../../utils/document/decode-raster.ts';
import { hasColour, luminance, redChannel } from '../../utils/document/image-ops.ts';
import type { RgbaImage } from '../../utils/document/image-types.ts';
import { loadQrReader } from '../../utils/document/qr-decoder.ts';
import { readDocument } from '../../utils/document/read-document.ts';
import { ladderSteps, STEP_COSTS, type StepCosts, type StepSize } from '../../utils/document/read-ladder.ts';
import { DEFAULT_READ_LIMITS } from '../../utils/document/read-limits.ts';
import { openPdf } from '../../utils/document/read-pdf.ts';
import { sniffKind } from '../../utils/document/sniff-kind.ts';
import { nodeReaderPlatform } from '../../utils/node/reader-platform.ts';
import {
  CATEGORIES,
  type Category,
  CORPUS_DIR,
  type CorpusItem,
  ensureCorpus,
  LEGIBLE_BLUR_MODULES,
  LEGIBLE_PX_PER_MODULE,
  legibleByEye,
} from './corpus/make-corpus.ts';
import { peerRead } from './peer-readers.ts';

const ENGINES = ['ours', 'zxing-wasm defaults', 'jsQR', 'zbar-wasm', '@zxing/library'] as const;
type Engine = (typeof ENGINES)[number];

interface PageResult {
  file: string;
  category: Category;
  label: string;
  page: number;
  expected: string[];
  pxPerModule: number | null;
  blurPx?: number | undefined;
  found: string[];
  /** Ours only: QR-like regions the reader located on the page but could not read. */
  unreadable: number;
  ms: number;
  /** CPU time of this engine's process per page (user + system): what a shared machine's load moves least. */
  cpuMs: number;
  /** Ours only: each ladder step that ran on this file (first pass included), its CPU ms and whether it read a code. */
  steps?: StepRun[] | undefined;
}

interface StepRun {
  name: string;
  cpuMs: number;
  read: number;
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function pagesOf(bytes: Uint8Array): Promise<RgbaImage[]> {
  const platform = nodeReaderPlatform();
  const kind = sniffKind(bytes);
  if (kind === 'pdf') {
    const pdf = await openPdf(bytes, platform, DEFAULT_READ_LIMITS);
    const out: RgbaImage[] = [];
    for (let i = 0; i < pdf.pages; i++) out.push((await (await pdf.page(i)).render()).image);
    await pdf.close();
    return out;
  }
  if (!kind) throw new Error('not a document');
  const raster = await openRaster(bytes, kind, DEFAULT_READ_LIMITS, platform);
  const out: RgbaImage[] = [];
  for (let i = 0; i < raster.pages; i++) out.push(await raster.page(i));
  return out;
}

/** The files read before measuring: the first, and the first PDF (see runEngine). */
const warmFiles = (items: CorpusItem[]) =>
  [items[0]?.file, items.find((i) => i.file.endsWith('.pdf'))?.file].filter((f): f is string => f !== undefined);

const budget = Number(process.env.READER_BENCH_BUDGET_MS) || 0;
/** READER_BENCH_CLOCK=cpu: ours' page budget runs on this process's CPU time, which other processes' load does not move. */
const clock = process.env.READER_BENCH_CLOCK === 'cpu' ? { now: cpuNow } : {};

async function runEngine(engine: Engine, items: CorpusItem[]): Promise<PageResult[]> {
  const platform = nodeReaderPlatform();
  if (engine === 'zxing-wasm defaults')
    await prepareZXingModule({ overrides: { ...platform.zxing }, fireImmediately: true });
  const results: PageResult[] = [];
  // Warm-up outside the measurements: wasm compilation, pdf.js loading, JIT. A PDF too:
  // loading pdf.js and its worker in-process costs about 2 s of CPU once, which would
  // otherwise land on the first PDF of the corpus as if it were that page's decoding.
  for (const file of warmFiles(items)) {
    const warm = new Uint8Array(readFileSync(join(CORPUS_DIR, file)));
    if (engine === 'ours') await readDocument(warm, { platform });
    else for (const image of await pagesOf(warm)) await peerRead(engine, image);
  }
  for (const item of items) {
    const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, item.file)));
    const start = performance.now();
    const cpuStart = cpuNow();
    let found: string[][];
    let unreadable: number[] = [];
    const steps: StepRun[] = [];
    let lastCpu = cpuStart;
    const onStep = (name: string, codes: { text: string }[]) => {
      const at = cpuNow();
      steps.push({ name, cpuMs: at - lastCpu, read: codes.length });
      lastCpu = at;
    };
    if (engine === 'ours') {
      const result = await readDocument(bytes, {
        platform,
        onStep,
        ...clock,
        ...(budget ? { limits: { pageBudgetMs: budget } } : {}),
      });
      if (!result.ok) throw new Error(`${item.file}: ${result.error.key}`);
      found = item.pages.map((_, i) => result.codes.filter((c) => c.page === i + 1).map((c) => c.text));
      const regions = (result as { unreadable?: { page: number }[] }).unreadable ?? [];
      unreadable = item.pages.map((_, i) => regions.filter((u) => u.page === i + 1).length);
    } else {
      found = [];
      for (const image of await pagesOf(bytes)) found.push(await peerRead(engine, image));
    }
    const ms = (performance.now() - start) / item.pages.length;
    const cpuMs = (cpuNow() - cpuStart) / item.pages.length;
    item.pages.forEach((page, i) => {
      results.push({
        file: item.file,
        category: item.category,
        label: item.label,
        page: i + 1,
        expected: page.texts,
        pxPerModule: page.pxPerModule,
        blurPx: page.blurPx,
        found: found[i] ?? [],
        unreadable: unreadable[i] ?? 0,
        ms,
        cpuMs,
        ...(engine === 'ours' && i === 0 ? { steps } : {}),
      });
    });
  }
  return results;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const hasCode = (r: PageResult) => r.expected.length > 0;
/** A page is read when every code on it was read. */
const read = (r: PageResult) => hasCode(r) && r.expected.every((t) => r.found.includes(t));
const wrong = (r: PageResult) => r.found.filter((t) => !r.expected.includes(t)).length;
const legible = (r: PageResult) => legibleByEye({ texts: r.expected, pxPerModule: r.pxPerModule, blurPx: r.blurPx });
const pct = (a: number, b: number) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(0)}%`);

/**
 * Ours, step by step: how often each ladder step ran, its CPU cost, and on how many files
 * it was the step that read a code (the first pass included), by category. What the
 * ladder's order and gates are tuned from.
 */
function stepProfile(ours: PageResult[]): void {
  const byStep = new Map<string, { cpu: number[]; reads: Map<string, number> }>();
  for (const r of ours) {
    for (const step of r.steps ?? []) {
      const entry = byStep.get(step.name) ?? { cpu: [] as number[], reads: new Map<string, number>() };
      entry.cpu.push(step.cpuMs);
      if (step.read > 0) entry.reads.set(r.category, (entry.reads.get(r.category) ?? 0) + 1);
      byStep.set(step.name, entry);
    }
  }
  console.log(
    '\nours, ladder steps (per file that ran them): runs, CPU ms median / p95 / total, files it read a code on',
  );
  const rows = [['step', 'runs', 'CPU median / p95 / total', 'read on (by category)']];
  for (const [name, { cpu, reads }] of byStep) {
    const total = cpu.reduce((a, b) => a + b, 0);
    rows.push([
      name,
      String(cpu.length),
      `${quantile(cpu, 0.5).toFixed(0)} / ${quantile(cpu, 0.95).toFixed(0)} / ${total.toFixed(0)}`,
      [...reads].map(([c, n]) => `${c} ${n}`).join(', ') || '-',
    ]);
  }
  table(rows);
}

/** Pages whose texts differ from a run saved with READER_BENCH_SAVE: what a ladder change gained or lost. */
function compare(ours: PageResult[], path: string): void {
  const before = new Map(
    (JSON.parse(readFileSync(path, 'utf8')) as PageResult[]).map((r) => [`${r.file}#${r.page}`, r] as const),
  );
  const changes: string[] = [];
  let cpuBefore = 0;
  let cpuAfter = 0;
  for (const r of ours) {
    const old = before.get(`${r.file}#${r.page}`);
    if (!old) continue;
    cpuBefore += old.cpuMs;
    cpuAfter += r.cpuMs;
    const was = [...old.found].sort().join(',');
    const now = [...r.found].sort().join(',');
    if (was === now) continue;
    const gained = r.found.filter((t) => !old.found.includes(t)).length;
    const lost = old.found.filter((t) => !r.found.includes(t)).length;
    changes.push(`${r.category} ${r.label}${r.page > 1 ? ` p${r.page}` : ''}: +${gained} -${lost} texts`);
  }
  console.log(
    `\ncompared with ${path}: ${changes.length} pages changed; CPU total ${cpuBefore.toFixed(0)} -> ${cpuAfter.toFixed(0)} ms`,
  );
  for (const c of changes) console.log(`- ${c}`);
}

/** One page the first pass did not finish: what every ladder step, run alone, reads on it. */
interface StepTrial {
  file: string;
  page: number;
  category: Category;
  label: string;
  pxPerModule: number | null;
  expected: string[];
  first: string[];
  /** Symbols zxing's first pass located but did not read. */
  failed: number;
  /** The page's likely code regions' scores, best first (what the ladder's gates can see cheaply). */
  scores: number[];
  /** CPU ms a pixel of the first pass (luminance and zxing's scan): the ladder's unit of cost. */
  rate: number;
  /** Each step run alone: its size, CPU, the new texts it read, and the symbols it located (read or not). */
  steps: { name: string; size: StepSize; cpuMs: number; good: string[]; wrong: number; located: number }[];
}

/** A step run alone is stopped after this much CPU (the grid reader can run for seconds). */
const TRIAL_STEP_CPU_MS = 8000;

/**
 * READER_BENCH_PROFILE=1: every ladder step, each run alone (no budget, nothing marked
 * done), on every page the first pass leaves unfinished: which steps can read which pages,
 * not only which step the ladder's order happened to reach first.
 */
async function trySteps(items: CorpusItem[]): Promise<StepTrial[]> {
  const { decode, detect, scan } = await loadQrReader(nodeReaderPlatform().zxing);
  const out: StepTrial[] = [];
  for (const item of items) {
    const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, item.file)));
    const images = await pagesOf(bytes);
    for (const [i, image] of images.entries()) {
      const expected = item.pages[i]?.texts ?? [];
      const firstStart = cpuNow();
      const lum = luminance(image);
      const first = await scan(lum);
      const rate = (cpuNow() - firstStart) / (lum.width * lum.height);
      const firstTexts = first.codes.map((c) => c.text);
      if (expected.every((t) => firstTexts.includes(t)) && first.failed.length === 0) continue;
      const base = hasColour(image) ? redChannel(image) : lum;
      const scored = findScoredRegions(base);
      const regions = scored.map(({ rect }) => {
        const x = Math.max(0, Math.floor(rect.x));
        const y = Math.max(0, Math.floor(rect.y));
        const right = Math.min(lum.width, Math.ceil(rect.x + rect.width));
        const bottom = Math.min(lum.height, Math.ceil(rect.y + rect.height));
        return { x, y, width: right - x, height: bottom - y };
      });
      let stepStart = cpuNow();
      let located = 0;
      const steps = ladderSteps(image, lum, {
        decode,
        detect,
        stop: () => cpuNow() - stepStart > TRIAL_STEP_CPU_MS,
        regions: () => regions,
        onDetect: () => {
          located++;
        },
      });
      const trial: StepTrial = {
        file: item.file,
        page: i + 1,
        category: item.category,
        label: item.label,
        pxPerModule: item.pages[i]?.pxPerModule ?? null,
        expected,
        first: firstTexts,
        failed: first.failed.length,
        scores: scored.map((r) => Math.round(r.score * 1000) / 1000),
        rate,
        steps: [],
      };
      for (const step of steps) {
        const size = step.size;
        located = 0;
        stepStart = cpuNow();
        const texts = (await step.run()).map((c) => c.text);
        trial.steps.push({
          name: step.name,
          size,
          located,
          cpuMs: cpuNow() - stepStart,
          good: texts.filter((t) => expected.includes(t) && !firstTexts.includes(t)),
          wrong: texts.filter((t) => !expected.includes(t)).length,
        });
      }
      out.push(trial);
    }
  }
  return out;
}

/**
 * The ladder's cost estimates before they were measured (session 4): a crop 3, rectify 6,
 * the outline 1.5 and the grid 12 pixel-passes a pixel of the enlarged crop; whole-page
 * steps 0.5-8 a page pixel. Kept for READER_BENCH_AB, which compares them with STEP_COSTS.
 */
const PREVIOUS_COSTS: StepCosts = ({ kind, width, height, scale }) => {
  const pixels = width * height;
  if (kind.startsWith('crop-')) return 3 * pixels * scale * scale;
  const crop = ({ rectify: 6, outline: 1.5, grid: 12 } as Record<string, number>)[kind];
  if (crop !== undefined) return crop * pixels * scale * scale;
  const page: Record<string, number> = { red: 2, sharpen: 2, stretch: 2, half: 0.5, median: 4, upscale: 8 };
  return (page[kind] ?? 4) * pixels;
};

/**
 * READER_BENCH_COSTS=1: what each kind of step really costs (CPU ms, run alone) against
 * what the ladder estimates (its cost in pixel-passes times the page's first-pass CPU ms a
 * pixel), by kind and crop enlargement; and the pixel-passes a pixel that the measurement
 * implies, per pixel of the region (or page) and per pixel of the enlarged crop, with
 * their spread (p90 / p10): the basis with the smaller spread is the better estimate.
 */
function printCosts(trials: StepTrial[]): void {
  const groups = new Map<string, { cpu: number; old: number; now: number; rate: number; size: StepSize }[]>();
  for (const t of trials) {
    for (const step of t.steps) {
      if (step.size.width * step.size.height === 0) continue;
      const label = step.name.startsWith('region') ? `${step.size.kind} x${step.size.scale}` : step.size.kind;
      const entry = groups.get(label) ?? [];
      entry.push({
        cpu: step.cpuMs,
        old: PREVIOUS_COSTS(step.size) * t.rate,
        now: STEP_COSTS(step.size) * t.rate,
        rate: t.rate,
        size: step.size,
      });
      groups.set(label, entry);
    }
  }
  const rate = quantile(
    trials.map((t) => t.rate * 1e6),
    0.5,
  );
  console.log(
    `
step costs, each step run alone on the ${trials.length} pages the first pass leaves unfinished ` +
      `(first pass: median ${rate.toFixed(1)} CPU ms a megapixel): measured CPU ms / estimate, median [p10-p90]; ` +
      'pixel-passes a pixel implied by the measurement, median (p90/p10), per region or page pixel and per enlarged-crop pixel',
  );
  const spread = (v: number[]) =>
    `${quantile(v, 0.5).toPrecision(3)} [${quantile(v, 0.1).toPrecision(2)}-${quantile(v, 0.9).toPrecision(2)}]`;
  const implied = (v: number[]) =>
    `${quantile(v, 0.5).toPrecision(3)} (${(quantile(v, 0.9) / quantile(v, 0.1)).toFixed(1)})`;
  const rows = [
    [
      'step kind',
      'runs',
      'CPU ms median / p95',
      'measured / previous',
      'measured / current',
      'per pixel',
      'per crop pixel',
    ],
  ];
  for (const [label, runs] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const cpu = runs.map((r) => r.cpu);
    rows.push([
      label,
      String(runs.length),
      `${quantile(cpu, 0.5).toFixed(0)} / ${quantile(cpu, 0.95).toFixed(0)}`,
      spread(runs.map((r) => r.cpu / r.old)),
      spread(runs.map((r) => r.cpu / r.now)),
      implied(runs.map((r) => r.cpu / r.rate / (r.size.width * r.size.height))),
      implied(runs.map((r) => r.cpu / r.rate / (r.size.width * r.size.height * r.size.scale ** 2))),
    ]);
  }
  table(rows);
}

function printTrials(trials: StepTrial[]): void {
  const needing = trials.filter((t) => t.expected.some((e) => !t.first.includes(e)));
  console.log(
    `\nevery ladder step alone on the ${trials.length} pages the first pass leaves unfinished ` +
      `(${needing.length} with a code it did not read): pages it reads a new code on, pages only it reads, CPU ms median / p95`,
  );
  const names = [...new Set(trials.flatMap((t) => t.steps.map((s) => s.name)))];
  const rows = [['step', 'reads (by category)', 'only it', 'wrong', 'CPU median / p95']];
  for (const name of names) {
    const runs = trials.flatMap((t) => t.steps.filter((s) => s.name === name).map((s) => ({ t, s })));
    const reads = runs.filter(({ s }) => s.good.length > 0);
    const only = reads.filter(({ t, s }) =>
      s.good.some((g) => !t.steps.some((o) => o.name !== name && o.good.includes(g))),
    );
    const byCat = new Map<string, number>();
    for (const { t } of reads) byCat.set(t.category, (byCat.get(t.category) ?? 0) + 1);
    const cpu = runs.map(({ s }) => s.cpuMs);
    rows.push([
      name,
      `${reads.length}: ${[...byCat].map(([c, n]) => `${c} ${n}`).join(', ')}`,
      only.map(({ t }) => `${t.category} ${t.label}`).join('; ') || '-',
      String(runs.reduce((n, { s }) => n + s.wrong, 0)),
      `${quantile(cpu, 0.5).toFixed(0)} / ${quantile(cpu, 0.95).toFixed(0)}`,
    ]);
  }
  table(rows);
  const unread = needing.filter((t) =>
    t.expected.some((e) => !t.first.includes(e) && !t.steps.some((s) => s.good.includes(e))),
  );
  console.log(
    `pages no step reads: ${unread.map((t) => `${t.category} ${t.label} [${t.pxPerModule}]`).join(', ') || 'none'}`,
  );
}

/** One run of READER_BENCH_AB: a page budget, a set of cost estimates, and what ours read with them. */
interface AbRun {
  budgetMs: number;
  costs: 'previous' | 'current';
  pages: { file: string; page: number; expected: string[]; found: string[]; legible: boolean }[];
  /** CPU of the reads of files that reach the ladder (the others are read once, outside the runs). */
  cpuMs: number;
  ladderFiles: number;
  /** CPU ms of each ladder file's read (decoding included, the same in both runs): what an overrun of the budget moves. */
  fileCpuMs: number[];
}

/**
 * READER_BENCH_AB=300,600: ours on every file at each page budget, once with the previous
 * cost estimates and once with the current ones, the budget on this process's CPU clock.
 * All in one process and alternated (which goes first flips from file to file), so the
 * two see the same warm caches and the same machine.
 */
async function runAb(items: CorpusItem[], budgets: number[]): Promise<AbRun[]> {
  const platform = nodeReaderPlatform();
  const runs: AbRun[] = budgets.flatMap((budgetMs) =>
    (['previous', 'current'] as const).map((costs) => ({
      budgetMs,
      costs,
      pages: [],
      cpuMs: 0,
      ladderFiles: 0,
      fileCpuMs: [],
    })),
  );
  for (const file of warmFiles(items))
    await readDocument(new Uint8Array(readFileSync(join(CORPUS_DIR, file))), { platform });
  const pagesOf = (item: CorpusItem, codes: { text: string; page: number }[]) =>
    item.pages.map((page, i) => ({
      file: item.file,
      page: i + 1,
      expected: page.texts,
      found: codes.filter((c) => c.page === i + 1).map((c) => c.text),
      legible: legibleByEye(page),
    }));
  for (const [index, item] of items.entries()) {
    const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, item.file)));
    // A file the first pass finishes never reaches the ladder: the estimates cannot change
    // it, so it is read once and counted alike in every run.
    let ladder = false;
    const check = await readDocument(bytes.slice(), {
      platform,
      now: cpuNow,
      onStep: (name) => {
        if (name !== 'first') ladder = true;
      },
    });
    if (!check.ok) throw new Error(`${item.file}: ${check.error.key}`);
    if (!ladder) {
      for (const run of runs) run.pages.push(...pagesOf(item, check.codes));
      continue;
    }
    for (const budgetMs of budgets) {
      const order = index % 2 === 0 ? (['previous', 'current'] as const) : (['current', 'previous'] as const);
      for (const costs of order) {
        const run = runs.find((r) => r.budgetMs === budgetMs && r.costs === costs);
        if (!run) continue;
        const start = cpuNow();
        const result = await readDocument(bytes.slice(), {
          platform,
          now: cpuNow,
          costs: costs === 'previous' ? PREVIOUS_COSTS : STEP_COSTS,
          limits: { pageBudgetMs: budgetMs },
        });
        run.cpuMs += cpuNow() - start;
        run.fileCpuMs.push(cpuNow() - start);
        if (!result.ok) throw new Error(`${item.file}: ${result.error.key}`);
        run.pages.push(...pagesOf(item, result.codes));
        run.ladderFiles++;
      }
    }
  }
  return runs;
}

function printAb(runs: AbRun[]): void {
  console.log(
    '\nours with the previous and the current step cost estimates, the page budget on CPU time (one process, alternated): ' +
      'pages with every code read (of pages with a code; legible by eye), wrong texts, CPU s of the files that reach the ladder',
  );
  const rows = [
    [
      'budget (CPU ms)',
      'estimates',
      'read',
      'read, legible',
      'wrong',
      'ladder files',
      'their CPU s',
      'CPU ms a file: p95 / max',
    ],
  ];
  for (const run of runs) {
    const coded = run.pages.filter((p) => p.expected.length > 0);
    const ok = (p: AbRun['pages'][number]) => p.expected.every((t) => p.found.includes(t));
    rows.push([
      String(run.budgetMs),
      run.costs,
      `${coded.filter(ok).length}/${coded.length}`,
      `${coded.filter((p) => p.legible && ok(p)).length}/${coded.filter((p) => p.legible).length}`,
      String(run.pages.reduce((n, p) => n + p.found.filter((t) => !p.expected.includes(t)).length, 0)),
      String(run.ladderFiles),
      (run.cpuMs / 1000).toFixed(1),
      `${quantile(run.fileCpuMs, 0.95).toFixed(0)} / ${Math.max(...run.fileCpuMs).toFixed(0)}`,
    ]);
  }
  table(rows);
  for (const budgetMs of new Set(runs.map((r) => r.budgetMs))) {
    const [before, after] = (['previous', 'current'] as const).map((c) =>
      runs.find((r) => r.budgetMs === budgetMs && r.costs === c),
    );
    if (!before || !after) continue;
    const changed = after.pages.flatMap((p, i) => {
      const old = before.pages[i];
      if (!old) return [];
      const gained = p.found.filter((t) => !old.found.includes(t)).length;
      const lost = old.found.filter((t) => !p.found.includes(t)).length;
      return gained || lost ? [`${p.file}${p.page > 1 ? ` p${p.page}` : ''} +${gained} -${lost}`] : [];
    });
    console.log(`- ${budgetMs} ms, current against previous: ${changed.join(', ') || 'no page changed'}`);
  }
}

async function child(engine: Engine): Promise<void> {
  const only = process.env.READER_BENCH_ONLY?.split(',').filter(Boolean);
  const items = (await ensureCorpus()).filter((i) => !only || only.includes(i.category));
  if (process.argv.includes('--ab')) {
    const budgets = (process.env.READER_BENCH_AB ?? '')
      .split(',')
      .map(Number)
      .filter((n) => n > 0);
    process.stdout.write(`${JSON.stringify({ ab: await runAb(items, budgets) })}\n`);
    return;
  }
  if (process.argv.includes('--trials')) {
    const trials = await trySteps(items);
    if (process.env.READER_BENCH_SAVE)
      writeFileSync(`${process.env.READER_BENCH_SAVE}.trials.json`, JSON.stringify(trials));
    process.stdout.write(`${JSON.stringify({ trials })}\n`);
    return;
  }
  const results = await runEngine(engine, items);
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ results, maxRssMb })}\n`);
}

function table(rows: string[][]): void {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const [i, row] of rows.entries()) {
    console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
}

async function parent(): Promise<void> {
  const t0 = performance.now();
  const items = await ensureCorpus();
  const only = process.env.READER_BENCH_ONLY?.split(',').filter(Boolean);
  const engines = ENGINES.filter(
    (e) => !process.env.READER_BENCH_ENGINES || process.env.READER_BENCH_ENGINES.split(',').includes(e),
  );
  const chosen = items.filter((i) => !only || only.includes(i.category));
  const pageCount = chosen.reduce((n, i) => n + i.pages.length, 0);
  console.log(`corpus: ${chosen.length} files, ${pageCount} pages, ${CORPUS_DIR}`);
  console.log(
    `load average at the start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (2 cores shared)`,
  );
  if (budget) console.log(`ours with a page budget of ${budget} ms (READER_BENCH_BUDGET_MS), not the product's`);
  const trials = (mode = '--trials') => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--engine', 'ours', mode],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !line.startsWith('{')) throw new Error(`ours ${mode} failed (exit ${run.status})`);
    return JSON.parse(line);
  };
  if (process.env.READER_BENCH_AB) {
    printAb(trials('--ab').ab);
    console.log(
      `\nload average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    return;
  }
  if (process.env.READER_BENCH_COSTS) {
    printCosts(trials().trials);
    console.log(
      `\nload average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    return;
  }
  const runs = new Map<Engine, { results: PageResult[]; maxRssMb: number }>();
  for (const engine of engines) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--engine', engine], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !line.startsWith('{')) throw new Error(`${engine} failed (exit ${run.status})`);
    runs.set(engine, JSON.parse(line));
  }
  if (process.env.READER_BENCH_PROFILE) printTrials(trials().trials);
  const names = [...runs.keys()];
  const categories = CATEGORIES.filter((c) => chosen.some((i) => i.category === c));
  const byCategory = (engine: Engine, category: Category | null) =>
    (runs.get(engine)?.results ?? []).filter((r) => category === null || r.category === category);

  console.log(
    `\nread % (pages with every code read) of pages a person could read by eye (>= ${LEGIBLE_PX_PER_MODULE} px/module, ` +
      `blur <= ${LEGIBLE_BLUR_MODULES} module): the >= 97% target; in brackets, of pages beyond reading by eye (not in the target)`,
  );
  const readRows = [['category', 'pages (beyond eye)', ...names]];
  for (const category of [...categories, null]) {
    const first = byCategory(names[0] as Engine, category).filter(hasCode);
    readRows.push([
      category ?? 'overall',
      `${first.filter(legible).length} (${first.filter((r) => !legible(r)).length})`,
      ...names.map((engine) => {
        const pages = byCategory(engine, category).filter(hasCode);
        const big = pages.filter(legible);
        const beyond = pages.filter((r) => !legible(r));
        return `${pct(big.filter(read).length, big.length)} (${pct(beyond.filter(read).length, beyond.length)})`;
      }),
    ]);
  }
  table(readRows);

  console.log('\nwrong texts (a text on a page that is not the code printed there)');
  table([
    ['', ...names],
    ['wrong', ...names.map((e) => String(byCategory(e, null).reduce((n, r) => n + wrong(r), 0)))],
  ]);

  // One table of median / p95 per category, for wall time and for CPU time.
  const quantileTable = (title: string, field: 'ms' | 'cpuMs') => {
    console.log(title);
    const rows = [['category', ...names]];
    for (const category of [...categories, null]) {
      rows.push([
        category ?? 'overall',
        ...names.map((engine) => {
          const ms = byCategory(engine, category).map((r) => r[field]);
          return `${quantile(ms, 0.5).toFixed(0)} / ${quantile(ms, 0.95).toFixed(0)}`;
        }),
      ]);
    }
    table(rows);
  };
  quantileTable('\nmedian / p95 ms per page', 'ms');
  quantileTable('\nmedian / p95 CPU ms per page (each engine in its own process; the load moves these least)', 'cpuMs');

  console.log('\nsmallest px/module read (and the largest not read)');
  const pxRows = [['category', ...names]];
  for (const category of [...categories, null]) {
    pxRows.push([
      category ?? 'overall',
      ...names.map((engine) => {
        const pages = byCategory(engine, category).filter(hasCode);
        const ok = pages.filter(read).map((r) => r.pxPerModule ?? 0);
        const missed = pages.filter((r) => !read(r)).map((r) => r.pxPerModule ?? 0);
        const lo = ok.length ? Math.min(...ok).toFixed(2) : '-';
        const hi = missed.length ? Math.max(...missed).toFixed(2) : '-';
        return `${lo} (${hi})`;
      }),
    ]);
  }
  table(pxRows);

  const zxingRead = new Set(
    byCategory('zxing-wasm defaults', null)
      .filter(read)
      .map((r) => `${r.file}#${r.page}`),
  );
  console.log('\nsummary');
  const summary = [
    [
      'engine',
      'read',
      'read, legible by eye',
      'wrong',
      'median on pages zxing reads',
      'p95',
      'max',
      'CPU: median on zxing-read, p95, max',
      'peak RSS',
    ],
  ];
  for (const engine of names) {
    const all = byCategory(engine, null);
    const pages = all.filter(hasCode);
    const big = pages.filter(legible);
    summary.push([
      engine,
      `${pages.filter(read).length}/${pages.length}`,
      `${big.filter(read).length}/${big.length}`,
      String(all.reduce((n, r) => n + wrong(r), 0)),
      zxingRead.size
        ? quantile(
            all.filter((r) => zxingRead.has(`${r.file}#${r.page}`)).map((r) => r.ms),
            0.5,
          ).toFixed(0)
        : '-',
      quantile(
        all.map((r) => r.ms),
        0.95,
      ).toFixed(0),
      Math.max(...all.map((r) => r.ms)).toFixed(0),
      [
        zxingRead.size
          ? quantile(
              all.filter((r) => zxingRead.has(`${r.file}#${r.page}`)).map((r) => r.cpuMs),
              0.5,
            )
          : Number.NaN,
        quantile(
          all.map((r) => r.cpuMs),
          0.95,
        ),
        Math.max(...all.map((r) => r.cpuMs)),
      ]
        .map((v) => v.toFixed(0))
        .join(' / '),
      `${runs.get(engine)?.maxRssMb ?? 0} MB`,
    ]);
  }
  table(summary);
  const medianOn = (engine: Engine, key: 'ms' | 'cpuMs') =>
    quantile(
      byCategory(engine, null)
        .filter((r) => zxingRead.has(`${r.file}#${r.page}`))
        .map((r) => r[key]),
      0.5,
    );
  if (runs.has('ours') && runs.has('zxing-wasm defaults') && zxingRead.size > 0)
    console.log(
      `median on the ${zxingRead.size} pages plain zxing-wasm reads: ours / zxing-wasm = ` +
        `${(medianOn('ours', 'ms') / medianOn('zxing-wasm defaults', 'ms')).toFixed(2)} wall, ` +
        `${(medianOn('ours', 'cpuMs') / medianOn('zxing-wasm defaults', 'cpuMs')).toFixed(2)} CPU (target <= 1.5)`,
    );

  const ours = runs.get('ours')?.results;
  if (ours) stepProfile(ours);
  if (ours && process.env.READER_BENCH_COMPARE) compare(ours, process.env.READER_BENCH_COMPARE);
  if (ours && process.env.READER_BENCH_SAVE) {
    writeFileSync(process.env.READER_BENCH_SAVE, JSON.stringify(ours));
    console.log(`\nours' per-page results saved to ${process.env.READER_BENCH_SAVE}`);
  }
  if (ours) {
    const missed = ours.filter((r) => hasCode(r) && !read(r));
    const said = missed.filter((r) => r.unreadable > 0);
    const falseAlarms = ours.filter((r) => read(r) || !hasCode(r)).filter((r) => r.unreadable > 0 && !hasCode(r));
    console.log(
      `\nours, pages not read: ${missed.length}; of them reported "found a code but cannot read it": ${said.length}; ` +
        `pages without a code reported so: ${falseAlarms.length}`,
    );
  }
  console.log('\npages not read (by engine):');
  for (const [engine, { results }] of runs) {
    const missed = results
      .filter((r) => hasCode(r) && !read(r))
      .map((r) => `${r.category} ${r.label}${r.page > 1 ? ` p${r.page}` : ''} [${r.pxPerModule}]`);
    console.log(`- ${engine} (${missed.length}): ${missed.join(', ') || 'none'}`);
  }
  if (process.env.READER_BENCH_VERBOSE) {
    console.log('\nms per page (* = not read, ! = wrong text):');
    console.log(`page | px/module | ${names.join(' | ')}`);
    const first = runs.get(names[0] as Engine)?.results ?? [];
    for (const [i, r] of first.entries()) {
      const cells = names.map((name) => {
        const other = runs.get(name)?.results[i];
        if (!other) return '-';
        return `${other.ms.toFixed(0)}${hasCode(other) && !read(other) ? '*' : ''}${wrong(other) ? '!' : ''}`;
      });
      console.log(
        `${r.category} ${r.label}${r.page > 1 ? ` p${r.page}` : ''} | ${r.pxPerModule} | ${cells.join(' | ')}`,
      );
    }
  }
  console.log(
    `\nreader bench: ${Math.round((performance.now() - t0) / 1000)} s; load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
}

const engineArg = process.argv.indexOf('--engine');
if (engineArg > 0) await child(process.argv[engineArg + 1] as Engine);
else await parent();

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
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanImageData } from '@undecaf/zbar-wasm';
import ZXingJs from '@zxing/library';
import jsQR from 'jsqr';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { openRaster } from '../../utils/document/decode-raster.ts';
import { luminance } from '../../utils/document/image-ops.ts';
import type { RgbaImage } from '../../utils/document/image-types.ts';
import { readDocument } from '../../utils/document/read-document.ts';
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
}

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

/** One peer's texts on one page image. */
async function peerRead(engine: Exclude<Engine, 'ours'>, image: RgbaImage): Promise<string[]> {
  if (engine === 'jsQR') {
    const code = jsQR(image.data, image.width, image.height);
    return code ? [code.data] : [];
  }
  if (engine === 'zxing-wasm defaults') {
    const codes = await readBarcodes(image as unknown as ImageData);
    return codes.filter((c) => c.isValid).map((c) => c.text);
  }
  if (engine === 'zbar-wasm') {
    const symbols = await scanImageData(image as unknown as ImageData);
    return symbols.filter((s) => s.typeName === 'ZBAR_QRCODE').map((s) => s.decode());
  }
  try {
    const source = new ZXingJs.RGBLuminanceSource(luminance(image).data, image.width, image.height);
    return [new ZXingJs.QRCodeReader().decode(new ZXingJs.BinaryBitmap(new ZXingJs.HybridBinarizer(source))).getText()];
  } catch {
    return []; // NotFound, Checksum, Format: nothing read
  }
}

const budget = Number(process.env.READER_BENCH_BUDGET_MS) || 0;

async function runEngine(engine: Engine, items: CorpusItem[]): Promise<PageResult[]> {
  const platform = nodeReaderPlatform();
  if (engine === 'zxing-wasm defaults')
    await prepareZXingModule({ overrides: { ...platform.zxing }, fireImmediately: true });
  const results: PageResult[] = [];
  // Warm-up outside the measurements: wasm compilation, pdf.js loading, JIT.
  const warm = new Uint8Array(readFileSync(join(CORPUS_DIR, items[0]?.file ?? '')));
  if (engine === 'ours') await readDocument(warm, { platform });
  else for (const image of await pagesOf(warm)) await peerRead(engine, image);
  for (const item of items) {
    const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, item.file)));
    const start = performance.now();
    let found: string[][];
    let unreadable: number[] = [];
    if (engine === 'ours') {
      const result = await readDocument(bytes, { platform, ...(budget ? { limits: { pageBudgetMs: budget } } : {}) });
      if (!result.ok) throw new Error(`${item.file}: ${result.error.key}`);
      found = item.pages.map((_, i) => result.codes.filter((c) => c.page === i + 1).map((c) => c.text));
      const regions = (result as { unreadable?: { page: number }[] }).unreadable ?? [];
      unreadable = item.pages.map((_, i) => regions.filter((u) => u.page === i + 1).length);
    } else {
      found = [];
      for (const image of await pagesOf(bytes)) found.push(await peerRead(engine, image));
    }
    const ms = (performance.now() - start) / item.pages.length;
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

async function child(engine: Engine): Promise<void> {
  const only = process.env.READER_BENCH_ONLY?.split(',').filter(Boolean);
  const items = (await ensureCorpus()).filter((i) => !only || only.includes(i.category));
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
  if (budget) console.log(`ours with a page budget of ${budget} ms (READER_BENCH_BUDGET_MS), not the product's`);
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

  console.log('\nmedian / p95 ms per page');
  const msRows = [['category', ...names]];
  for (const category of [...categories, null]) {
    msRows.push([
      category ?? 'overall',
      ...names.map((engine) => {
        const ms = byCategory(engine, category).map((r) => r.ms);
        return `${quantile(ms, 0.5).toFixed(0)} / ${quantile(ms, 0.95).toFixed(0)}`;
      }),
    ]);
  }
  table(msRows);

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
    ['engine', 'read', 'read, legible by eye', 'wrong', 'median on pages zxing reads', 'p95', 'max', 'peak RSS'],
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
      `${runs.get(engine)?.maxRssMb ?? 0} MB`,
    ]);
  }
  table(summary);
  const medianOn = (engine: Engine) =>
    quantile(
      byCategory(engine, null)
        .filter((r) => zxingRead.has(`${r.file}#${r.page}`))
        .map((r) => r.ms),
      0.5,
    );
  if (runs.has('ours') && runs.has('zxing-wasm defaults') && zxingRead.size > 0)
    console.log(
      `median ms on the ${zxingRead.size} pages plain zxing-wasm reads: ours / zxing-wasm = ` +
        `${(medianOn('ours') / medianOn('zxing-wasm defaults')).toFixed(2)} (target <= 1.5)`,
    );

  const ours = runs.get('ours')?.results;
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
  console.log(`\nreader bench: ${Math.round((performance.now() - t0) / 1000)} s`);
}

const engineArg = process.argv.indexOf('--engine');
if (engineArg > 0) await child(process.argv[engineArg + 1] as Engine);
else await parent();

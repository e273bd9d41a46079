/**
 * `npm run bench -- reader`: the document reader against plain zxing-wasm (default
 * settings) and jsQR on the corpus of scripts/bench/corpus/ (built and cached under
 * .cache/bench-corpus/ on first run). Each engine runs in its own process, so its peak
 * memory is its own. Prints figures; asserts nothing.
 *
 * Per page, every engine starts from the file's bytes: ours through `readDocument`; the
 * baselines get the same decoded pixels (our image decoders; PDF pages rendered at
 * 200 DPI by pdf.js), and that decoding is part of their time too.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsQR from 'jsqr';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { openRaster } from '../../utils/document/decode-raster.ts';
import type { RgbaImage } from '../../utils/document/image-types.ts';
import { readDocument } from '../../utils/document/read-document.ts';
import { DEFAULT_READ_LIMITS } from '../../utils/document/read-limits.ts';
import { openPdf } from '../../utils/document/read-pdf.ts';
import { sniffKind } from '../../utils/document/sniff-kind.ts';
import { nodeReaderPlatform } from '../../utils/node/reader-platform.ts';
import { CORPUS_DIR, type CorpusItem, ensureCorpus } from './corpus/make-corpus.ts';

const ENGINES = ['ours', 'zxing-wasm defaults', 'jsQR'] as const;
type Engine = (typeof ENGINES)[number];

interface PageResult {
  label: string;
  page: number;
  expected: string | null;
  found: string[];
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

async function runEngine(engine: Engine, items: CorpusItem[]): Promise<PageResult[]> {
  const platform = nodeReaderPlatform();
  if (engine === 'zxing-wasm defaults')
    await prepareZXingModule({ overrides: { ...platform.zxing }, fireImmediately: true });
  const results: PageResult[] = [];
  // Warm-up outside the measurements: wasm compilation, pdf.js loading, JIT.
  const warm = readFileSync(join(CORPUS_DIR, items[0]?.file ?? ''));
  await readDocument(new Uint8Array(warm), { platform });
  await pagesOf(new Uint8Array(warm));
  for (const item of items) {
    const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, item.file)));
    const start = performance.now();
    let found: string[][];
    if (engine === 'ours') {
      const result = await readDocument(bytes, { platform });
      if (!result.ok) throw new Error(`${item.file}: ${result.error.key}`);
      found = item.expected.map((_, i) => result.codes.filter((c) => c.page === i + 1).map((c) => c.text));
    } else {
      found = [];
      for (const image of await pagesOf(bytes)) {
        if (engine === 'jsQR') {
          const code = jsQR(image.data, image.width, image.height);
          found.push(code ? [code.data] : []);
        } else {
          const codes = await readBarcodes(image as unknown as ImageData);
          found.push(codes.filter((c) => c.isValid).map((c) => c.text));
        }
      }
    }
    const ms = (performance.now() - start) / item.expected.length;
    item.expected.forEach((expected, i) => {
      results.push({ label: item.label, page: i + 1, expected, found: found[i] ?? [], ms });
    });
  }
  return results;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const read = (r: PageResult) => r.expected !== null && r.found.includes(r.expected);
const wrong = (r: PageResult) => r.found.filter((t) => t !== r.expected).length;

async function child(engine: Engine): Promise<void> {
  const items = await ensureCorpus();
  const results = await runEngine(engine, items);
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ results, maxRssMb })}\n`);
}

async function parent(): Promise<void> {
  const t0 = performance.now();
  const items = await ensureCorpus();
  const withCode = items.reduce((n, i) => n + i.expected.filter((e) => e !== null).length, 0);
  const total = items.reduce((n, i) => n + i.expected.length, 0);
  console.log(`corpus: ${items.length} files, ${total} pages (${withCode} with a code), ${CORPUS_DIR}`);
  const runs = new Map<Engine, { results: PageResult[]; maxRssMb: number }>();
  for (const engine of ENGINES) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--engine', engine], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !line.startsWith('{')) throw new Error(`${engine} failed (exit ${run.status})`);
    runs.set(engine, JSON.parse(line));
  }
  const zxing = runs.get('zxing-wasm defaults')?.results ?? [];
  const zxingRead = new Set(zxing.filter(read).map((r) => `${r.label}#${r.page}`));
  const rows = [
    ['engine', 'pages read', 'wrong texts', 'median ms/page', 'p95 ms/page', 'median on pages zxing reads', 'peak RSS'],
  ];
  for (const [engine, { results, maxRssMb }] of runs) {
    const ok = results.filter(read).length;
    const ms = results.map((r) => r.ms);
    const onZxing = results.filter((r) => zxingRead.has(`${r.label}#${r.page}`)).map((r) => r.ms);
    rows.push([
      engine,
      `${ok}/${withCode} (${((100 * ok) / withCode).toFixed(1)}%)`,
      String(results.reduce((n, r) => n + wrong(r), 0)),
      quantile(ms, 0.5).toFixed(0),
      quantile(ms, 0.95).toFixed(0),
      quantile(onZxing, 0.5).toFixed(0),
      `${maxRssMb} MB`,
    ]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  console.log('');
  for (const [i, row] of rows.entries()) {
    console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
  console.log('\npages not read (by engine):');
  for (const [engine, { results }] of runs) {
    const missed = results
      .filter((r) => r.expected !== null && !read(r))
      .map((r) => `${r.label}${r.page > 1 ? ` p${r.page}` : ''}`);
    console.log(`- ${engine} (${missed.length}): ${missed.join(', ') || 'none'}`);
  }
  // READER_BENCH_VERBOSE=1 npm run bench -- reader: every page's time by engine (* = not read).
  if (process.env.READER_BENCH_VERBOSE) {
    console.log('\nms per page (* = not read):');
    const names = [...runs.keys()];
    console.log(`page | ${names.join(' | ')}`);
    const first = runs.get(names[0] as Engine)?.results ?? [];
    for (const [i, r] of first.entries()) {
      const cells = names.map((name) => {
        const other = runs.get(name)?.results[i];
        return other ? `${other.ms.toFixed(0)}${other.expected !== null && !read(other) ? '*' : ''}` : '-';
      });
      console.log(`${r.label}${r.page > 1 ? ` p${r.page}` : ''} | ${cells.join(' | ')}`);
    }
  }
  console.log(`\nreader bench: ${Math.round((performance.now() - t0) / 1000)} s`);
}

const engineArg = process.argv.indexOf('--engine');
if (engineArg > 0) await child(process.argv[engineArg + 1] as Engine);
else await parent();

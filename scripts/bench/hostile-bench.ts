/**
 * `npm run --silent bench -- hostile`: peak memory of the CLI on hostile files (issue 9
 * item 2: 8.3 million `AL1:x` lines once took the CLI to 4.4 GB and a V8 out-of-heap crash;
 * a 1 MB PDF whose content stream inflates to 1 GiB, 6.6 GB; a huge MediaBox 1.1 GB; a
 * 39.9 MP blank PNG 0.7 GB). The files are generated here, in a temporary folder, and removed
 * afterwards; nothing is committed. Each file is checked by the real `yanzhen` launcher in a
 * process of its own, so its peak RSS is its own. Prints figures; asserts nothing.
 *
 * Then the same binary files through the extension (the real demo build in headless
 * Chromium, each file by the side panel's manual check, as the service worker hands it to
 * the offscreen document): the verdict or error each ends with, and the extension
 * renderer's peak resident memory meanwhile (the offscreen document with its reader and
 * pdf.js workers lives in that process; /proc, Linux only). Between files the reader pool is
 * left idle until it recycles its workers, so each peak is that file's own.
 * `YANZHEN_BENCH_EXTENSION=<folder> YANZHEN_BENCH_REGISTRY_PORT=<port>` reuses a build;
 * `YANZHEN_HOSTILE_CLI_ONLY=1` skips the browser.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchWithExtension, setSettings, tabDocuments } from '../../tests/browser/support/browser.ts';
import { sendManualCheck } from '../../tests/browser/support/manual-check.ts';
import { watchRendererMemory } from '../../tests/browser/support/renderer-memory.ts';
import { blankPng, contentBombPdf, hugeMediaBoxPdf, imageBombPdf } from '../../tests/fixtures/hostile/make-hostile.ts';
import { MAX_CODES_PER_FILE, MAX_INPUT_BYTES } from '../cli/check-document.ts';
import { startDemoServers } from '../demo/servers.ts';

const MIB = 1024 * 1024;
const BIN = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));

/** Written to a file when the CLI process exits: its peak resident set, in KiB. */
const PEAK_RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs';" +
    "process.on('exit', () => writeFileSync(process.env.YANZHEN_BENCH_PEAK, String(process.resourceUsage().maxRSS)));",
)}`;

interface HostileFile {
  name: string;
  what: string;
  /** Writes the file in pieces, so the bench itself never holds it whole (text files). */
  pieces?: () => Iterable<string>;
  /** The whole file (binary files, small on disk by design). */
  bytes?: () => Uint8Array;
}

function* repeat(text: string, times: number, batch = 10_000): Iterable<string> {
  const block = text.repeat(batch);
  for (let done = 0; done < times; done += batch) yield times - done >= batch ? block : text.repeat(times - done);
}

const FILES: HostileFile[] = [
  {
    name: 'content-bomb-1gib.pdf',
    what: 'a 1 MB PDF whose content stream inflates to 1 GiB',
    bytes: () => contentBombPdf(1024 * MIB),
  },
  {
    name: 'huge-mediabox.pdf',
    what: 'a 200 x 200 inch page (the PDF maximum) to render',
    bytes: () => hugeMediaBoxPdf(),
  },
  { name: 'image-bomb.pdf', what: 'an embedded 60,000 x 60,000 image of zeros', bytes: () => imageBombPdf(60_000) },
  { name: 'blank-39.9mp.png', what: 'a blank PNG just under the 40 MP limit', bytes: () => blankPng(7300, 5466) },
  {
    name: 'flood-8.3m.txt',
    what: `8.3 million "AL1:x" lines (the red team's file), over the ${MAX_CODES_PER_FILE}-code cap`,
    pieces: () => repeat('AL1:x\n', 8_300_000),
  },
  {
    name: 'at-cap.txt',
    what: `exactly ${MAX_CODES_PER_FILE} "AL1:x" lines: every one verified (MALFORMED)`,
    pieces: () => repeat('AL1:x\n', MAX_CODES_PER_FILE),
  },
  {
    name: 'one-line-50mib.txt',
    what: '50 MiB on one line starting with AL1: (no line break)',
    pieces: function* () {
      yield 'AL1:';
      yield* repeat('a'.repeat(1024), 50 * 1024, 1024);
    },
  },
  {
    name: 'notes-199mib.txt',
    what: 'just under the 200 MiB input limit of note lines, no code',
    pieces: () => repeat(`${'备注：这一行不是验证码。'.repeat(3)}\n`, Math.floor((MAX_INPUT_BYTES - MIB) / 109)),
  },
];

async function writePieces(path: string, pieces: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const piece of pieces) {
    if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

/** How long the offscreen reader pool waits idle before recycling its workers (reader-slots.ts), plus a margin. */
const POOL_RECYCLE_WAIT_MS = 17_000;

function buildExtension(registryUrl: string, outDir: string): string {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const run = spawnSync(process.execPath, [join(root, 'node_modules/wxt/bin/wxt.mjs'), 'build', '--mode', 'demo'], {
    cwd: root,
    env: { ...process.env, YANZHEN_OUT_DIR: outDir, YANZHEN_DEMO_REGISTRY_URL: registryUrl },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`wxt build --mode demo failed\n${run.stdout}\n${run.stderr}`);
  return join(outDir, 'chrome-mv3-demo');
}

/** Each binary hostile file by manual check in the real build: its end and the renderer's peak memory. */
async function benchExtension(files: HostileFile[], dir: string): Promise<void> {
  const reuse = process.env.YANZHEN_BENCH_EXTENSION;
  const servers = await startDemoServers({
    portalPort: 0,
    registryPort: reuse ? Number(process.env.YANZHEN_BENCH_REGISTRY_PORT ?? '0') : 0,
  });
  const extensionDir =
    reuse && existsSync(join(reuse, 'manifest.json')) ? reuse : buildExtension(servers.registryUrl, join(dir, 'build'));
  const ext = await launchWithExtension(extensionDir);
  try {
    await setSettings(ext, { registryUrl: servers.registryUrl, locale: 'en' });
    const panel = await ext.context.newPage();
    await panel.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
    console.log(`\nExtension (demo build in headless Chromium, manual check; load ${loadavg()[0]?.toFixed(1)}):`);
    console.log('| file | size | ends with | renderer before | renderer peak | time |');
    console.log('|---|---|---|---|---|---|');
    for (const file of files) {
      if (!file.bytes) continue;
      const bytes = file.bytes();
      await new Promise((r) => setTimeout(r, POOL_RECYCLE_WAIT_MS));
      const memory = watchRendererMemory();
      const started = performance.now();
      const docId = await sendManualCheck(panel, file.name, bytes);
      let end = 'no end within 5 min';
      while (performance.now() - started < 300_000) {
        const doc = (await tabDocuments(ext, -1))?.documents.find((d) => d.id === docId);
        if (doc?.state === 'done') {
          end = doc.error ? `${doc.verdict} (${doc.error.key})` : `${doc.verdict}, ${doc.codes.length} codes`;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const ms = performance.now() - started;
      const { start, peak } = memory.stop();
      console.log(
        `| ${file.name} | ${(bytes.length / MIB).toFixed(1)} MiB | ${end} | ${start.toFixed(0)} MiB | ${peak.toFixed(0)} MiB (+${(peak - start).toFixed(0)}) | ${(ms / 1000).toFixed(1)} s |`,
      );
    }
  } finally {
    await ext.close();
    await servers.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'yanzhen-hostile-'));
try {
  console.log('CLI (`yanzhen verify --demo --offline --quiet --jsonl <file>`) on hostile files:');
  console.log('| file | size | what | peak RSS | time | result |');
  console.log('|---|---|---|---|---|---|');
  for (const file of FILES) {
    const path = join(dir, file.name);
    if (file.bytes) await writeFile(path, file.bytes());
    else if (file.pieces) await writePieces(path, file.pieces());
    const size = (await stat(path)).size;
    const peakFile = join(dir, 'peak');
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      ['--import', PEAK_RSS_HOOK, BIN, 'verify', '--demo', '--offline', '--quiet', '--jsonl', path],
      {
        // A cache of its own per file: `--demo` re-signs its registry each run, and two runs
        // within one of its versions look like two registries of the same version (refused).
        env: { ...process.env, XDG_CACHE_HOME: join(dir, `cache-${file.name}`), YANZHEN_BENCH_PEAK: peakFile },
        encoding: 'utf8',
        maxBuffer: 64 * MIB,
      },
    );
    const ms = performance.now() - started;
    const peakKib = Number(await readFile(peakFile, 'utf8').catch(() => 'NaN'));
    const [first] = run.stdout.split('\n');
    let result = `exit ${run.status}`;
    try {
      const doc = JSON.parse(first ?? '') as { verdict: string; error: string | null; codes: unknown[] };
      result += `, ${doc.verdict}${doc.error ? ` (${doc.error})` : ''}, ${doc.codes.length} codes`;
    } catch {
      result += `, no report: ${run.stderr.trim().split('\n').at(-1) ?? ''}`;
    }
    console.log(
      `| ${file.name} | ${(size / MIB).toFixed(1)} MiB | ${file.what} | ${(peakKib / 1024).toFixed(0)} MiB | ${(ms / 1000).toFixed(1)} s | ${result} |`,
    );
    await rm(path, { force: true });
  }
  if (process.env.YANZHEN_HOSTILE_CLI_ONLY !== '1') await benchExtension(FILES, dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}

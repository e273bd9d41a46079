/**
 * `npm run --silent bench -- hostile`: peak memory of the CLI on hostile files (issue 9
 * item 2: 8.3 million `AL1:x` lines once took the CLI to 4.4 GB and a V8 out-of-heap crash;
 * a 1 MB PDF whose content stream inflates to 1 GiB, 6.6 GB; a huge MediaBox 1.1 GB; a
 * 39.9 MP blank PNG 0.7 GB). The files are generated here, in a temporary folder, and removed
 * afterwards; nothing is committed. Each file is checked by the real `yanzhen` launcher in a
 * process of its own, so its peak RSS is its own. Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blankPng, contentBombPdf, hugeMediaBoxPdf, imageBombPdf } from '../../tests/fixtures/hostile/make-hostile.ts';
import { MAX_CODES_PER_FILE, MAX_INPUT_BYTES } from '../cli/check-document.ts';

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
        env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), YANZHEN_BENCH_PEAK: peakFile },
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
} finally {
  await rm(dir, { recursive: true, force: true });
}

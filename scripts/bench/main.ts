// `npm run bench`: runs each benchmark in its own process (fresh heap, honest peak memory)
// and lets each print its own figures. Benchmarks print numbers; they never assert timings.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCHES = [
  'verify-bench.ts',
  'reader-bench.ts',
  'corpus-independent/bench.ts',
  'extension-bench.ts',
  'fuzz-bench.ts',
  'hostile-bench.ts',
];
const only = process.argv.slice(2);
let failed = false;
for (const file of BENCHES) {
  if (only.length > 0 && !only.some((name) => file.startsWith(name))) continue;
  const path = fileURLToPath(new URL(file, import.meta.url));
  if (!existsSync(path)) {
    console.log(`\n## ${file}: not present in this build`);
    continue;
  }
  console.log(`\n## ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;

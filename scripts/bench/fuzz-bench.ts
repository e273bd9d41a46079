// `npm run bench -- fuzz`: every fuzz target for a fixed time budget (FUZZ_SECONDS each,
// default 30; FUZZ_SEED to vary the inputs). Prints runs per second and every broken rule;
// each failing input is saved under tests/fixtures/fuzz-crashes/<target>/, where the unit
// test replays it from then on — fix the reader or the core, then commit the fixture.
import { runFuzz, saveFinding } from '../../tests/fuzz/run-fuzz.ts';
import { fuzzTargets } from '../../tests/fuzz/targets.ts';

const seconds = Number(process.env.FUZZ_SECONDS ?? 30);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000_007);
const targets = await fuzzTargets();
console.log(`fuzz: ${seconds} s a target, seed ${seed}`);
console.log('| target | runs | runs/s | broken rules | peak RSS MB |');
console.log('|---|---|---|---|---|');
let broken = 0;
for (const target of targets) {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const result = await runFuzz(target, {
    runs: Number.POSITIVE_INFINITY,
    seed,
    until: () => performance.now() > deadline,
  });
  const elapsed = (performance.now() - start) / 1000;
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `| ${target.name} | ${result.runs} | ${Math.round(result.runs / elapsed)} | ${result.findings.length} | ${rss} |`,
  );
  for (const finding of result.findings) {
    broken++;
    console.log(`  ${finding.problem}\n    saved: ${saveFinding(target.name, finding)}`);
  }
}
process.exitCode = broken > 0 ? 1 : 0;

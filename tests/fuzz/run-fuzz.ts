/**
 * Runs a fuzz target: mutates its seeds with a seeded PRNG for a number of runs or until a
 * deadline, and collects every input that broke the target's rules. The caller decides what
 * a budget is: the unit test gives a fixed count (tests never time), the benchmark seconds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mutate, prng } from './mutate.ts';
import type { FuzzTarget } from './targets.ts';

export interface FuzzFinding {
  input: Uint8Array;
  problem: string;
}

export interface FuzzRun {
  runs: number;
  findings: FuzzFinding[];
}

export async function runFuzz(
  target: FuzzTarget,
  budget: { runs: number; seed: number; until?: () => boolean },
): Promise<FuzzRun> {
  const random = prng(budget.seed);
  const findings: FuzzFinding[] = [];
  let runs = 0;
  for (; runs < budget.runs && !(budget.until?.() ?? false); runs++) {
    const seed = target.seeds[Math.floor(random() * target.seeds.length)] as Uint8Array;
    const other = target.seeds[Math.floor(random() * target.seeds.length)];
    const input = mutate(seed, random, other);
    const outcome = await target.run(input);
    if (!outcome.ok) findings.push({ input, problem: outcome.problem });
  }
  return { runs, findings };
}

/** Where crashes are kept, one folder per target; each file is replayed by the unit test. */
export const CRASH_DIR = join(import.meta.dirname, '../fixtures/fuzz-crashes');

export function saveFinding(target: string, finding: FuzzFinding): string {
  const dir = join(CRASH_DIR, target);
  mkdirSync(dir, { recursive: true });
  const name = `${createHash('sha256').update(finding.input).digest('hex').slice(0, 16)}.bin`;
  writeFileSync(join(dir, name), finding.input);
  return join(dir, name);
}

export function savedCrashes(target: string): { name: string; input: Uint8Array }[] {
  const dir = join(CRASH_DIR, target);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .sort()
    .map((name) => ({ name, input: new Uint8Array(readFileSync(join(dir, name))) }));
}

import { beforeAll, describe, expect, it } from 'vitest';
import { runFuzz, savedCrashes } from '../../fuzz/run-fuzz.ts';
import { type FuzzTarget, fuzzTargets } from '../../fuzz/targets.ts';

/** Runs per target: a short, fixed budget here; `npm run bench -- fuzz` runs for minutes. */
const RUNS: Record<string, number> = { token: 300, registry: 200, 'status-list': 200, image: 60, pdf: 25 };

let targets: FuzzTarget[];
beforeAll(async () => {
  targets = await fuzzTargets();
}, 120_000);

describe('fuzz targets (every parser fed untrusted bytes)', () => {
  it('has a target for the token, the registry, status lists, images and PDFs', () => {
    expect(targets.map((t) => t.name)).toEqual(['token', 'registry', 'status-list', 'image', 'pdf']);
  });

  it.each(Object.keys(RUNS))('accepts every genuine %s seed', async (name) => {
    const target = targets.find((t) => t.name === name) as FuzzTarget;
    for (const seed of target.seeds) expect(await target.run(seed)).toEqual({ ok: true });
  });

  it.each(Object.entries(RUNS))(
    'breaks no rule on %s inputs mutated from a fixed seed (%i runs)',
    async (name, runs) => {
      const target = targets.find((t) => t.name === name) as FuzzTarget;
      const result = await runFuzz(target, { runs, seed: 20261201 });
      expect(result.runs).toBe(runs);
      expect(result.findings.map((f) => f.problem)).toEqual([]);
    },
    120_000,
  );

  it.each(Object.keys(RUNS))('replays every saved %s crash without breaking a rule', async (name) => {
    const target = targets.find((t) => t.name === name) as FuzzTarget;
    for (const crash of savedCrashes(name)) {
      expect({ crash: crash.name, outcome: await target.run(crash.input) }).toEqual({
        crash: crash.name,
        outcome: { ok: true },
      });
    }
  });

  it('flags a target that breaks its rule (the harness itself can fail)', async () => {
    const broken: FuzzTarget = {
      name: 'broken',
      seeds: [new Uint8Array([1, 2, 3])],
      run: async (input) => (input.length > 2 ? { ok: true } : { ok: false, problem: 'short' }),
    };
    const result = await runFuzz(broken, { runs: 200, seed: 7 });
    expect(result.findings.length).toBeGreaterThan(0);
  });
});

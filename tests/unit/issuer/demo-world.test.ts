/**
 * The demo world, checked by the core as the demo extension would (its region, its
 * registry server's files): every case gets the verdict it is there to show, and the SM2
 * county's letter and status list verify like the ES256 ones.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_REGION } from '../../../scripts/demo/demo-config.ts';
import { demoPublicJwk, demoRootJwksText } from '../../../scripts/demo/demo-keys.ts';
import { buildDemoWorld } from '../../../scripts/demo/demo-world.ts';
import { memoryStore } from '../../../utils/verify/ports.ts';
import { loadRegistry } from '../../../utils/verify/registry.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';
import { at, NOW } from '../../support/fixtures.ts';

const ORIGIN = 'http://127.0.0.1:47311';

describe('demo world', () => {
  it('gives every demo letter its expected verdict, with Xichuan signing in SM2', async () => {
    const world = await buildDemoWorld(ORIGIN, NOW);
    const store = memoryStore();
    const load = await loadRegistry(world.registryJws, demoRootJwksText(), { currentDate: at(NOW), store });
    if (!load.ok) throw new Error(`${load.problem}: ${load.detail}`);
    const fetcher = async (url: string) => {
      const body = url.startsWith(ORIGIN) ? world.files.get(url.slice(ORIGIN.length)) : undefined;
      return body
        ? { ok: true as const, body: new TextEncoder().encode(body) }
        : { ok: false as const, failure: 'NETWORK' as const };
    };
    const options = { currentDate: at(NOW), registry: load.registry, store, fetcher, localRegion: DEMO_REGION };
    expect(demoPublicJwk('xichuan')).toMatchObject({ kty: 'EC', crv: 'SM2', alg: 'SM2' });
    for (const letter of world.letters) {
      if (!letter.text) continue;
      const verdict = await verifyLetter(letter.text, options);
      expect([letter.case, verdict.verdict, verdict.reasons]).toEqual([
        letter.case,
        letter.expected.verdict,
        letter.expected.reasons,
      ]);
      if (letter.case === 'other-county') {
        expect(verdict.alg).toBe('SM2');
        expect(verdict.facts.status.state).toBe('valid'); // its SM2-signed status list verified
      }
    }
  });
});

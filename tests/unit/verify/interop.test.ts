import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../utils/verify/ports.ts';
import { loadRegistry } from '../../../utils/verify/registry.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';

/** Made by tests/fixtures/interop/make-interop.sh with the openssl CLI only. */
const dir = new URL('../../fixtures/interop/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const rootJwks = JSON.parse(read('root-jwks.json'));
const registryJws = read('registry.jws').trim();
const letters = read('letters.txt').trim().split('\n');
const checkedAt = new Date(Date.UTC(2026, 0, 15));

describe('interop with an independent JOSE implementation (openssl CLI)', () => {
  it('verifies the registry signed by openssl with Ed25519', async () => {
    const load = await loadRegistry(registryJws, rootJwks, { currentDate: checkedAt, store: memoryStore() });
    expect(load).toMatchObject({ ok: true, registry: { iss: 'cn-hsa-interop-root', version: 1 } });
  });

  it('computes the same RFC 7638 thumbprints as the script', async () => {
    const load = await loadRegistry(registryJws, rootJwks, { currentDate: checkedAt, store: memoryStore() });
    if (!load.ok) throw new Error(load.detail);
    const keys = [...rootJwks.keys, ...(load.registry.payload.issuers[0]?.jwks ?? [])];
    expect(keys).toHaveLength(3);
    for (const { kid, ...jwk } of keys) expect(await calculateJwkThumbprint(jwk)).toBe(kid);
  });

  it('has the ES256, EdDSA and ES256 + zip DEF letters', () => {
    expect(letters).toHaveLength(3);
  });

  it.each(letters.map((text, i) => [i + 1, text] as const))('verifies letter %i as valid', async (_, text) => {
    const store = memoryStore();
    const load = await loadRegistry(registryJws, rootJwks, { currentDate: checkedAt, store });
    if (!load.ok) throw new Error(load.detail);
    const verdict = await verifyLetter(text, { currentDate: checkedAt, registry: load.registry, store, fetcher: null });
    expect(verdict.reasons).toEqual([]);
    expect(verdict.verdict).toBe('valid');
    expect(verdict.letter?.jti).toMatch(/^INTEROP-/);
  });

  it.each(letters.map((text, i) => [i + 1, text] as const))('rejects letter %i after its expiry', async (_, text) => {
    const later = new Date(Date.UTC(2026, 5, 1));
    const store = memoryStore();
    const load = await loadRegistry(registryJws, rootJwks, { currentDate: later, store });
    if (!load.ok) throw new Error(load.detail);
    const verdict = await verifyLetter(text, { currentDate: later, registry: load.registry, store, fetcher: null });
    expect(verdict.reasons).toEqual(['EXPIRED']);
  });
});

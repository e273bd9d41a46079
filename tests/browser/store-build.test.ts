/**
 * The store build (`wxt build`, what `npm run zip` packs) trusts no demo key: the demo root's
 * public key, the other demo keys and the demo registry address appear nowhere in its
 * files, and it asks for no host access by default. The demo build (built once for this
 * run by the globalSetup) is the control: the same search finds the demo root key there.
 *
 * The globalSetup makes the store build too, in the background while the unit files run
 * (support/global-setup.ts), with `YANZHEN_DEMO_REGISTRY_URL` emptied as `npm run zip` has it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_REGISTRY_URL } from '../../scripts/demo/demo-config.ts';
import { type DemoKeyName, demoPublicJwk } from '../../scripts/demo/demo-keys.ts';
import { TEST_FAULT_STORAGE_KEY } from '../../utils/extension/test-fault-point.ts';
import { waitForBuild } from './support/build-status.ts';

let storeDir: string;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The files of a build folder that contain `needle` (searched as bytes, so wasm and fonts count too). */
function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return filesUnder(dir).filter((file) => readFileSync(file).includes(bytes));
}

beforeAll(async () => {
  const statusFile = inject('storeBuildStatusFile');
  if (!statusFile) throw new Error('the globalSetup started no store build for this run');
  await waitForBuild('wxt build', statusFile);
  storeDir = inject('storeBuildDir');
  // The search below would pass on an empty folder: make sure the build is there.
  expect(filesUnder(storeDir).some((f) => f.endsWith('manifest.json'))).toBe(true);
}, 600_000);

const KEYS: DemoKeyName[] = ['demo-root', 'dengzhou', 'xichuan', 'fake-payment'];

describe('the store build', () => {
  it.each(KEYS)("contains no trace of the %s demo key's x coordinate", (name) => {
    expect(filesContaining(storeDir, demoPublicJwk(name).x)).toEqual([]);
  });

  it('does not name the demo registry', () => {
    expect(filesContaining(storeDir, DEMO_REGISTRY_URL)).toEqual([]);
    expect(filesContaining(storeDir, new URL(DEMO_REGISTRY_URL).host)).toEqual([]);
  });

  it('asks for no host access by default, only optional per-site access', () => {
    const manifest = JSON.parse(readFileSync(join(storeDir, 'manifest.json'), 'utf8'));
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(manifest.optional_host_permissions).toEqual(['*://*/*']);
    expect(manifest.externally_connectable).toBeUndefined();
  });

  it("has no trace of the fault tests' hook, which the tests' demo build has", () => {
    expect(filesContaining(storeDir, TEST_FAULT_STORAGE_KEY)).toEqual([]);
    expect(filesContaining(storeDir, 'yanzhenHeld')).toEqual([]);
    expect(filesContaining(inject('demoExtensionDir'), TEST_FAULT_STORAGE_KEY).length).toBeGreaterThan(0);
  });

  it('differs from the demo build, where the same search finds the demo root key', () => {
    expect(filesContaining(inject('demoExtensionDir'), demoPublicJwk('demo-root').x).length).toBeGreaterThan(0);
  });
});

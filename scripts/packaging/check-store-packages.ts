// Runs after `wxt zip` in `npm run zip`: the store packages must trust no demo key and reach no
// demo server. Looks for every demo key's `x` coordinate and `kid`, and the demo ports, in
// every file of the Chrome and Firefox zips (not the sources zip, which carries the demo
// scripts by design so reviewers can rebuild).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { DEMO_PORTAL_PORT, DEMO_REGISTRY_PORT } from '../demo/demo-config.ts';
import { type DemoKeyName, demoPrivateJwk } from '../demo/demo-keys.ts';

const DEMO_KEYS: DemoKeyName[] = ['demo-root', 'dengzhou', 'xichuan', 'fake-payment'];

/** What must never appear in a store package. */
export function demoMarkers(): string[] {
  const keys = DEMO_KEYS.flatMap((name) => {
    const jwk = demoPrivateJwk(name);
    return [jwk.x, jwk.d, jwk.kid];
  });
  return [...keys, `127.0.0.1:${DEMO_REGISTRY_PORT}`, `127.0.0.1:${DEMO_PORTAL_PORT}`];
}

/** The files of a zip that contain one of the markers, with the marker found. */
export function findDemoTraces(zip: Uint8Array, markers: string[] = demoMarkers()): string[] {
  const found: string[] = [];
  for (const [path, bytes] of Object.entries(unzipSync(zip))) {
    const text = Buffer.from(bytes).toString('latin1');
    for (const marker of markers) if (text.includes(marker)) found.push(`${path}: ${marker.slice(0, 12)}…`);
  }
  return found;
}

function main() {
  const dir = resolve(fileURLToPath(new URL('../../', import.meta.url)), process.env.YANZHEN_OUT_DIR || '.output');
  const zips = readdirSync(dir).filter((f) => f.endsWith('.zip') && !f.endsWith('-sources.zip'));
  if (zips.length === 0) {
    console.error(`no store package in ${dir}: run wxt zip first`);
    process.exitCode = 1;
    return;
  }
  let bad = false;
  for (const zip of zips) {
    const traces = findDemoTraces(readFileSync(join(dir, zip)));
    console.log(`${zip}: ${traces.length === 0 ? 'no demo key or demo server address' : 'DEMO TRACES FOUND'}`);
    for (const t of traces) console.log(`  ${t}`);
    bad ||= traces.length > 0;
  }
  process.exitCode = bad ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

// Builds the demo extension for a registry URL (the demo registry server's actual port).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEMO_OUTPUT = `${ROOT}.output/chrome-mv3-demo`;

export function buildDemoExtension(registryUrl: string): void {
  const run = spawnSync(process.execPath, [`${ROOT}node_modules/wxt/bin/wxt.mjs`, 'build', '--mode', 'demo'], {
    cwd: ROOT,
    env: { ...process.env, YANZHEN_DEMO_REGISTRY_URL: registryUrl },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`build:demo failed\n${run.stdout}\n${run.stderr}`);
}

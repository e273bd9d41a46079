/**
 * Vitest globalSetup of the browser project: builds the demo extension ONCE for the whole
 * run, into its own temporary folder (others may be building `.output/` in this checkout
 * at the same time). The registry URL baked into the build points at a port that was free
 * a moment ago; each test file starts its demo servers there (see support/portal.ts), so
 * the extension works with no clicks, as `npm start` does.
 *
 * `YANZHEN_TEST_EXTENSION=<folder>` reuses a build already made (iterating on tests), with
 * `YANZHEN_TEST_REGISTRY_PORT` naming the port it was built for.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { testSigningKey } from '../../../scripts/packaging/crx-key.ts';
import { ROOT } from './build-demo.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The unpacked demo extension built for this run. */
    demoExtensionDir: string;
    /** The registry port that build trusts (`http://127.0.0.1:<port>/registry.jws`). */
    demoRegistryPort: number;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => void> {
  const reuse = process.env.YANZHEN_TEST_EXTENSION;
  if (reuse && existsSync(join(reuse, 'manifest.json'))) {
    project.provide('demoExtensionDir', reuse);
    project.provide('demoRegistryPort', Number(process.env.YANZHEN_TEST_REGISTRY_PORT ?? '47311'));
    return () => undefined;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'yanzhen-browser-build-'));
  const registryPort = await freePort();
  const run = spawnSync(process.execPath, [`${ROOT}node_modules/wxt/bin/wxt.mjs`, 'build', '--mode', 'demo'], {
    cwd: ROOT,
    env: {
      ...process.env,
      YANZHEN_OUT_DIR: outDir,
      YANZHEN_DEMO_REGISTRY_URL: `http://127.0.0.1:${registryPort}/registry.jws`,
      // The test key's public half as the manifest `key`: a fixed extension id, so a test
      // can write Chromium policy for it before the browser starts (managed-policy.test.ts).
      YANZHEN_MANIFEST_KEY: testSigningKey().manifestKey,
    },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`build:demo failed\n${run.stdout}\n${run.stderr}`);
  project.provide('demoExtensionDir', join(outDir, 'chrome-mv3-demo'));
  project.provide('demoRegistryPort', registryPort);
  return () => rmSync(outDir, { recursive: true, force: true });
}

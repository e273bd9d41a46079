/**
 * Vitest globalSetup of the browser project: builds the demo extension ONCE for the whole
 * run, into its own temporary folder (others may be building `.output/` in this checkout
 * at the same time). The registry URL baked into the build points at a port that was free
 * a moment ago; each test file starts its demo servers there (see support/portal.ts), so
 * the extension works with no clicks, as `npm start` does. When the run includes
 * firefox-portal.test.ts (and a Firefox is installed), the Firefox demo package follows it,
 * built for the same registry port; when it includes store-build.test.ts, the store build
 * (`wxt build`) comes last, for that file.
 *
 * The builds run in the background: Vitest runs every globalSetup before the first test of
 * any project and the browser files after all unit files, so builds awaited here kept the
 * unit tests waiting for folders they never read. Each browser file waits for the demo
 * build in the project's setup file (support/demo-build-ready.ts), firefox-portal.test.ts
 * and store-build.test.ts for their own; a failed build fails them with the build's own
 * output (support/build-status.ts). The Firefox package was built inside its test file,
 * ~20 s of one core with every other browser file waiting behind it.
 *
 * `YANZHEN_TEST_EXTENSION=<folder>` reuses a build already made (iterating on tests), with
 * `YANZHEN_TEST_REGISTRY_PORT` naming the port it was built for.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { describeKey } from '../../../scripts/packaging/crx-key.ts';
import { ROOT } from './build-demo.ts';
import type { BuildStatus } from './build-status.ts';
import { FIREFOX_DEMO_FOLDER, firefoxPath } from './firefox.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The unpacked demo extension built for this run (complete once demo-build-ready.ts returns). */
    demoExtensionDir: string;
    /** The registry port that build trusts (`http://127.0.0.1:<port>/registry.jws`). */
    demoRegistryPort: number;
    /** Where the demo build writes how it ended (support/build-status.ts); '' for a reused build. */
    demoBuildStatusFile: string;
    /**
     * The Firefox demo package (`wxt build -b firefox --mode demo`, trusting `demoRegistryPort`),
     * and its status file; '' when the run has no firefox-portal.test.ts, no Firefox, or reuses a build.
     */
    firefoxDemoDir: string;
    firefoxDemoStatusFile: string;
    /** The unpacked store build (`wxt build`), and its status file; '' when the run has no store-build.test.ts. */
    storeBuildDir: string;
    storeBuildStatusFile: string;
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

interface Build {
  /** Resolves once the build has ended and its status file is written (never rejects). */
  ended: Promise<void>;
  /** Ends the build early (a run stopped before anyone waited for it). */
  stop(): void;
}

/** Runs `wxt <args>` with `env` added; writes a BuildStatus to `statusFile` when it ends. */
function build(args: string[], env: Record<string, string>, statusFile: string): Build {
  const child = spawn(process.execPath, [`${ROOT}node_modules/wxt/bin/wxt.mjs`, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const ended = new Promise<BuildStatus>((resolve) => {
    child.once('error', (error) => resolve({ ok: false, output: `${output}\n${error}` }));
    child.once('close', (code, signal) =>
      resolve(code === 0 ? { ok: true, output: '' } : { ok: false, output: `exit ${code ?? signal}\n${output}` }),
    );
  }).then((status) => writeFileSync(statusFile, JSON.stringify(status)));
  return { ended, stop: () => child.kill() };
}

/** A fresh key's manifest form (base64 SPKI): this run's extension id, shared with no other run. */
function runManifestKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return describeKey(privateKey, '(this test run)', true).manifestKey;
}

/** True unless the run's files are known and `file` is not among them. */
function runIncludes(project: TestProject, file: string): boolean {
  const paths = project.vitest.state.getPaths();
  return paths.length === 0 || paths.some((p) => p.endsWith(`/${file}`));
}

/**
 * Runs `next` once `before` has ended (a build after another: two at once on two cores only
 * slowed the first, and the unit files beside them); its status file says "run stopped" if
 * the run was stopped before it began.
 */
function after(before: Promise<void>, statusFile: string, next: () => Build): Build {
  let stopped = false;
  let started: Build | null = null;
  const ended = before.then(() => {
    if (stopped) return writeFileSync(statusFile, JSON.stringify({ ok: false, output: 'run stopped' }));
    started = next();
    return started.ended;
  });
  return {
    ended,
    stop: () => {
      stopped = true;
      (started as Build | null)?.stop();
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reuse = process.env.YANZHEN_TEST_EXTENSION;
  const outDir = mkdtempSync(join(tmpdir(), 'yanzhen-browser-build-'));
  const builds: Build[] = [];
  let demoReady: Promise<void> = Promise.resolve();
  let registryPort = 0;
  if (reuse && existsSync(join(reuse, 'manifest.json'))) {
    project.provide('demoExtensionDir', reuse);
    project.provide('demoRegistryPort', Number(process.env.YANZHEN_TEST_REGISTRY_PORT ?? '47311'));
    project.provide('demoBuildStatusFile', '');
  } else {
    registryPort = await freePort();
    const statusFile = join(outDir, 'demo-build-status.json');
    project.provide('demoExtensionDir', join(outDir, 'chrome-mv3-demo'));
    project.provide('demoRegistryPort', registryPort);
    project.provide('demoBuildStatusFile', statusFile);
    const demo = build(
      ['build', '--mode', 'demo'],
      {
        YANZHEN_OUT_DIR: outDir,
        YANZHEN_DEMO_REGISTRY_URL: `http://127.0.0.1:${registryPort}/registry.jws`,
        // A manifest `key` of this run's own: an id known before the browser starts, so a test
        // can write Chromium policy for it (managed-policy.test.ts), and one no other run shares.
        // The policy folder is the machine's: with one id for every run (the repository's test
        // key), another run's policy file reached this run's browsers mid-test and changed their
        // settings, or force-installed another package under its id (issue 7's lost clicks).
        YANZHEN_MANIFEST_KEY: runManifestKey(),
        // The fault tests' hook (utils/extension/test-fault-point.ts): in this build only, never a store build.
        YANZHEN_TEST_HOOKS: '1',
      },
      statusFile,
    );
    builds.push(demo);
    demoReady = demo.ended;
  }
  // Each build after the one before it; the Firefox package before the store build, which
  // only the small store-build.test.ts reads.
  let lastBuild = demoReady;
  if (registryPort !== 0 && firefoxPath() && runIncludes(project, 'firefox-portal.test.ts')) {
    const firefoxOut = join(outDir, 'firefox');
    const statusFile = join(outDir, 'firefox-build-status.json');
    project.provide('firefoxDemoDir', join(firefoxOut, FIREFOX_DEMO_FOLDER));
    project.provide('firefoxDemoStatusFile', statusFile);
    const registryUrl = `http://127.0.0.1:${registryPort}/registry.jws`;
    const firefox = after(lastBuild, statusFile, () =>
      build(
        ['build', '-b', 'firefox', '--mode', 'demo'],
        { YANZHEN_OUT_DIR: firefoxOut, YANZHEN_DEMO_REGISTRY_URL: registryUrl },
        statusFile,
      ),
    );
    builds.push(firefox);
    lastBuild = firefox.ended;
  } else {
    project.provide('firefoxDemoDir', '');
    project.provide('firefoxDemoStatusFile', '');
  }
  if (runIncludes(project, 'store-build.test.ts')) {
    const storeOut = join(outDir, 'store');
    const statusFile = join(outDir, 'store-build-status.json');
    project.provide('storeBuildDir', join(storeOut, 'chrome-mv3'));
    project.provide('storeBuildStatusFile', statusFile);
    builds.push(
      after(lastBuild, statusFile, () =>
        build(['build'], { YANZHEN_OUT_DIR: storeOut, YANZHEN_DEMO_REGISTRY_URL: '' }, statusFile),
      ),
    );
  } else {
    project.provide('storeBuildDir', '');
    project.provide('storeBuildStatusFile', '');
  }
  return async () => {
    // A run that ends before every build was waited for (a filter, Ctrl-C) stops them and
    // waits, so no wxt process is left writing into the folder removed here.
    for (const b of builds) b.stop();
    await Promise.all(builds.map((b) => b.ended));
    rmSync(outDir, { recursive: true, force: true });
  };
}

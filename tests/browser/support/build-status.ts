/**
 * The builds the browser project's globalSetup starts in the background (global-setup.ts)
 * and the wait for one of them. Each build writes its status file beside its folder once it
 * has ended; a failed build fails whoever waits for it with the build's own output.
 */
import { existsSync, readFileSync } from 'node:fs';

/** How a background build ended. */
export interface BuildStatus {
  ok: boolean;
  /** The build's stdout and stderr when it failed. */
  output: string;
}

/** Longer than a cold build on two busy cores; a hung build fails the files, not the CI job's clock. */
const BUILD_WAIT_MS = 10 * 60_000;

/** Waits until the build whose status file is `statusFile` has ended; throws unless it succeeded. */
export async function waitForBuild(what: string, statusFile: string): Promise<void> {
  const deadline = Date.now() + BUILD_WAIT_MS;
  while (!existsSync(statusFile)) {
    if (Date.now() > deadline) throw new Error(`${what} did not end within ${BUILD_WAIT_MS / 60_000} min`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const status = JSON.parse(readFileSync(statusFile, 'utf8')) as BuildStatus;
  if (!status.ok) throw new Error(`${what} failed\n${status.output}`);
}

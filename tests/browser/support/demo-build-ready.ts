/**
 * Setup file of the browser project: waits until the demo extension that the globalSetup
 * builds in the background is complete, before the file's own hooks launch Chromium with
 * it. A failed build fails the file with the build's output, never a browser that
 * silently has no extension.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { waitForBuild } from './build-status.ts';

const statusFile = inject('demoBuildStatusFile');
// '' when the run reuses a build made earlier (YANZHEN_TEST_EXTENSION).
if (statusFile) await waitForBuild('build:demo', statusFile);
const manifest = join(inject('demoExtensionDir'), 'manifest.json');
if (!existsSync(manifest)) throw new Error(`the demo build wrote no ${manifest}`);

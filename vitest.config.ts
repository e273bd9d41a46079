import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    reporters: ['default', './tests/support/closing-line-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 30_000,
          // Vitest's default (cores - 1) is ONE worker on the 2-core CI machine: the unit files
          // ran one after another while the other core idled (the browser files run later, in
          // a group of their own). Every core gets a worker; the main process's share is small.
          maxWorkers: Math.max(2, availableParallelism()),
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          // Builds the demo extension once for every browser test file, in the background
          // while the unit files run; each browser file waits for it in its setup file.
          globalSetup: ['./tests/browser/support/global-setup.ts'],
          setupFiles: ['./tests/browser/support/demo-build-ready.ts'],
          environment: 'node',
          // Real Chromium with the built extension: one file at a time on a 2-core machine.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});

import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints `vitest: N passed, N failed, N skipped` as the very last line.
 * CI reads closing lines of known runners; Vitest's own summary is not one of them,
 * so without this line a run that executed nothing would look like a pass.
 */
export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      // A module that failed to load (syntax error, failing import) has no tests; count it as a failure.
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed += 1;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    failed += unhandledErrors.length;
    // Written after Vitest's own summary, so it stays the closing line.
    process.on('beforeExit', () => {
      process.stdout.write(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    });
  }
}

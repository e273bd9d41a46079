/**
 * A point at which the offscreen document of a test build holds a check for good, so that
 * a fault test can kill or crash the document with that check in it, at the moment it
 * chose (tests/browser/faults.test.ts). A watcher that looked for a file in flight every
 * 50 ms over DevTools missed files read faster than its look, or landed after they were
 * done (the skipped crashes-reader case of 2026-12-01); a held check waits for the watcher.
 *
 * Compiled in only when `__YANZHEN_TEST_HOOKS__` is true (the demo build made by the browser
 * tests' globalSetup); the store build has the flag false and drops this module, which
 * tests/browser/store-build.test.ts checks by searching the store build for
 * {@link TEST_FAULT_STORAGE_KEY}. Pure: the plan's text comes in as an argument.
 */

/** Where a test build's offscreen document reads the plan (its own localStorage, which the tests' extension page writes). */
export const TEST_FAULT_STORAGE_KEY = 'yanzhen.testFaultPlan';

/**
 * Hold the check of a file named in `fileNames` once `page` of its pages are read (0: before
 * any is read); with `failCacheWrites`, every write to the verifier's cache fails as on a
 * full disk (QuotaExceededError), from the document's first check.
 */
export interface TestFaultPlan {
  fileNames: string[];
  page: number;
  failCacheWrites?: true;
}

/**
 * The plan in `text` (JSON), or null when there is none or it is not one: a malformed plan
 * holds nothing, so a test that wrote it wrong sees its kill never come, not a random hold.
 *
 * @example parseTestFaultPlan('{"fileNames":["a.png"],"page":0}') // { fileNames: ['a.png'], page: 0 }
 */
export function parseTestFaultPlan(text: string | null): TestFaultPlan | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { fileNames, page, failCacheWrites } = value as {
    fileNames?: unknown;
    page?: unknown;
    failCacheWrites?: unknown;
  };
  if (!Array.isArray(fileNames) || !fileNames.every((n) => typeof n === 'string')) return null;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 0) return null;
  if (failCacheWrites !== undefined && failCacheWrites !== true) return null;
  return { fileNames: fileNames as string[], page, ...(failCacheWrites ? { failCacheWrites } : {}) };
}

/**
 * Whether the check of `fileName`, with `pagesRead` of its pages read, is to be held now.
 * The plan is read again at each point: the test disarms it (removes it) to let a file's
 * retry through.
 *
 * @example holdsAt({ fileNames: ['a.pdf'], page: 1 }, 'a.pdf', 1) // true
 */
export function holdsAt(plan: TestFaultPlan | null, fileName: string, pagesRead: number): boolean {
  return plan?.fileNames.includes(fileName) === true && pagesRead === plan.page;
}

/**
 * The oldest Chromium the extension supports, and whether this browser is at least that.
 *
 * 109 is the last Chrome and Edge on Windows 7 (clinics keep those machines) and the first
 * with `chrome.offscreen`, where documents are read and verified. The manifest's
 * `minimum_chrome_version` stops installation below it in Chrome and Edge; some Chromium
 * forks (360, QQ, Sogou) install anyway or report their own numbers, so the popup also
 * checks the engine it actually runs on and says plainly when it is too old.
 */

/** Chromium major version the extension needs (manifest `minimum_chrome_version`). */
export const CHROMIUM_FLOOR = 109;

/** Firefox major version (manifest `strict_min_version`): 140 ESR reads data_collection_permissions. */
export const FIREFOX_FLOOR = 140;

/** The parts of `navigator` read here (a parameter, so tests pass real UA strings). */
export interface NavigatorLike {
  userAgent?: string;
  userAgentData?: { brands?: ReadonlyArray<{ brand: string; version: string }> } | null;
}

export type FloorCheck =
  /** Chromium at or above the floor. */
  | { kind: 'ok'; chromium: number }
  /** Chromium below the floor: the popup says so. */
  | { kind: 'too-old'; chromium: number; needed: number }
  /** Not Chromium (Firefox has its own `strict_min_version`) or no version to read. */
  | { kind: 'not-chromium' };

function major(version: string): number | null {
  const n = Number.parseInt(version, 10);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/**
 * The Chromium major version this browser runs on, or null when it is not Chromium.
 *
 * Every number the browser gives is read and the lowest wins: too old a guess only shows
 * a needless notice, too new a guess hides a real one. `userAgentData.brands` (Chromium
 * 90+) names the engine "Chromium"; the user agent's `Chrome/N` token is the fallback (360
 * and Sogou send their core's number there). QQ Browser 12 sends `Chrome/94…` next to
 * `Core/1.94…`, the engine it really runs; `QQBrowser/N` is its own version, not the
 * engine's. Firefox has none of these.
 *
 * @example
 * chromiumMajor({ userAgent: 'Mozilla/5.0 … Chrome/109.0.0.0 Safari/537.36 Edg/109.0.1518.140' }) // 109
 */
export function chromiumMajor(nav: NavigatorLike): number | null {
  const found: number[] = [];
  const brand = nav.userAgentData?.brands?.find((b) => b.brand === 'Chromium');
  const fromBrand = brand ? major(brand.version) : null;
  if (fromBrand !== null) found.push(fromBrand);
  const ua = nav.userAgent ?? '';
  for (const pattern of [/\b(?:Chrome|Chromium)\/(\d+)\./, /\bCore\/1\.(\d+)\./]) {
    const n = major(pattern.exec(ua)?.[1] ?? '');
    if (n !== null) found.push(n);
  }
  return found.length > 0 ? Math.min(...found) : null;
}

/**
 * Whether this browser meets the floor.
 *
 * @example
 * checkBrowserFloor(navigator) // { kind: 'too-old', chromium: 108, needed: 109 } on 360 Secure Browser 14
 */
export function checkBrowserFloor(nav: NavigatorLike = globalThis.navigator, floor = CHROMIUM_FLOOR): FloorCheck {
  const chromium = chromiumMajor(nav ?? {});
  if (chromium === null) return { kind: 'not-chromium' };
  return chromium >= floor ? { kind: 'ok', chromium } : { kind: 'too-old', chromium, needed: floor };
}

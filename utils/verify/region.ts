/**
 * Administrative division codes (GB/T 2260 county-level, 6 digits; township, 9 digits)
 * and containment between them (letter-format.md section 2).
 */

const REGION_CODE = /^(\d{6}|\d{9})$/;

/**
 * Whether a string is a 6-digit county-level or 9-digit township code.
 *
 * @example isRegionCode('411381107') // true; isRegionCode('4113811') // false
 */
export function isRegionCode(code: string): boolean {
  return typeof code === 'string' && REGION_CODE.test(code);
}

/** Where each group of a code starts, last group first. */
const COUNTY_GROUPS = [4, 2, 0] as const;
const TOWNSHIP_GROUPS = [6, 4, 2, 0] as const;

/**
 * A code with its trailing all-zero groups dropped: `410000` -> `41`, `411300` -> `4113`,
 * `411381000` -> `411381`. Groups are 2+2+2 digits, then 3 for the township part.
 *
 * @example regionPrefix('411300') // '4113'
 */
export function regionPrefix(code: string): string {
  // Group boundaries 2+2+2(+3), from the last group back; a group of zeros only is dropped.
  // Indexes rather than slices and a pattern: every letter asks for each region it names.
  let end = code.length === 9 ? 9 : Math.min(code.length, 6);
  for (const start of code.length === 9 ? TOWNSHIP_GROUPS : COUNTY_GROUPS) {
    if (start >= end) break;
    let zeros = true;
    for (let i = start; i < end; i++) {
      if (code.charCodeAt(i) !== 0x30) {
        zeros = false;
        break;
      }
    }
    if (!zeros) break;
    end = start;
  }
  return code.slice(0, end);
}

/**
 * Whether `inner` lies within `outer`: `inner` starts with `outer` once `outer`'s trailing
 * zero groups are dropped. Malformed codes, and the all-zero code, contain nothing.
 *
 * @example regionContains('410000', '411300') // true (province contains prefecture)
 * @example regionContains('411381', '411381107') // true (county contains township)
 * @example regionContains('411381', '411302') // false
 */
export function regionContains(outer: string, inner: string): boolean {
  if (!isRegionCode(outer) || !isRegionCode(inner)) return false;
  const prefix = regionPrefix(outer);
  if (prefix.length === 0) return false;
  return inner.startsWith(prefix);
}

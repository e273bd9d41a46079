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

/**
 * A code with its trailing all-zero groups dropped: `410000` -> `41`, `411300` -> `4113`,
 * `411381000` -> `411381`. Groups are 2+2+2 digits, then 3 for the township part.
 *
 * @example regionPrefix('411300') // '4113'
 */
export function regionPrefix(code: string): string {
  const groups = [code.slice(0, 2), code.slice(2, 4), code.slice(4, 6)];
  if (code.length === 9) groups.push(code.slice(6, 9));
  while (groups.length > 0 && /^0+$/.test(groups[groups.length - 1] as string)) groups.pop();
  return groups.join('');
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

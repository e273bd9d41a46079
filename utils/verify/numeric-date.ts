/**
 * NumericDate (RFC 7519 section 2): seconds since 1970, in the range a clock and a calendar
 * can reach. JSON allows any number, and a hostile letter's `nbf` of 1e20 is a finite one;
 * but no JavaScript `Date` holds it (the range ends 8.64e15 ms from 1970, in the year
 * 275760), so every place that shows the date threw "Invalid time value", and one forged
 * code stopped a whole CLI batch. A date past that range is no date: the claim is mistyped.
 */

/** The last second a JavaScript Date can hold (ECMA-262 section 21.4.1.22: 8.64e15 ms). */
export const MAX_NUMERIC_DATE = 8.64e12;

/**
 * Whether a JSON value is a NumericDate the verifier accepts: a number from 0 to
 * {@link MAX_NUMERIC_DATE}, fractions allowed.
 *
 * @example isNumericDate(1767225600) // true
 * @example isNumericDate(1e20) // false: past any calendar
 */
export function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_NUMERIC_DATE;
}

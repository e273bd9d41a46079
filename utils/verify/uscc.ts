/**
 * The Unified Social Credit Code (统一社会信用代码) of GB 32100-2015: 18 characters from
 * a 31-character alphabet (digits and capitals without I, O, S, V, Z); the last is a check
 * character computed from the first 17 with weights 3^i mod 31.
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * The check character for the first 17 characters of a code, or null when one of them
 * is outside the alphabet.
 *
 * @example usccCheckCharacter('91350100M000100Y4') // '3'
 */
export function usccCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) return null;
    sum += value * (WEIGHTS[i] as number);
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * Whether a code has the right form and check character (GB 32100-2015 section 5).
 *
 * @example isValidUscc('91350100M000100Y43') // true
 * @example isValidUscc('91350100M000100Y44') // false
 */
export function isValidUscc(code: string): boolean {
  if (typeof code !== 'string' || code.length !== 18) return false;
  return usccCheckCharacter(code.slice(0, 17)) === code.charAt(17);
}

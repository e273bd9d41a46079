/**
 * The `AL1:` text carried by a QR code (letter-format.md section 1): the prefix, then a
 * compact JWS. Text without the prefix is not an authorization code at all ("no code"),
 * which is a different outcome from an invalid one.
 */

export const AL1_PREFIX = 'AL1:';

/** letter-format.md section 1: maximum token length, checked before any decoding work. */
export const MAX_TOKEN_LENGTH = 4096;

/**
 * Whether a decoded QR text is an authorization code (starts with `AL1:`).
 *
 * @example isAl1Text('AL1:eyJhbGciOi...') // true
 * @example isAl1Text('https://example.com') // false
 */
export function isAl1Text(text: string): boolean {
  return typeof text === 'string' && text.startsWith(AL1_PREFIX);
}

/**
 * The compact JWS inside an `AL1:` text, with surrounding whitespace (a trailing newline
 * from a text file) removed; null when the text is not an AL1 code.
 *
 * @example tokenFromAl1Text('AL1:a.b.c\n') // 'a.b.c'
 */
export function tokenFromAl1Text(text: string): string | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (!isAl1Text(trimmed)) return null;
  return trimmed.slice(AL1_PREFIX.length);
}

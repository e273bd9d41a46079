/**
 * Small byte helpers the signature files share (no Node `Buffer` in the core).
 *
 * Range checks on signatures (r, s below n; Ed25519's S below L, y below p) compare bytes
 * with the limit's bytes instead of building a BigInt: building one a byte at a time made
 * 32 intermediate BigInts per number, and those were the largest share of a letter's garbage.
 */

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * Lower-case hex of bytes.
 *
 * @example toHex(new Uint8Array([1, 255])) // '01ff'
 */
export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += HEX[bytes[i] as number];
  return text;
}

/**
 * Bytes of an even-length hex string (callers pass only hex they made or checked).
 *
 * @example fromHex('01ff') // Uint8Array [1, 255]
 */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/**
 * A big-endian unsigned integer.
 *
 * @example bigEndian(new Uint8Array([1, 0])) // 256n
 */
export function bigEndian(bytes: Uint8Array): bigint {
  // One BigInt from hex rather than one per byte.
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

/**
 * `value` as `length` big-endian bytes (callers pass values that fit).
 *
 * @example bigEndianBytes(256n, 2) // Uint8Array [1, 0]
 */
export function bigEndianBytes(value: bigint, length: number): Uint8Array {
  return fromHex(value.toString(16).padStart(2 * length, '0'));
}

/**
 * Compares two unsigned numbers of the same byte length, most significant byte first:
 * negative, zero or positive as `a` is below, equal to or above `b`.
 *
 * @example compareBigEndian(new Uint8Array([1, 0]), new Uint8Array([0, 255])) // 1
 */
export function compareBigEndian(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether every byte is zero.
 *
 * @example isZero(new Uint8Array(4)) // true
 */
export function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Whether two byte strings are equal (not constant-time: for public values only).
 *
 * @example bytesEqual(new Uint8Array([1]), new Uint8Array([1])) // true
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The bytes themselves when they fill their own ArrayBuffer, else a copy in a fresh one,
 * as WebCrypto's types want it (WebCrypto copies its inputs anyway).
 */
export function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return bytes as Uint8Array<ArrayBuffer>;
  }
  return new Uint8Array(bytes);
}

/**
 * DEFLATE and ZLIB decompression that stops at a size limit.
 *
 * A few kilobytes of DEFLATE can expand a thousandfold, and a 1 MiB status list body a
 * thousand times more: a decompression bomb. The input is fed to fflate's streaming
 * inflater in small slices, so no single step can produce more than about a megabyte,
 * and the stream is abandoned as soon as the output passes the limit.
 */
import { Inflate, Unzlib } from 'fflate';

/** letter-format.md section 1: a letter's inflated payload may not exceed 64 KiB. */
export const LETTER_INFLATE_LIMIT = 64 * 1024;

/** Slice size: DEFLATE's worst ratio is about 1032:1, so one slice yields at most ~0.5 MiB. */
const SLICE = 512;

export type InflateResult = { ok: true; bytes: Uint8Array } | { ok: false; error: 'TOO_LARGE' | 'CORRUPT' };

class LimitExceeded extends Error {}

function run(stream: Inflate | Unzlib, input: Uint8Array, limit: number): InflateResult {
  const chunks: Uint8Array[] = [];
  let total = 0;
  stream.ondata = (chunk) => {
    total += chunk.length;
    if (total > limit) throw new LimitExceeded();
    chunks.push(chunk);
  };
  try {
    if (input.length === 0) stream.push(input, true);
    for (let offset = 0; offset < input.length; offset += SLICE) {
      const end = Math.min(offset + SLICE, input.length);
      stream.push(input.subarray(offset, end), end === input.length);
    }
  } catch (error) {
    return { ok: false, error: error instanceof LimitExceeded ? 'TOO_LARGE' : 'CORRUPT' };
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return { ok: true, bytes: out };
}

/**
 * Inflates raw DEFLATE (RFC 1951), as used by `zip: "DEF"`.
 *
 * @example inflateRawLimited(deflateSync(bytes), LETTER_INFLATE_LIMIT)
 */
export function inflateRawLimited(input: Uint8Array, limit: number): InflateResult {
  return run(new Inflate(), input, limit);
}

/**
 * Inflates ZLIB (RFC 1950), as used by status list `lst`.
 *
 * @example unzlibLimited(zlibSync(bits), 16 * 1024 * 1024)
 */
export function unzlibLimited(input: Uint8Array, limit: number): InflateResult {
  return run(new Unzlib(), input, limit);
}

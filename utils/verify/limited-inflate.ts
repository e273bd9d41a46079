/**
 * DEFLATE and ZLIB decompression that stops at a size limit.
 *
 * A few kilobytes of DEFLATE can expand a thousandfold, and a 1 MiB status list body a
 * thousand times more: a decompression bomb. Two ways keep the output bounded:
 *
 * - Small inputs (every letter: a token is at most 4,096 characters, about 3 KiB of payload)
 *   are inflated in one call into a reused buffer one byte larger than the limit. fflate
 *   writes into a buffer it was given without growing it, so the output can never take more
 *   memory than that buffer; an output that fills it is over the limit. The worst input
 *   makes about 1,032 bytes of (discarded) writes per input byte, a few milliseconds. This
 *   path allocates only the result: the streaming inflater allocates a 32 KiB window and a
 *   128 KiB output buffer per call, which was most of a letter's garbage collection.
 * - Larger inputs (status lists) are fed to fflate's streaming inflater in small slices, so
 *   no single step can produce more than about half a megabyte, and the stream is abandoned
 *   as soon as the output passes the limit.
 */
import { Inflate, inflateSync, Unzlib, unzlibSync } from 'fflate';

/** letter-format.md section 1: a letter's inflated payload may not exceed 64 KiB. */
export const LETTER_INFLATE_LIMIT = 64 * 1024;

/** Slice size: DEFLATE's worst ratio is about 1032:1, so one slice yields at most ~0.5 MiB. */
const SLICE = 512;

/** Inputs up to this size are inflated in one bounded call (at most ~8 MiB of discarded writes). */
const ONE_SHOT_MAX_INPUT = 8 * 1024;

/** Limits up to this size get a reused output buffer (the letter limit, and tests' smaller ones). */
const ONE_SHOT_MAX_LIMIT = 1024 * 1024;

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

/** The reused output buffer; inflating is synchronous, so one caller uses it at a time. */
let scratch = new Uint8Array(0);

function oneShot(inflate: typeof inflateSync, input: Uint8Array, limit: number): InflateResult {
  if (scratch.length < limit + 1) scratch = new Uint8Array(limit + 1);
  const out = scratch.subarray(0, limit + 1);
  let produced: Uint8Array;
  try {
    // With `out` given, fflate never grows the buffer: writes past its end are dropped and
    // the result is cut at its length, so a result of limit + 1 bytes means "more than the limit".
    produced = inflate(input, { out });
  } catch (error) {
    // A stored (uncompressed) block that does not fit is copied with `set`, which throws RangeError.
    return { ok: false, error: error instanceof RangeError ? 'TOO_LARGE' : 'CORRUPT' };
  }
  // Given no compressed bytes at all (a ZLIB stream of header and checksum only), fflate hands
  // back the buffer itself, untouched: nothing was produced.
  if (produced === out) return { ok: true, bytes: new Uint8Array(0) };
  if (produced.length > limit) return { ok: false, error: 'TOO_LARGE' };
  return { ok: true, bytes: produced.slice() };
}

const fitsOneShot = (input: Uint8Array, limit: number) =>
  input.length > 0 && input.length <= ONE_SHOT_MAX_INPUT && limit <= ONE_SHOT_MAX_LIMIT;

/**
 * Inflates raw DEFLATE (RFC 1951), as used by `zip: "DEF"`.
 *
 * @example inflateRawLimited(deflateSync(bytes), LETTER_INFLATE_LIMIT)
 */
export function inflateRawLimited(input: Uint8Array, limit: number): InflateResult {
  if (fitsOneShot(input, limit)) return oneShot(inflateSync, input, limit);
  return run(new Inflate(), input, limit);
}

/**
 * Inflates raw DEFLATE that must be exactly one DEFLATE stream, nothing after its last block
 * (letter-format.md section 1: the payload bytes *are* the DEFLATE of the JSON). fflate stops
 * at the final block and ignores what follows, so bytes appended to a signed payload, or a
 * second stream hidden after the first, would go unread yet signed. `TRAILING` says so.
 *
 * The end is found without fflate's internals: fflate fails with "unexpected EOF" whenever
 * the stream runs past the input, so the stream ends before the last byte exactly when the
 * input less its last byte still inflates. (A DEFLATE stream is at least 2 bytes long.)
 *
 * @example inflateRawExact(concat(deflateSync(json), [0]), LETTER_INFLATE_LIMIT) // { ok: false, error: 'TRAILING' }
 */
export function inflateRawExact(
  input: Uint8Array,
  limit: number,
): { ok: true; bytes: Uint8Array } | { ok: false; error: 'TOO_LARGE' | 'CORRUPT' | 'TRAILING' } {
  const whole = inflateRawLimited(input, limit);
  if (!whole.ok || input.length < 2) return whole;
  const shorter = oneShot(inflateSync, input.subarray(0, input.length - 1), limit);
  return shorter.ok ? { ok: false, error: 'TRAILING' } : whole;
}

/**
 * Inflates ZLIB (RFC 1950), as used by status list `lst`.
 *
 * @example unzlibLimited(zlibSync(bits), 16 * 1024 * 1024)
 */
export function unzlibLimited(input: Uint8Array, limit: number): InflateResult {
  if (fitsOneShot(input, limit)) return oneShot(unzlibSync, input, limit);
  return run(new Unzlib(), input, limit);
}

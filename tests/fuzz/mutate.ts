/**
 * Byte mutations for the fuzz targets, driven by a seeded PRNG so a run (and a failure) can
 * be repeated exactly: bit flips, "interesting" bytes and 32-bit values (0, 0xFF, 0x7FFFFFFF:
 * the numbers that break length and dimension fields), truncation, chunk duplication and
 * deletion, random insertions, and splices between two seeds.
 */

/** xorshift32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x20, 0x2e, 0x3d, 0x7b, 0x22];
const INTERESTING_U32 = [0, 1, 0x7fff_ffff, 0xffff_ffff, 0x8000_0000, 0x0001_0000, 65_535, 46_341];

/** Applies one to four random mutations to a copy of `input` (`other` is a second seed for splices). */
export function mutate(input: Uint8Array, random: () => number, other?: Uint8Array): Uint8Array {
  let bytes: Uint8Array = input.slice();
  const rounds = 1 + Math.floor(random() * 4);
  const pick = (n: number) => Math.floor(random() * n);
  for (let r = 0; r < rounds; r++) {
    const at = bytes.length === 0 ? 0 : pick(bytes.length);
    switch (pick(8)) {
      case 0:
        if (bytes.length) bytes[at] = (bytes[at] as number) ^ (1 << pick(8));
        break;
      case 1:
        if (bytes.length) bytes[at] = INTERESTING_BYTES[pick(INTERESTING_BYTES.length)] as number;
        break;
      case 2: {
        if (bytes.length < 4) break;
        const value = INTERESTING_U32[pick(INTERESTING_U32.length)] as number;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        view.setUint32(Math.min(at, bytes.length - 4), value, random() < 0.5);
        break;
      }
      case 3:
        bytes = bytes.slice(0, at);
        break;
      case 4: {
        const length = 1 + pick(Math.min(64, bytes.length || 1));
        const chunk = bytes.slice(at, at + length);
        bytes = concat(bytes.slice(0, at), chunk, chunk, bytes.slice(at + length));
        break;
      }
      case 5: {
        const length = 1 + pick(Math.min(64, bytes.length || 1));
        bytes = concat(bytes.slice(0, at), bytes.slice(at + length));
        break;
      }
      case 6: {
        const insert = new Uint8Array(1 + pick(16)).map(() => pick(256));
        bytes = concat(bytes.slice(0, at), insert, bytes.slice(at));
        break;
      }
      default: {
        if (!other || other.length === 0) break;
        const from = pick(other.length);
        bytes = concat(bytes.slice(0, at), other.slice(from, from + 1 + pick(256)));
      }
    }
  }
  return bytes;
}

/** The bytes of `parts`, one after another. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

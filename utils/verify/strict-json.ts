/**
 * A JSON reader that refuses duplicate member names.
 *
 * `JSON.parse` silently keeps the last of two equal names, so `{"scope":"a","scope":"b"}`
 * reads as scope `b` while another parser may read `a`: the duplicate-claim attack swaps
 * a signed claim for one the signer never meant. letter-format.md section 1 makes any
 * duplicate member malformed. Names are compared after unescaping (`"\u0073cope"` is
 * `scope`). The grammar is RFC 8259's.
 *
 * One pass reads the text and builds the value, as `JSON.parse` would build it: strings
 * without escapes are sliced from the text, those with escapes and every number are
 * converted by the engine's own JSON and number readers, so both agree on every value. Every
 * letter goes through here twice (header and payload), so the reader allocates nothing it
 * does not return: no regular expression matches, no per-object name sets.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type StrictJsonResult = { ok: true; value: JsonValue } | { ok: false; error: string };

/** Deeper nesting than any letter, registry or JWKS needs; stops stack exhaustion. */
const MAX_DEPTH = 64;

class JsonSyntaxError extends Error {}

const hasOwn = Object.prototype.hasOwnProperty;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** The one-character escapes of RFC 8259 section 7: `"` `\` `/` b f n r t. */
const isSimpleEscape = (c: number) =>
  c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;

/** Reads RFC 8259 text; `pos` moves through it, failures throw JsonSyntaxError with the position. */
class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string, at: number = this.pos): never {
    throw new JsonSyntaxError(`${what} at ${at}`);
  }

  skipWhitespace(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  /** A string starting at `pos` (which holds `"`), or null when it is not a well-formed one. */
  string(): string | null {
    const { text } = this;
    const start = this.pos;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      if (i >= text.length) return null;
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      // RFC 8259 section 7: control characters must be escaped.
      if (c < 0x20) return null;
      if (c === 0x5c) {
        escaped = true;
        const next = text.charCodeAt(i + 1);
        if (isSimpleEscape(next)) i += 2;
        else if (next === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(i + k))) return null;
          i += 6;
        } else return null;
        continue;
      }
      i++;
    }
    this.pos = i + 1;
    return escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
  }

  /** `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; stops before anything else. */
  number(): number {
    const { text } = this;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === 0x2d) i++;
    const first = text.charCodeAt(i);
    if (first === 0x30) i++;
    else if (first >= 0x31 && first <= 0x39) {
      while (isDigit(text.charCodeAt(i))) i++;
    } else this.fail('bad number', start);
    if (text.charCodeAt(i) === 0x2e && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      let j = i + 1;
      const sign = text.charCodeAt(j);
      if (sign === 0x2b || sign === 0x2d) j++;
      if (isDigit(text.charCodeAt(j))) {
        while (isDigit(text.charCodeAt(j))) j++;
        i = j;
      }
    }
    this.pos = i;
    // For a JSON number literal, Number() and JSON.parse read the same double.
    return Number(text.slice(start, i));
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    this.skipWhitespace();
    const { text } = this;
    const c = text.charCodeAt(this.pos);
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x22) {
      const s = this.string();
      if (s === null) this.fail('bad string');
      return s;
    }
    if (c === 0x2d || isDigit(c)) return this.number();
    if (text.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (text.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    if (text.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    return this.fail('unexpected character');
  }

  object(depth: number): { [key: string]: JsonValue } {
    const { text } = this;
    const out: { [key: string]: JsonValue } = {};
    this.pos++;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      const start = this.pos;
      const name = text.charCodeAt(start) === 0x22 ? this.string() : null;
      if (name === null) this.fail('expected a member name', start);
      if (hasOwn.call(out, name)) this.fail(`duplicate member ${JSON.stringify(name)}`, start);
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== 0x3a) this.fail('expected ":"');
      this.pos++;
      const member = this.value(depth + 1);
      // As JSON.parse does: "__proto__" is an own member, never the object's prototype.
      if (name === '__proto__') {
        Object.defineProperty(out, name, { value: member, writable: true, enumerable: true, configurable: true });
      } else out[name] = member;
      this.skipWhitespace();
      const next = text.charCodeAt(this.pos);
      if (next === 0x2c) {
        this.pos++;
        continue;
      }
      if (next === 0x7d) {
        this.pos++;
        return out;
      }
      this.fail('expected "," or "}"');
    }
  }

  array(depth: number): JsonValue[] {
    const { text } = this;
    const out: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipWhitespace();
      const next = text.charCodeAt(this.pos);
      if (next === 0x2c) {
        this.pos++;
        continue;
      }
      if (next === 0x5d) {
        this.pos++;
        return out;
      }
      this.fail('expected "," or "]"');
    }
  }
}

/**
 * Parses JSON text, failing on syntax errors and on duplicate member names anywhere.
 *
 * @example parseStrictJson('{"a":1,"a":2}') // { ok: false, error: 'duplicate member "a" at 7' }
 */
export function parseStrictJson(text: string): StrictJsonResult {
  const reader = new Reader(text);
  try {
    const value = reader.value(0);
    reader.skipWhitespace();
    if (reader.pos !== text.length) reader.fail('unexpected text after the value');
    return { ok: true, value };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, error: error.message };
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Whether a JSON value is an object (not an array, not null).
 *
 * @example isJsonObject({ a: 1 }) // true; isJsonObject([1]) // false
 */
export function isJsonObject(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

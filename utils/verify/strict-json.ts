/**
 * A JSON reader that refuses duplicate member names.
 *
 * `JSON.parse` silently keeps the last of two equal names, so `{"scope":"a","scope":"b"}`
 * reads as scope `b` while another parser may read `a`: the duplicate-claim attack swaps
 * a signed claim for one the signer never meant. letter-format.md section 1 makes any
 * duplicate member malformed. Names are compared after unescaping (`"\u0073cope"` is
 * `scope`). The grammar is RFC 8259's; once the text is known to be well formed and
 * duplicate-free, `JSON.parse` builds the value, since both then agree on it.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type StrictJsonResult = { ok: true; value: JsonValue } | { ok: false; error: string };

/** Deeper nesting than any letter, registry or JWKS needs; stops stack exhaustion. */
const MAX_DEPTH = 64;

// biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 8259 section 7 forbids raw control characters in strings; this rejects them.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

class JsonSyntaxError extends Error {}

/**
 * Parses JSON text, failing on syntax errors and on duplicate member names anywhere.
 *
 * @example parseStrictJson('{"a":1,"a":2}') // { ok: false, error: 'duplicate member "a" at 7' }
 */
export function parseStrictJson(text: string): StrictJsonResult {
  let pos = 0;

  const skipWhitespace = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else break;
    }
  };

  const match = (pattern: RegExp): string | null => {
    pattern.lastIndex = pos;
    const m = pattern.exec(text);
    if (!m) return null;
    pos += m[0].length;
    return m[0];
  };

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at ${pos}`);
  };

  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipWhitespace();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const names = new Set<string>();
      skipWhitespace();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        skipWhitespace();
        const start = pos;
        const raw = match(STRING);
        if (raw === null) fail('expected a member name');
        const name = JSON.parse(raw as string) as string;
        if (names.has(name)) {
          pos = start;
          fail(`duplicate member ${JSON.stringify(name)}`);
        }
        names.add(name);
        skipWhitespace();
        if (text[pos] !== ':') fail('expected ":"');
        pos++;
        value(depth + 1);
        skipWhitespace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos++;
      skipWhitespace();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (;;) {
        value(depth + 1);
        skipWhitespace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      if (match(STRING) === null) fail('bad string');
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (match(NUMBER) === null) fail('bad number');
      return;
    }
    if (match(LITERAL) === null) fail('unexpected character');
  };

  try {
    value(0);
    skipWhitespace();
    if (pos !== text.length) fail('unexpected text after the value');
    return { ok: true, value: JSON.parse(text) as JsonValue };
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

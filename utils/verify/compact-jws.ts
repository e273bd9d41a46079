/**
 * Splitting and checking a compact JWS (RFC 7515 section 7.1) before any key is chosen.
 *
 * The header is read with the strict JSON reader (duplicate names are malformed) and
 * checked against an allow-list: only `alg`, `typ`, `kid` (and `zip` for letters) may
 * appear. `jku`, `x5u`, `jwk`, `x5c` would let the token choose its own key, and `crit`
 * would ask us to honour extensions we do not know (RFC 8725 section 3.1, 3.10), so a
 * token carrying any of them is refused outright.
 */
import { isJsonObject, type JsonValue, parseStrictJson } from './strict-json.ts';

/** The only signature algorithms of letter-format.md sections 1, 1.1 and 2. */
export const ALLOWED_ALGS = ['ES256', 'EdDSA', 'SM2'] as const;
export type AllowedAlg = (typeof ALLOWED_ALGS)[number];

/** Header members that let a token pick its own key or demand unknown processing. */
export const FORBIDDEN_HEADER_MEMBERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'] as const;

/** Why a compact JWS was refused before its signature was looked at. */
export type JwsHeaderProblem =
  | { kind: 'alg'; alg: unknown }
  | { kind: 'typ'; typ: unknown }
  | { kind: 'kid' }
  | { kind: 'forbidden'; member: string }
  | { kind: 'unknown-member'; member: string }
  | { kind: 'zip'; zip: unknown };

export interface SplitJws {
  /** The exact compact serialization, as its signature is checked. */
  compact: string;
  /** The protected header as parsed; shared between tokens with the same header, so frozen. */
  header: { readonly [key: string]: JsonValue };
  /** The payload bytes as signed (still compressed when `zip` is `DEF`). */
  payloadBytes: Uint8Array;
  /** The decoded signature (any length: each algorithm checks its own). */
  signature: Uint8Array;
}

export type SplitResult = { ok: true; jws: SplitJws } | { ok: false; error: string };

/** The value of each base64url digit by character code; -1 for every other character. */
const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (const [value, digit] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) {
  DIGIT_VALUE[digit.charCodeAt(0)] = value;
}

const digitAt = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c < 128 ? (DIGIT_VALUE[c] as number) : -1;
};

/**
 * Decodes strict base64url (no padding, no other characters; RFC 7515 section 2).
 *
 * One pass from the text into the bytes: every letter decodes its three parts, and the
 * regular expression, the alphabet swap and the binary string of a general decoder were
 * three allocations of the whole part each.
 *
 * @example decodeBase64url('AQID') // Uint8Array [1, 2, 3]
 */
export function decodeBase64url(text: string): Uint8Array | null {
  const rest = text.length % 4;
  if (rest === 1) return null;
  const whole = text.length - rest;
  const bytes = new Uint8Array((whole / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  let at = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = digitAt(text, i);
    const b = digitAt(text, i + 1);
    const c = digitAt(text, i + 2);
    const d = digitAt(text, i + 3);
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[at++] = n >> 16;
    bytes[at++] = (n >> 8) & 0xff;
    bytes[at++] = n & 0xff;
  }
  if (rest !== 0) {
    const a = digitAt(text, whole);
    const b = digitAt(text, whole + 1);
    const c = rest === 3 ? digitAt(text, whole + 2) : 0;
    if ((a | b | c) < 0) return null;
    // Reject non-canonical encodings (RFC 4648 section 3.5): the bits of the last character
    // past the last whole byte must be zero, else two texts decode to the same bytes.
    if (((rest === 2 ? b : c) & (rest === 2 ? 0x0f : 0x03)) !== 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6);
    bytes[at++] = n >> 16;
    if (rest === 3) bytes[at++] = (n >> 8) & 0xff;
  }
  return bytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 strictly; null for invalid sequences (no silent U+FFFD).
 *
 * @example decodeUtf8(new Uint8Array([0xff])) // null
 */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Headers already parsed, by their base64url text. Every letter of one issuer key carries
 * the same header, so a batch decodes and parses it once. A pure function of the text (the
 * parsed value is frozen, so no caller can change what the next one reads); failures are not
 * remembered, so hostile input cannot fill the memo with junk that pushes good headers out.
 */
const parsedHeaders = new Map<string, { readonly [key: string]: JsonValue }>();
const PARSED_HEADERS_MAX = 32;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/** The header from its decoded bytes: UTF-8, strict JSON, an object; remembered by its text. */
function parseHeader(
  headerPart: string,
  headerBytes: Uint8Array,
): { ok: true; header: { readonly [key: string]: JsonValue } } | SplitFailure {
  const headerText = decodeUtf8(headerBytes);
  if (headerText === null) return { ok: false, error: 'header is not UTF-8' };
  const parsed = parseStrictJson(headerText);
  if (!parsed.ok) return { ok: false, error: `header: ${parsed.error}` };
  if (!isJsonObject(parsed.value)) return { ok: false, error: 'header is not a JSON object' };
  const header = deepFreeze(parsed.value);
  if (parsedHeaders.size >= PARSED_HEADERS_MAX) parsedHeaders.delete(parsedHeaders.keys().next().value as string);
  parsedHeaders.set(headerPart, header);
  return { ok: true, header };
}

type SplitFailure = { ok: false; error: string };

/**
 * Splits a compact JWS into its decoded header, payload and signature bytes; no key yet.
 *
 * @example splitCompactJws('eyJhbGciOiJFUzI1NiJ9.e30.c2ln')
 */
export function splitCompactJws(compact: string): SplitResult {
  const first = compact.indexOf('.');
  const second = first < 0 ? -1 : compact.indexOf('.', first + 1);
  if (second < 0 || compact.indexOf('.', second + 1) >= 0) {
    return { ok: false, error: `expected 3 parts, found ${compact.split('.').length}` };
  }
  // Checked in the order of the parts, so the first bad one is the one reported.
  const headerPart = compact.slice(0, first);
  const remembered = parsedHeaders.get(headerPart);
  const headerBytes = remembered ? null : decodeBase64url(headerPart);
  if (!remembered && !headerBytes) return { ok: false, error: 'header is not base64url' };
  const payloadBytes = decodeBase64url(compact.slice(first + 1, second));
  if (!payloadBytes) return { ok: false, error: 'payload is not base64url' };
  const signature = decodeBase64url(compact.slice(second + 1));
  if (!signature) return { ok: false, error: 'signature is not base64url' };
  let header = remembered;
  if (!header) {
    const parsed = parseHeader(headerPart, headerBytes as Uint8Array);
    if (!parsed.ok) return parsed;
    header = parsed.header;
  }
  return { ok: true, jws: { compact, header, payloadBytes, signature } };
}

/**
 * Checks a protected header against the allow-list; returns every problem found.
 *
 * @example checkHeader({ alg: 'none', typ: 'al+jwt' }, { typ: 'al+jwt', allowZip: true })
 * // [{ kind: 'alg', alg: 'none' }, { kind: 'kid' }]
 */
export function checkHeader(
  header: { readonly [key: string]: JsonValue },
  expected: { typ: string; allowZip: boolean },
): JwsHeaderProblem[] {
  const problems: JwsHeaderProblem[] = [];
  const { alg, typ, kid } = header;
  if (!ALLOWED_ALGS.includes(alg as AllowedAlg)) problems.push({ kind: 'alg', alg });
  // RFC 8725 section 3.11: explicit typing stops a status list or registry being accepted as a letter.
  if (typ !== expected.typ) problems.push({ kind: 'typ', typ });
  if (typeof kid !== 'string' || kid.length === 0) problems.push({ kind: 'kid' });
  for (const member of Object.keys(header)) {
    if ((FORBIDDEN_HEADER_MEMBERS as readonly string[]).includes(member)) {
      problems.push({ kind: 'forbidden', member });
    } else if (member === 'zip') {
      if (!expected.allowZip || header.zip !== 'DEF') problems.push({ kind: 'zip', zip: header.zip });
    } else if (member !== 'alg' && member !== 'typ' && member !== 'kid') {
      problems.push({ kind: 'unknown-member', member });
    }
  }
  return problems;
}

/**
 * A one-line summary of header problems, for logs and registry problem details.
 *
 * @example describeHeaderProblems([{ kind: 'kid' }]) // 'kid missing'
 */
export function describeHeaderProblems(problems: readonly JwsHeaderProblem[]): string {
  return problems
    .map((p) => {
      switch (p.kind) {
        case 'alg':
          return `alg ${JSON.stringify(p.alg)} not allowed`;
        case 'typ':
          return `typ ${JSON.stringify(p.typ)} not expected`;
        case 'kid':
          return 'kid missing';
        case 'forbidden':
          return `forbidden member ${p.member}`;
        case 'unknown-member':
          return `unknown member ${p.member}`;
        case 'zip':
          return `zip ${JSON.stringify(p.zip)} not allowed`;
      }
      return 'unknown problem';
    })
    .join('; ');
}

/**
 * Splitting and checking a compact JWS (RFC 7515 section 7.1) before any key is chosen.
 *
 * The header is read with the strict JSON reader (duplicate names are malformed) and
 * checked against an allow-list: only `alg`, `typ`, `kid` (and `zip` for letters) may
 * appear. `jku`, `x5u`, `jwk`, `x5c` would let the token choose its own key, and `crit`
 * would ask us to honour extensions we do not know (RFC 8725 section 3.1, 3.10), so a
 * token carrying any of them is refused outright.
 */
import { base64url } from 'jose';
import { isJsonObject, type JsonValue, parseStrictJson } from './strict-json.ts';

/** The only signature algorithms of letter-format.md sections 1, 1.1 and 2. */
export const ALLOWED_ALGS = ['ES256', 'EdDSA', 'SM2'] as const;
export type AllowedAlg = (typeof ALLOWED_ALGS)[number];

/** Header members that let a token pick its own key or demand unknown processing. */
export const FORBIDDEN_HEADER_MEMBERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'] as const;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

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
  header: { [key: string]: JsonValue };
  /** The payload bytes as signed (still compressed when `zip` is `DEF`). */
  payloadBytes: Uint8Array;
}

export type SplitResult = { ok: true; jws: SplitJws } | { ok: false; error: string };

/**
 * Decodes strict base64url (no padding, no other characters; RFC 7515 section 2).
 *
 * @example decodeBase64url('AQID') // Uint8Array [1, 2, 3]
 */
export function decodeBase64url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  // Reject non-canonical encodings (RFC 4648 section 3.5): the bits of the last character
  // past the last whole byte must be zero, else two texts decode to the same bytes. Checked
  // on that one character rather than by encoding the bytes again (every letter decodes
  // three parts, and the signature check its key's coordinates).
  const rest = text.length % 4;
  if (rest !== 0) {
    const last = BASE64URL_DIGITS.indexOf(text.charAt(text.length - 1));
    if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) return null;
  }
  try {
    return base64url.decode(text);
  } catch {
    return null;
  }
}

const BASE64URL_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

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
 * Splits a compact JWS into its decoded header and payload bytes; no key, no signature yet.
 *
 * @example splitCompactJws('eyJhbGciOiJFUzI1NiJ9.e30.c2ln')
 */
export function splitCompactJws(compact: string): SplitResult {
  const parts = compact.split('.');
  if (parts.length !== 3) return { ok: false, error: `expected 3 parts, found ${parts.length}` };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const headerBytes = decodeBase64url(headerPart);
  if (!headerBytes) return { ok: false, error: 'header is not base64url' };
  const payloadBytes = decodeBase64url(payloadPart);
  if (!payloadBytes) return { ok: false, error: 'payload is not base64url' };
  const signature = decodeBase64url(signaturePart);
  if (!signature) return { ok: false, error: 'signature is not base64url' };
  const headerText = decodeUtf8(headerBytes);
  if (headerText === null) return { ok: false, error: 'header is not UTF-8' };
  const parsed = parseStrictJson(headerText);
  if (!parsed.ok) return { ok: false, error: `header: ${parsed.error}` };
  if (!isJsonObject(parsed.value)) return { ok: false, error: 'header is not a JSON object' };
  return { ok: true, jws: { compact, header: parsed.value, payloadBytes } };
}

/**
 * Checks a protected header against the allow-list; returns every problem found.
 *
 * @example checkHeader({ alg: 'none', typ: 'al+jwt' }, { typ: 'al+jwt', allowZip: true })
 * // [{ kind: 'alg', alg: 'none' }, { kind: 'kid' }]
 */
export function checkHeader(
  header: { [key: string]: JsonValue },
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

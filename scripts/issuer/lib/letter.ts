/**
 * Issuing a letter (letter-format.md section 1): claims -> payload JSON -> raw DEFLATE
 * (`zip: "DEF"`, the default: smaller QR codes read better off poor scans) -> compact JWS
 * -> `AL1:` text.
 */
import { deflateSync } from 'fflate';
import { AL1_PREFIX, MAX_TOKEN_LENGTH } from '../../../utils/verify/al1-text.ts';
import { isNumericDate } from '../../../utils/verify/numeric-date.ts';
import { isRegionCode } from '../../../utils/verify/region.ts';
import { isValidUscc } from '../../../utils/verify/uscc.ts';
import type { PrivateSigningJwk } from './keys.ts';
import { jsonBytes, signCompact } from './sign-compact.ts';

export interface LetterInput {
  iss: string;
  sub: string;
  sub_name: string;
  agents?: { name: string; id_last4: string }[];
  /** Scope ids, as a list or the space-separated claim. */
  scope: string[] | string;
  region: string[];
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  purpose?: string;
  status?: { status_list: { idx: number; uri: string } };
}

export interface IssuedLetter {
  token: string;
  /** What goes into the QR code. */
  text: string;
  payload: Record<string, unknown>;
}

/** The payload object of a letter, with `scope` joined into the space-separated claim. */
export function letterPayload(input: LetterInput): Record<string, unknown> {
  const scope = Array.isArray(input.scope) ? input.scope.join(' ') : input.scope;
  return { ...input, scope };
}

/**
 * What is wrong with a letter before it is signed (the issuer tool refuses to sign it).
 *
 * @example checkLetterInput({ ...input, sub: 'bad' }) // ['sub: not a valid Unified Social Credit Code']
 */
export function checkLetterInput(input: LetterInput): string[] {
  const problems: string[] = [];
  if (!isValidUscc(input.sub)) problems.push('sub: not a valid Unified Social Credit Code');
  if (input.region.length === 0 || !input.region.every(isRegionCode)) {
    problems.push('region: every code must have 6 or 9 digits');
  }
  if (!(input.exp > input.nbf)) problems.push('exp must be after nbf');
  // What verifiers refuse as MALFORMED (utils/verify/numeric-date.ts), refused before signing.
  for (const name of ['iat', 'nbf', 'exp'] as const) {
    if (!isNumericDate(input[name])) problems.push(`${name}: must be seconds since 1970, within the range of a date`);
  }
  for (const name of ['iss', 'sub_name', 'jti'] as const) if (!input[name]) problems.push(`${name}: required`);
  const scope = Array.isArray(input.scope) ? input.scope : input.scope.split(' ');
  if (scope.filter(Boolean).length === 0) problems.push('scope: required');
  return problems;
}

/**
 * Signs a letter and returns its `AL1:` text. Throws when the token would exceed the
 * 4,096-character limit verifiers enforce.
 *
 * @example const { text } = await issueLetter(input, issuerKey.privateJwk); // 'AL1:eyJ…'
 */
export async function issueLetter(
  input: LetterInput,
  key: PrivateSigningJwk,
  options: { zip?: boolean } = {},
): Promise<IssuedLetter> {
  const payload = letterPayload(input);
  const zip = options.zip ?? true;
  const json = jsonBytes(payload);
  const bytes = zip ? deflateSync(json, { level: 9 }) : json;
  const token = await signCompact({ typ: 'al+jwt', ...(zip ? { zip: 'DEF' } : {}) }, bytes, key);
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new Error(`the letter is ${token.length} characters long; the limit is ${MAX_TOKEN_LENGTH}`);
  }
  return { token, text: `${AL1_PREFIX}${token}`, payload };
}

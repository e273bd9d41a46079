/**
 * Verifying the two signed documents that are not letters, registries and status lists:
 * a compact JWS with a fixed `typ`, no compression, one key found by `kid` among keys the
 * caller already trusts, and a strict-JSON payload.
 */
import { type AllowedAlg, checkHeader, decodeUtf8, describeHeaderProblems, splitCompactJws } from './compact-jws.ts';
import { type SignatureFailure, verifyWithKey } from './jws-signature.ts';
import { keyFitsAlg, type PublicJwk } from './public-jwk.ts';
import { type JsonValue, parseStrictJson } from './strict-json.ts';

/**
 * `SIGNATURE_UNCHECKED`: no implementation of the algorithm could run on this machine. The
 * document is not verified, but nothing says it was forged either.
 */
export type SignedJsonProblem =
  | 'MALFORMED'
  | 'HEADER_REJECTED'
  | 'KEY_UNKNOWN'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_UNCHECKED';

export type SignedJsonResult =
  | { ok: true; payload: JsonValue; kid: string; alg: AllowedAlg }
  | { ok: false; problem: SignedJsonProblem; detail: string };

/** Largest registry or status list token accepted (the fetcher already caps bodies at 1 MiB). */
export const MAX_SIGNED_JSON_LENGTH = 1024 * 1024;

/**
 * Verifies a compact JWS of the given `typ` against a set of trusted keys.
 *
 * @example await verifySignedJson(registryJws, { typ: 'al-registry+jwt', keys: rootKeys })
 */
export async function verifySignedJson(
  compact: string,
  options: { typ: string; keys: readonly PublicJwk[] },
): Promise<SignedJsonResult> {
  const text = compact.trim();
  // The same status list (or registry) is checked for every letter of a batch: remember
  // successes for exactly this text, type and key set. A pure function of its inputs, so
  // remembering cannot change an answer.
  const memoKey = `${options.typ}\n${JSON.stringify(options.keys)}\n${text}`;
  const remembered = verified.get(memoKey);
  if (remembered) return remembered;
  const result = await verifyUncached(text, options);
  if (result.ok) {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
    verified.set(memoKey, result);
  }
  return result;
}

const verified = new Map<string, SignedJsonResult>();
const VERIFIED_MAX = 8;

async function verifyUncached(
  text: string,
  options: { typ: string; keys: readonly PublicJwk[] },
): Promise<SignedJsonResult> {
  if (text.length > MAX_SIGNED_JSON_LENGTH) return { ok: false, problem: 'MALFORMED', detail: 'too long' };
  const split = splitCompactJws(text);
  if (!split.ok) return { ok: false, problem: 'MALFORMED', detail: split.error };
  const { header, payloadBytes } = split.jws;
  const headerProblems = checkHeader(header, { typ: options.typ, allowZip: false });
  if (headerProblems.length > 0) {
    return { ok: false, problem: 'HEADER_REJECTED', detail: describeHeaderProblems(headerProblems) };
  }
  const alg = header.alg as AllowedAlg;
  const kid = header.kid as string;
  // An unusable key (off its curve, small order, private members) fits no alg: never used.
  const key = options.keys.find((k) => k.kid === kid && keyFitsAlg(k, alg));
  if (!key) return { ok: false, problem: 'KEY_UNKNOWN', detail: `no trusted ${alg} key with kid ${kid}` };
  const check = await verifyWithKey(split.jws, key, alg);
  if (!check.ok) {
    const problem = (
      {
        SIGNATURE_INVALID: 'SIGNATURE_INVALID',
        KEY_REJECTED: 'KEY_UNKNOWN',
        UNAVAILABLE: 'SIGNATURE_UNCHECKED',
      } as const satisfies Record<SignatureFailure, SignedJsonProblem>
    )[check.failure];
    return { ok: false, problem, detail: check.detail };
  }
  const payloadText = decodeUtf8(payloadBytes);
  if (payloadText === null) return { ok: false, problem: 'MALFORMED', detail: 'payload is not UTF-8' };
  const parsed = parseStrictJson(payloadText);
  if (!parsed.ok) return { ok: false, problem: 'MALFORMED', detail: `payload: ${parsed.error}` };
  return { ok: true, payload: parsed.value, kid, alg };
}

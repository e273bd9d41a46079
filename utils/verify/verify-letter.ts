/**
 * Verifying one `AL1:` code (letter-format.md section 5). Every check runs and every
 * failure is reported, in spec order. Bad input never throws: it becomes a reason code.
 * When the signature cannot be verified the payload is still decoded, so people see what
 * the letter claimed and every claim problem, but the result is never better than the
 * failed signature allows.
 */
import { MAX_TOKEN_LENGTH, tokenFromAl1Text } from './al1-text.ts';
import { CLOCK_SKEW_SECONDS, isClockSuspect } from './clock-check.ts';
import { type AllowedAlg, checkHeader, decodeUtf8, type SplitJws, splitCompactJws } from './compact-jws.ts';
import { findIssuerKey } from './issuer-keys.ts';
import { verifyWithKey } from './jws-signature.ts';
import { readLetterClaims } from './letter-claims.ts';
import { inflateRawExact, LETTER_INFLATE_LIMIT } from './limited-inflate.ts';
import type { Fetcher, VerifierStore } from './ports.ts';
import { keyFitsAlg } from './public-jwk.ts';
import { overallVerdict, type ReasonCode, sortReasons } from './reason-codes.ts';
import { isRegionCode, regionContains } from './region.ts';
import { findIssuer, isRegistryStale, type RegistryIssuer, type VerifiedRegistry } from './registry.ts';
import { checkLetterStatus } from './status-list.ts';
import { parseStrictJson } from './strict-json.ts';
import { tolerantFetcher, tolerantStore } from './tolerant-ports.ts';
import type { LetterClaims, Verdict, VerdictFacts } from './verdict.ts';

/** RFC 8725 section 3.11: a letter's explicit type. */
export const LETTER_TYP = 'al+jwt';

const DAY_SECONDS = 86_400;

export interface VerifyOptions {
  currentDate: Date;
  registry: VerifiedRegistry | null;
  store: VerifierStore;
  /** null means offline: nothing is fetched at all. */
  fetcher: Fetcher | null;
  /** The checker's own region code (6 or 9 digits), for REGION_MISMATCH. */
  localRegion?: string | null;
}

type Decoded = {
  jws: SplitJws | null;
  claims: LetterClaims | null;
  reasons: Set<ReasonCode>;
  /** The header's alg when it is an allowed one (other header problems may remain). */
  alg: AllowedAlg | null;
  /** The alg the verdict reports: set only when the whole header passed its checks. */
  shownAlg: AllowedAlg | null;
};

/** Steps 1-2: size, serialization, header allow-list, payload decoding and claim types. */
function decodeLetter(al1Text: string): Decoded {
  const reasons = new Set<ReasonCode>();
  const token = tokenFromAl1Text(al1Text);
  if (token === null || token.length > MAX_TOKEN_LENGTH) {
    reasons.add('MALFORMED');
    return { jws: null, claims: null, reasons, alg: null, shownAlg: null };
  }
  const split = splitCompactJws(token);
  if (!split.ok) {
    reasons.add('MALFORMED');
    return { jws: null, claims: null, reasons, alg: null, shownAlg: null };
  }
  const { header, payloadBytes } = split.jws;
  const headerProblems = checkHeader(header, { typ: LETTER_TYP, allowZip: true });
  if (headerProblems.length > 0) reasons.add('HEADER_REJECTED');
  const alg = headerProblems.some((p) => p.kind === 'alg') ? null : (header.alg as AllowedAlg);
  const shownAlg = headerProblems.length === 0 ? alg : null;

  let bytes: Uint8Array | null = payloadBytes;
  if (header.zip !== undefined) {
    // Only `DEF` is inflated; another value is already HEADER_REJECTED and the bytes stay unread.
    if (header.zip === 'DEF') {
      // Exactly one DEFLATE stream: bytes after its end would be signed but never read.
      const inflated = inflateRawExact(payloadBytes, LETTER_INFLATE_LIMIT);
      bytes = inflated.ok ? inflated.bytes : null;
    } else {
      bytes = null;
    }
  } else if (payloadBytes.length > LETTER_INFLATE_LIMIT) {
    bytes = null;
  }
  const text = bytes ? decodeUtf8(bytes) : null;
  const parsed = text === null ? null : parseStrictJson(text);
  if (!parsed?.ok) {
    if (header.zip === undefined || header.zip === 'DEF') reasons.add('MALFORMED');
    return { jws: split.jws, claims: null, reasons, alg, shownAlg };
  }
  const read = readLetterClaims(parsed.value);
  if (read.problems.length > 0) reasons.add('MALFORMED');
  return { jws: split.jws, claims: read.claims, reasons, alg, shownAlg };
}

function emptyFacts(currentDate: Date): VerdictFacts {
  return {
    issuerName: null,
    issuerContact: null,
    issuerJurisdiction: [],
    scopes: [],
    registry: null,
    status: { state: 'not-checked', checkedAt: null },
    clockSuspect: false,
    checkedAt: currentDate.getTime(),
    signatureUnavailable: null,
  };
}

/** Scope, region and validity rules that need the registry (section 5). */
function checkAgainstRegistry(claims: LetterClaims, issuer: RegistryIssuer, registry: VerifiedRegistry): ReasonCode[] {
  const reasons: ReasonCode[] = [];
  const catalog = registry.payload.scopes;
  let permitted = true;
  let maxDays = Number.POSITIVE_INFINITY;
  for (const id of claims.scope) {
    const scope = catalog.find((s) => s.id === id);
    if (!scope || !issuer.scopes.includes(id)) permitted = false;
    if (scope && scope.max_days !== null) maxDays = Math.min(maxDays, scope.max_days);
  }
  if (!permitted) reasons.push('SCOPE_NOT_PERMITTED');
  if (!claims.region.every((code) => issuer.jurisdiction.some((outer) => regionContains(outer, code)))) {
    reasons.push('REGION_NOT_PERMITTED');
  }
  // The smallest max_days among the letter's known scopes (section 5, VALIDITY_TOO_LONG).
  if (claims.exp - claims.nbf > maxDays * DAY_SECONDS) reasons.push('VALIDITY_TOO_LONG');
  return reasons;
}

/**
 * Verifies one `AL1:` code against the registry, the issuer's keys and its status list.
 * Never throws for bad input; an unexpected internal error still yields `invalid`.
 *
 * @example
 * const verdict = await verifyLetter(qrText, { currentDate: new Date(), registry, store, fetcher: null });
 * verdict.verdict; // 'valid' | 'warning' | 'invalid'
 * verdict.reasons; // e.g. ['EXPIRED']
 */
export async function verifyLetter(al1Text: string, given: VerifyOptions): Promise<Verdict> {
  const options = { ...given, store: tolerantStore(given.store), fetcher: tolerantFetcher(given.fetcher) };
  const facts = emptyFacts(options.currentDate);
  let decoded: Decoded | null = null;
  try {
    decoded = decodeLetter(al1Text);
    await runChecks(decoded, options, facts);
  } catch {
    // A bug, not an expected failure: it must never read as valid (style.md, "The verdict").
    decoded ??= { jws: null, claims: null, reasons: new Set(), alg: null, shownAlg: null };
    decoded.reasons.add(decoded.claims ? 'SIGNATURE_INVALID' : 'MALFORMED');
  }
  try {
    facts.clockSuspect = await isClockSuspect(options.store, options.currentDate);
  } catch {
    facts.clockSuspect = false;
  }
  const reasons = sortReasons(decoded.reasons);
  return { verdict: overallVerdict(reasons), reasons, letter: decoded.claims, facts, alg: decoded.shownAlg };
}

async function runChecks(decoded: Decoded, options: VerifyOptions, facts: VerdictFacts): Promise<void> {
  const { reasons, claims, jws, alg } = decoded;
  const { registry, currentDate } = options;
  const now = currentDate.getTime() / 1000;
  const context = { store: options.store, fetcher: options.fetcher, currentDate };

  if (!registry) reasons.add('NO_REGISTRY');
  else {
    const stale = isRegistryStale(registry, currentDate);
    facts.registry = { iss: registry.iss, version: registry.version, stale, exp: registry.exp };
    if (stale) reasons.add('REGISTRY_STALE');
  }
  if (!claims || !jws) return;

  const issuer = registry ? findIssuer(registry, claims.iss) : null;
  if (registry) {
    facts.scopes = claims.scope.map((id) => {
      const scope = registry.payload.scopes.find((s) => s.id === id);
      return { id, label: scope?.label ?? null, excludes: scope?.excludes ?? [] };
    });
  }
  let signatureVerified = false;
  if (registry && !issuer) reasons.add('ISSUER_UNKNOWN');
  if (issuer) {
    facts.issuerName = issuer.name;
    facts.issuerContact = issuer.contact;
    facts.issuerJurisdiction = [...issuer.jurisdiction];
    if (issuer.state === 'suspended') reasons.add('ISSUER_SUSPENDED');
    const kid = jws.header.kid;
    // Without an allowed alg and a kid the header is already rejected: no key is looked up.
    if (alg && typeof kid === 'string' && kid.length > 0) {
      const lookup = await findIssuerKey(issuer, kid, context);
      if (!lookup.ok) reasons.add(lookup.reason);
      // Also an unusable listed key (off its curve, small order, private members): never used.
      else if (!keyFitsAlg(lookup.key, alg)) reasons.add('KEY_UNKNOWN');
      else {
        const check = await verifyWithKey(jws, lookup.key, alg);
        if (check.ok) signatureVerified = !reasons.has('HEADER_REJECTED');
        else if (check.failure === 'KEY_REJECTED') reasons.add('KEY_UNKNOWN');
        else if (check.failure === 'UNAVAILABLE') {
          // This machine cannot run the algorithm: the key cannot be used here, a warning.
          // Reading it as SIGNATURE_INVALID would call a genuine letter forged (issue 7).
          reasons.add('KEYS_UNAVAILABLE');
          facts.signatureUnavailable = { alg };
        } else reasons.add('SIGNATURE_INVALID');
      }
    }
    for (const code of checkAgainstRegistry(claims, issuer, registry as VerifiedRegistry)) reasons.add(code);
  }

  if (now < claims.nbf - CLOCK_SKEW_SECONDS) reasons.add('NOT_YET_VALID');
  if (now > claims.exp + CLOCK_SKEW_SECONDS) reasons.add('EXPIRED');

  if (issuer) {
    const reference = claims.status?.status_list;
    if (!reference) {
      if (issuer.status_required) reasons.add('STATUS_MISSING');
    } else if (signatureVerified) {
      // The status URI is fetched only for a letter whose signature holds: a forged letter
      // must not make the checker's machine call a server of the forger's choosing.
      const status = await checkLetterStatus(reference, issuer, context);
      facts.status = { state: status.state, checkedAt: status.checkedAt };
      if (status.state === 'revoked' || status.state === 'suspended') reasons.add('REVOKED');
      if (status.state === 'unknown') reasons.add('STATUS_UNKNOWN');
    }
  }

  const localRegion = options.localRegion;
  if (localRegion && isRegionCode(localRegion) && !claims.region.some((code) => regionContains(code, localRegion))) {
    reasons.add('REGION_MISMATCH');
  }
}

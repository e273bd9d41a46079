/**
 * The verdict codes of letter-format.md section 5, in the order the checks run.
 * The order matters: a Verdict lists its reasons in this order.
 */
export const REASON_CODES = [
  'MALFORMED',
  'HEADER_REJECTED',
  'NO_REGISTRY',
  'REGISTRY_STALE',
  'ISSUER_UNKNOWN',
  'ISSUER_SUSPENDED',
  'KEY_UNKNOWN',
  'KEYS_UNAVAILABLE',
  'SIGNATURE_INVALID',
  'SCOPE_NOT_PERMITTED',
  'REGION_NOT_PERMITTED',
  'VALIDITY_TOO_LONG',
  'NOT_YET_VALID',
  'EXPIRED',
  'REVOKED',
  'STATUS_MISSING',
  'STATUS_UNKNOWN',
  'REGION_MISMATCH',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export type Severity = 'invalid' | 'warning';

/** How much each code weighs in the overall verdict (letter-format.md section 5). */
export const REASON_SEVERITY = {
  MALFORMED: 'invalid',
  HEADER_REJECTED: 'invalid',
  NO_REGISTRY: 'warning',
  REGISTRY_STALE: 'warning',
  ISSUER_UNKNOWN: 'invalid',
  ISSUER_SUSPENDED: 'invalid',
  KEY_UNKNOWN: 'invalid',
  KEYS_UNAVAILABLE: 'warning',
  SIGNATURE_INVALID: 'invalid',
  SCOPE_NOT_PERMITTED: 'invalid',
  REGION_NOT_PERMITTED: 'invalid',
  VALIDITY_TOO_LONG: 'invalid',
  NOT_YET_VALID: 'invalid',
  EXPIRED: 'invalid',
  REVOKED: 'invalid',
  STATUS_MISSING: 'invalid',
  STATUS_UNKNOWN: 'warning',
  REGION_MISMATCH: 'warning',
} as const satisfies Record<ReasonCode, Severity>;

/** Sorts codes into spec order and drops repeats. */
export function sortReasons(codes: Iterable<ReasonCode>): ReasonCode[] {
  const seen = new Set(codes);
  return REASON_CODES.filter((code) => seen.has(code));
}

/** `invalid` if any code says invalid, else `warning` if any says warning, else `valid`. */
export function overallVerdict(codes: readonly ReasonCode[]): 'valid' | 'warning' | 'invalid' {
  if (codes.some((code) => REASON_SEVERITY[code] === 'invalid')) return 'invalid';
  if (codes.length > 0) return 'warning';
  return 'valid';
}

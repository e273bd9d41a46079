/**
 * The one table from jose's error codes to what they mean for a verdict.
 *
 * Compared by `err.code`, never by class name: the production minifier renames classes.
 * `satisfies Record<errors.JOSEErrorCode, …>` makes a new upstream code without a mapping
 * fail to compile.
 */
import type { errors } from 'jose';

/** What a failed `compactVerify` means for the token being checked. */
export type JoseFailure = 'SIGNATURE_INVALID' | 'HEADER_REJECTED' | 'MALFORMED' | 'KEY_REJECTED';

export const JOSE_ERROR_MEANING = {
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'SIGNATURE_INVALID',
  ERR_JOSE_ALG_NOT_ALLOWED: 'HEADER_REJECTED',
  ERR_JOSE_NOT_SUPPORTED: 'HEADER_REJECTED',
  ERR_JWS_INVALID: 'MALFORMED',
  ERR_JWT_INVALID: 'MALFORMED',
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'MALFORMED',
  ERR_JWT_EXPIRED: 'MALFORMED',
  ERR_JWE_INVALID: 'MALFORMED',
  ERR_JWE_DECRYPTION_FAILED: 'MALFORMED',
  ERR_JWK_INVALID: 'KEY_REJECTED',
  ERR_JWKS_INVALID: 'KEY_REJECTED',
  ERR_JWKS_NO_MATCHING_KEY: 'KEY_REJECTED',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'KEY_REJECTED',
  ERR_JWKS_TIMEOUT: 'KEY_REJECTED',
  ERR_JOSE_GENERIC: 'SIGNATURE_INVALID',
} as const satisfies Record<errors.JOSEErrorCode, JoseFailure>;

/**
 * The meaning of anything `compactVerify` or `importJWK` threw. An unknown error (a
 * WebCrypto `DataError`, say) counts as a failed signature: it must never read as valid.
 *
 * @example joseFailure({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }) // 'SIGNATURE_INVALID'
 */
export function joseFailure(error: unknown): JoseFailure {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && Object.hasOwn(JOSE_ERROR_MEANING, code)) {
    return JOSE_ERROR_MEANING[code as keyof typeof JOSE_ERROR_MEANING];
  }
  return 'SIGNATURE_INVALID';
}

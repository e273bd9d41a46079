/**
 * Making and updating status lists (letter-format.md section 3): a bit array with 1 or 2
 * bits per letter, ZLIB-compressed, signed as a `statuslist+jwt` by the issuer's key.
 */
import { unzlibSync, zlibSync } from 'fflate';
import { base64url } from 'jose';
import type { PrivateSigningJwk } from './keys.ts';
import { jsonBytes, signCompact } from './sign-compact.ts';

export type StatusName = 'valid' | 'revoked' | 'suspended';

export interface StatusListDraft {
  uri: string;
  bits: 1 | 2;
  bytes: Uint8Array;
}

const VALUES: Record<StatusName, number> = { valid: 0, revoked: 1, suspended: 2 };

/**
 * An all-valid list with room for `size` letters.
 *
 * @example makeStatusList({ uri: 'https://example.gov.cn/status/1', bits: 2, size: 1024 })
 */
export function makeStatusList(options: { uri: string; bits: 1 | 2; size: number }): StatusListDraft {
  if (!Number.isInteger(options.size) || options.size <= 0) throw new Error('size must be a positive whole number');
  return { uri: options.uri, bits: options.bits, bytes: new Uint8Array(Math.ceil((options.size * options.bits) / 8)) };
}

/**
 * A copy of the list with entry `idx` set. Suspension needs a 2-bit list.
 *
 * @example setStatus(list, 17, 'revoked')
 */
export function setStatus(list: StatusListDraft, idx: number, status: StatusName): StatusListDraft {
  const value = VALUES[status];
  if (status === 'suspended' && list.bits !== 2) throw new Error('suspension needs a 2-bit status list');
  const bitOffset = idx * list.bits;
  const at = Math.floor(bitOffset / 8);
  if (!Number.isInteger(idx) || idx < 0 || at >= list.bytes.length) {
    throw new Error(`index ${idx} is outside the list (size ${(list.bytes.length * 8) / list.bits})`);
  }
  const bytes = list.bytes.slice();
  const shift = bitOffset % 8;
  const mask = ((1 << list.bits) - 1) << shift;
  bytes[at] = ((bytes[at] as number) & ~mask) | (value << shift);
  return { ...list, bytes };
}

/**
 * Signs the list. `ttl` tells verifiers how long they may reuse it without asking again.
 *
 * @example await signStatusList(list, key.privateJwk, { now, ttl: 3600, validSeconds: 86400 })
 */
export async function signStatusList(
  list: StatusListDraft,
  key: PrivateSigningJwk,
  options: { now: number; ttl?: number; validSeconds?: number },
): Promise<string> {
  const iat = Math.floor(options.now);
  const payload = {
    sub: list.uri,
    iat,
    exp: iat + (options.validSeconds ?? 7 * 86_400),
    ttl: options.ttl ?? 3600,
    status_list: { bits: list.bits, lst: base64url.encode(zlibSync(list.bytes, { level: 9 })) },
  };
  return signCompact({ typ: 'statuslist+jwt' }, jsonBytes(payload), key);
}

/** Reads back the issuer's own status list token (no verification: it is the issuer's file). */
export function readStatusListToken(jws: string): StatusListDraft {
  const part = jws.trim().split('.')[1];
  if (!part) throw new Error('not a compact JWS');
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(part))) as {
    sub?: unknown;
    status_list?: { bits?: unknown; lst?: unknown };
  };
  const bits = payload.status_list?.bits;
  const lst = payload.status_list?.lst;
  if (typeof payload.sub !== 'string' || (bits !== 1 && bits !== 2) || typeof lst !== 'string') {
    throw new Error('not a status list token');
  }
  return { uri: payload.sub, bits, bytes: unzlibSync(base64url.decode(lst)) };
}

/**
 * Applies changes (revoke, suspend, reinstate) to a signed list and signs it again.
 *
 * @example await updateStatusList(jws, [{ idx: 17, status: 'revoked' }], key.privateJwk, { now })
 */
export async function updateStatusList(
  jws: string,
  changes: readonly { idx: number; status: StatusName }[],
  key: PrivateSigningJwk,
  options: { now: number; ttl?: number; validSeconds?: number },
): Promise<string> {
  let list = readStatusListToken(jws);
  for (const change of changes) list = setStatus(list, change.idx, change.status);
  return signStatusList(list, key, options);
}

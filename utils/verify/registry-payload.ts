/**
 * The shape of the registry payload (letter-format.md section 2), read field by field.
 * Anything not matching is malformed: a registry decides who may sign, so nothing in it
 * is guessed.
 */

import { isNumericDate } from './numeric-date.ts';
import { type PublicJwk, readJwks } from './public-jwk.ts';
import { isJsonObject, type JsonValue } from './strict-json.ts';
import type { LocalizedText } from './verdict.ts';

export interface RegistryScope {
  id: string;
  label: LocalizedText;
  excludes: LocalizedText[];
  /** The longest validity a letter with this scope may have, in days; null when unlimited. */
  max_days: number | null;
}

export interface RegistryIssuer {
  id: string;
  name: LocalizedText;
  jurisdiction: string[];
  scopes: string[];
  /** Inline keys (only EC P-256 and Ed25519 public keys are kept). */
  jwks: PublicJwk[];
  jwks_uri: string | null;
  status_required: boolean;
  contact: { phone?: string; url?: string } | null;
  state: 'active' | 'suspended';
}

export interface RegistryPayload {
  iss: string;
  version: number;
  iat: number;
  exp: number;
  scopes: RegistryScope[];
  issuers: RegistryIssuer[];
}

export type PayloadRead<T> = { ok: true; value: T } | { ok: false; error: string };

const REGION_CODE = /^(\d{6}|\d{9})$/;

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function readLocalized(value: JsonValue | undefined): LocalizedText | null {
  if (!isJsonObject(value)) return null;
  const zh = value['zh-CN'];
  const en = value.en;
  if (typeof zh !== 'string' || typeof en !== 'string') return null;
  return { 'zh-CN': zh, en };
}

function readStringArray(value: JsonValue | undefined): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.every(isString) ? (value as string[]) : null;
}

function readScope(value: JsonValue, at: string): PayloadRead<RegistryScope> {
  if (!isJsonObject(value)) return { ok: false, error: `${at} is not an object` };
  if (!isString(value.id)) return { ok: false, error: `${at}.id` };
  const label = readLocalized(value.label);
  if (!label) return { ok: false, error: `${at}.label` };
  const excludes: LocalizedText[] = [];
  if (value.excludes !== undefined) {
    if (!Array.isArray(value.excludes)) return { ok: false, error: `${at}.excludes` };
    for (const item of value.excludes) {
      const text = readLocalized(item);
      if (!text) return { ok: false, error: `${at}.excludes` };
      excludes.push(text);
    }
  }
  let maxDays: number | null = null;
  if (value.max_days !== undefined) {
    if (typeof value.max_days !== 'number' || !Number.isInteger(value.max_days) || value.max_days <= 0) {
      return { ok: false, error: `${at}.max_days` };
    }
    maxDays = value.max_days;
  }
  return { ok: true, value: { id: value.id, label, excludes, max_days: maxDays } };
}

function readIssuer(value: JsonValue, at: string): PayloadRead<RegistryIssuer> {
  if (!isJsonObject(value)) return { ok: false, error: `${at} is not an object` };
  if (!isString(value.id)) return { ok: false, error: `${at}.id` };
  const name = readLocalized(value.name);
  if (!name) return { ok: false, error: `${at}.name` };
  const jurisdiction = readStringArray(value.jurisdiction);
  if (!jurisdiction?.every((code) => REGION_CODE.test(code))) {
    return { ok: false, error: `${at}.jurisdiction` };
  }
  const scopes = readStringArray(value.scopes);
  if (!scopes) return { ok: false, error: `${at}.scopes` };
  let jwks: PublicJwk[] = [];
  if (value.jwks !== undefined) {
    const keys = readJwks(value.jwks);
    if (!keys) return { ok: false, error: `${at}.jwks` };
    jwks = keys;
  }
  let jwksUri: string | null = null;
  if (value.jwks_uri !== undefined) {
    if (!isString(value.jwks_uri)) return { ok: false, error: `${at}.jwks_uri` };
    jwksUri = value.jwks_uri;
  }
  if (value.jwks === undefined && jwksUri === null) return { ok: false, error: `${at} has neither jwks nor jwks_uri` };
  if (value.status_required !== undefined && typeof value.status_required !== 'boolean') {
    return { ok: false, error: `${at}.status_required` };
  }
  let contact: RegistryIssuer['contact'] = null;
  if (value.contact !== undefined) {
    if (!isJsonObject(value.contact)) return { ok: false, error: `${at}.contact` };
    const { phone, url } = value.contact;
    if ((phone !== undefined && typeof phone !== 'string') || (url !== undefined && typeof url !== 'string')) {
      return { ok: false, error: `${at}.contact` };
    }
    contact = { ...(phone !== undefined ? { phone } : {}), ...(url !== undefined ? { url } : {}) };
  }
  // Absent means active; any other value, null included, is malformed (never read as active).
  const state = value.state === undefined ? 'active' : value.state;
  if (state !== 'active' && state !== 'suspended') return { ok: false, error: `${at}.state` };
  return {
    ok: true,
    value: {
      id: value.id,
      name,
      jurisdiction,
      scopes,
      jwks,
      jwks_uri: jwksUri,
      status_required: value.status_required === true,
      contact,
      state,
    },
  };
}

/**
 * Reads a decoded registry payload; every field is checked for type.
 *
 * @example readRegistryPayload(JSON.parse(text))
 */
export function readRegistryPayload(value: JsonValue): PayloadRead<RegistryPayload> {
  if (!isJsonObject(value)) return { ok: false, error: 'payload is not an object' };
  const { iss, version, iat, exp } = value;
  if (!isString(iss)) return { ok: false, error: 'iss' };
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    return { ok: false, error: 'version' };
  }
  if (!isNumericDate(iat)) return { ok: false, error: 'iat' };
  if (!isNumericDate(exp)) return { ok: false, error: 'exp' };
  if (!Array.isArray(value.scopes)) return { ok: false, error: 'scopes' };
  if (!Array.isArray(value.issuers)) return { ok: false, error: 'issuers' };
  const scopes: RegistryScope[] = [];
  for (const [i, item] of value.scopes.entries()) {
    const read = readScope(item, `scopes[${i}]`);
    if (!read.ok) return read;
    if (scopes.some((s) => s.id === read.value.id)) return { ok: false, error: `scopes[${i}].id repeated` };
    scopes.push(read.value);
  }
  const issuers: RegistryIssuer[] = [];
  for (const [i, item] of value.issuers.entries()) {
    const read = readIssuer(item, `issuers[${i}]`);
    if (!read.ok) return read;
    if (issuers.some((s) => s.id === read.value.id)) return { ok: false, error: `issuers[${i}].id repeated` };
    issuers.push(read.value);
  }
  return { ok: true, value: { iss, version, iat, exp, scopes, issuers } };
}

/**
 * Checks what a user typed on the options page before it is saved: a wrong registry URL
 * or key would silently turn every verdict into "check first", and a private key pasted
 * here would be a leak, so each mistake gets its own plain message.
 */
import { type Locale, t } from '../i18n/i18n.ts';
import { readPublicJwk } from '../verify/public-jwk.ts';
import { isFetchAllowed } from '../verify/url-policy.ts';

/** The form's text fields as typed. */
export interface OptionsInput {
  registryUrl: string;
  rootKeys: string;
  region: string;
}

export type OptionsField = keyof OptionsInput;

/** Messages by field, in the user's language; empty when everything is fine. */
export type OptionsErrors = Partial<Record<OptionsField, string>>;

/**
 * Why a registry URL is refused, or null. Empty is allowed only when no root key is set
 * either (nothing configured yet).
 *
 * @example registryUrlProblem('http://example.gov.cn/r.jws', 'zh-CN') // '地址必须以 https:// 开头…'
 */
export function registryUrlProblem(url: string, locale: Locale): string | null {
  if (url === '') return t(locale, 'ui.options.error.registryEmpty');
  // Not URL.canParse: 360 and QQ browsers ship Chromium builds older than 120.
  try {
    new URL(url);
  } catch {
    return t(locale, 'ui.options.error.registryUrl');
  }
  // Section 4 of the letter format: https, or http only on loopback; no credentials.
  if (!isFetchAllowed(url)) return t(locale, 'ui.options.error.registryScheme');
  return null;
}

function keyProblem(key: unknown, locale: Locale): string | null {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return t(locale, 'ui.options.error.keyType');
  const k = key as Record<string, unknown>;
  if ('d' in k) return t(locale, 'ui.options.error.keyPrivate');
  const ec = k.kty === 'EC' && k.crv === 'P-256';
  const okp = k.kty === 'OKP' && k.crv === 'Ed25519';
  if (!ec && !okp) return t(locale, 'ui.options.error.keyType');
  if (typeof k.kid !== 'string' || k.kid === '') return t(locale, 'ui.options.error.keyKid');
  if (typeof k.x !== 'string' || (ec && typeof k.y !== 'string')) return t(locale, 'ui.options.error.keyCoords');
  return readPublicJwk(k) ? null : t(locale, 'ui.options.error.keyType');
}

/**
 * Why a root JWKS text is refused, or null: JSON, `{"keys": [...]}` with at least one key,
 * each an EC P-256 or Ed25519 *public* key with a `kid`.
 *
 * @example rootKeysProblem('{"keys": []}', 'zh-CN') // '根公钥必须是 {"keys": [...]} 格式，且至少有一个公钥。'
 */
export function rootKeysProblem(text: string, locale: Locale): string | null {
  if (text.trim() === '') return t(locale, 'ui.options.error.rootKeysEmpty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return t(locale, 'ui.options.error.rootKeysJson', { detail: (error as Error).message });
  }
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (typeof value !== 'object' || value === null || !Array.isArray(keys) || keys.length === 0) {
    return t(locale, 'ui.options.error.rootKeysShape');
  }
  for (const [index, key] of keys.entries()) {
    const problem = keyProblem(key, locale);
    if (problem) return t(locale, 'ui.options.error.rootKeysKey', { n: index + 1, detail: problem });
  }
  return null;
}

/** Why a region code is refused, or null (empty means "not set"). */
export function regionProblem(region: string, locale: Locale): string | null {
  if (region === '' || /^\d{6}(\d{3})?$/.test(region)) return null;
  return t(locale, 'ui.options.error.region');
}

/**
 * Validates the whole form. Fields policy has locked are not the user's to fix and are
 * skipped. Registry URL and root keys are both required once either is filled in.
 *
 * @example validateOptions({ registryUrl: '', rootKeys: '', region: '411381' }, 'zh-CN') // {}
 */
export function validateOptions(
  input: OptionsInput,
  locale: Locale,
  locked: Partial<Record<OptionsField, boolean>> = {},
): OptionsErrors {
  const value = { registryUrl: input.registryUrl.trim(), rootKeys: input.rootKeys.trim(), region: input.region.trim() };
  const errors: OptionsErrors = {};
  const configured = value.registryUrl !== '' || value.rootKeys !== '';
  const problems: Record<OptionsField, string | null> = {
    registryUrl: configured ? registryUrlProblem(value.registryUrl, locale) : null,
    rootKeys: configured ? rootKeysProblem(value.rootKeys, locale) : null,
    region: regionProblem(value.region, locale),
  };
  for (const field of ['registryUrl', 'rootKeys', 'region'] as const) {
    const problem = problems[field];
    if (problem && !locked[field]) errors[field] = problem;
  }
  return errors;
}

/**
 * The root of trust for one CLI run: the root public keys from a local file, then the
 * registry they sign, from a file or a URL (cached). Unusable keys or a refused registry
 * stop the run (exit 2, cli.md); an unreachable registry with nothing cached does not,
 * because the verdicts then say NO_REGISTRY themselves, nor a fresh copy that contradicts
 * the held one (equivocation: the held copy stays in use, with a note).
 */
import { readFile } from 'node:fs/promises';
import type { LocalizedMessage } from '../../utils/check/document-check.ts';
import { formatDateTime, type Locale, t } from '../../utils/i18n/i18n.ts';
import type { Fetcher, VerifierStore } from '../../utils/verify/ports.ts';
import { readRootJwks, type VerifiedRegistry } from '../../utils/verify/registry.ts';
import { obtainRegistry } from '../../utils/verify/registry-source.ts';
import { isFetchAllowed } from '../../utils/verify/url-policy.ts';
import { isUrl } from './defaults.ts';

export interface TrustInputs {
  /** Absolute path, or URL. */
  registry: string;
  /** Absolute path of a JWKS file. */
  rootKeys: string;
  /** How to name the registry in messages (as the user wrote it). */
  registryLabel: string;
  rootKeysLabel: string;
  store: VerifierStore;
  fetcher: Fetcher | null;
  currentDate: Date;
  /** Parts of messages (why a file could not be read) are filled in, translated, here. */
  locale: Locale;
}

/** Problems of a fetched registry after which the held copy goes on being used. */
const KEPT_AFTER: ReadonlySet<string> = new Set([
  'REGISTRY_MALFORMED',
  'REGISTRY_HEADER_REJECTED',
  'REGISTRY_KEY_UNKNOWN',
  'REGISTRY_SIGNATURE_INVALID',
]);

export type TrustResult =
  | { ok: true; registry: VerifiedRegistry | null; notes: LocalizedMessage[] }
  | { ok: false; error: LocalizedMessage };

/**
 * Loads the root keys and obtains the registry.
 *
 * @example await loadTrust({ registry: '/etc/yanzhen/registry.jws', rootKeys: '/etc/yanzhen/root.jwks', ... })
 */
export async function loadTrust(inputs: TrustInputs): Promise<TrustResult> {
  const { registryLabel: source, locale } = inputs;
  const rootText = await readText(inputs.rootKeys, locale);
  if ('error' in rootText) {
    return {
      ok: false,
      error: { key: 'cli.rootKeys.unreadable', params: { path: inputs.rootKeysLabel, reason: rootText.error } },
    };
  }
  if (readRootJwks(rootText.text) === null) {
    return { ok: false, error: { key: 'cli.rootKeys.invalid', params: { path: inputs.rootKeysLabel } } };
  }

  let registrySource: { url: string } | { jws: string };
  if (isUrl(inputs.registry)) {
    if (!isFetchAllowed(inputs.registry)) {
      return { ok: false, error: { key: 'cli.registry.urlRejected', params: { url: source } } };
    }
    registrySource = { url: inputs.registry };
  } else {
    const text = await readText(inputs.registry, locale);
    if ('error' in text) {
      return { ok: false, error: { key: 'cli.registry.unreadable', params: { path: source, reason: text.error } } };
    }
    registrySource = { jws: text.text };
  }

  const obtained = await obtainRegistry({
    source: registrySource,
    rootJwks: rootText.text,
    store: inputs.store,
    fetcher: inputs.fetcher,
    currentDate: inputs.currentDate,
  });
  const notes: LocalizedMessage[] = [];
  if (obtained.problem === 'REGISTRY_INCONSISTENT' && obtained.registry !== null && obtained.fetchedAt !== null) {
    // Section 2: another registry under the version held is refused, and the held one stays in use.
    notes.push({
      key: 'cli.registry.inconsistentKept',
      params: { source, time: formatDateTime(locale, obtained.fetchedAt) },
    });
    return { ok: true, registry: obtained.registry, notes };
  }
  // Section 4: a verifier "never refuses a registry it holds because a fetch went wrong". A
  // fetched registry that fails its own checks (signed by no root key, altered, malformed)
  // is refused, and the held copy, verified under the root keys, stays in use, with a note.
  // A rollback still stops the run (cli.md: a lower version is refused, exit 2).
  if (
    obtained.problem !== null &&
    KEPT_AFTER.has(obtained.problem) &&
    obtained.registry !== null &&
    obtained.fromCache &&
    obtained.fetchedAt !== null
  ) {
    notes.push({
      key: 'cli.registry.refusedKept',
      params: {
        source,
        reason: t(locale, `core.registryProblem.${obtained.problem}`),
        time: formatDateTime(locale, obtained.fetchedAt),
      },
    });
    return { ok: true, registry: obtained.registry, notes };
  }
  if (obtained.problem !== null && obtained.problem !== 'REGISTRY_UNREACHABLE') {
    return { ok: false, error: { key: `cli.registry.${obtained.problem}`, params: { source } } };
  }
  if (obtained.problem === 'REGISTRY_UNREACHABLE' && obtained.registry === null) {
    notes.push({
      key: 'cli.registry.unreachable',
      params: { source, reason: t(locale, `cli.fetch.${obtained.failure ?? 'OFFLINE'}`) },
    });
  } else if (obtained.fromCache && obtained.fetchedAt !== null) {
    notes.push({ key: 'cli.registry.fromCache', params: { time: formatDateTime(locale, obtained.fetchedAt) } });
  }
  return { ok: true, registry: obtained.registry, notes };
}

async function readText(path: string, locale: Locale): Promise<{ text: string } | { error: string }> {
  try {
    return { text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { error: t(locale, 'cli.fs.notFound') };
    if (code === 'EACCES' || code === 'EPERM') return { error: t(locale, 'cli.fs.noPermission') };
    if (code === 'EISDIR') return { error: t(locale, 'cli.fs.isFolder') };
    return { error: t(locale, 'cli.fs.other', { detail: typeof code === 'string' ? code : String(error) }) };
  }
}

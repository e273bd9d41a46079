/**
 * "The project's configured default" registry and root keys (cli.md options table).
 * There is no built-in root key: trust must be configured by whoever deploys the CLI, and
 * a key compiled into this repository would be trusted by every copy of it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { LocalizedMessage } from '../../utils/check/document-check.ts';
import { DEMO_REGISTRY_URL } from '../demo/demo-config.ts';
import { demoRootJwksText } from '../demo/demo-keys.ts';
import { buildDemoWorld } from '../demo/demo-world.ts';

export const CONFIG_FILE_NAME = 'yanzhen.config.json';

/** Where the registry and root keys come from; paths are absolute, URLs as given. */
export interface TrustSettings {
  registry: string | null;
  rootKeys: string | null;
}

export type DefaultsResult = { ok: true; defaults: TrustSettings } | { ok: false; error: LocalizedMessage };

/** The config file's path: `yanzhen.config.json` in the cache folder. */
export function configFilePath(cacheDir: string): string {
  return join(cacheDir, CONFIG_FILE_NAME);
}

/** A registry given as a URL rather than a file (any `scheme:` prefix; the fetcher then decides if it is allowed). */
export function isUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/**
 * Reads the configured defaults: the environment variables `YANZHEN_REGISTRY` and
 * `YANZHEN_ROOT_KEYS` win over `{"registry": ..., "rootKeys": ...}` in the config file.
 * Relative paths in variables are relative to `cwd`; in the config file, to the file's
 * folder. A missing config file is normal; a broken one is an error (it was meant to say
 * something). Either value may be null: the caller asks for the option it needs.
 *
 * @example await configuredDefaults(process.env, process.cwd(), defaultCacheDir())
 */
export async function configuredDefaults(
  env: Record<string, string | undefined>,
  cwd: string,
  cacheDir: string,
): Promise<DefaultsResult> {
  const configPath = configFilePath(cacheDir);
  let fromFile: TrustSettings = { registry: null, rootKeys: null };
  let text: string | null = null;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // No file, or no folder where the cache should be: nothing configured (an unusable
    // cache folder is reported by the caller, which must write to it).
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      return { ok: false, error: { key: 'cli.config.badFile', params: { config: configPath } } };
    }
  }
  if (text !== null) {
    const parsed = readConfig(text);
    if (parsed === null) return { ok: false, error: { key: 'cli.config.badFile', params: { config: configPath } } };
    const base = dirname(configPath);
    fromFile = {
      registry: parsed.registry === null ? null : pathOrUrl(parsed.registry, base),
      rootKeys: parsed.rootKeys === null ? null : resolve(base, parsed.rootKeys),
    };
  }
  const envRegistry = nonEmpty(env.YANZHEN_REGISTRY);
  const envRootKeys = nonEmpty(env.YANZHEN_ROOT_KEYS);
  return {
    ok: true,
    defaults: {
      registry: envRegistry === null ? fromFile.registry : pathOrUrl(envRegistry, cwd),
      rootKeys: envRootKeys === null ? fromFile.rootKeys : resolve(cwd, envRootKeys),
    },
  };
}

/** A registry source as the user wrote it, resolved: URLs stay, paths become absolute. */
export function pathOrUrl(value: string, base: string): string {
  return isUrl(value) ? value : resolve(base, value);
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

function readConfig(text: string): TrustSettings | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { registry = null, rootKeys = null } = value as Record<string, unknown>;
  const ok = (v: unknown) => v === null || (typeof v === 'string' && v.trim() !== '');
  if (!ok(registry) || !ok(rootKeys)) return null;
  return { registry: registry as string | null, rootKeys: rootKeys as string | null };
}

/**
 * Where `--demo` keeps its own registry, root keys and cache, apart from the real ones.
 *
 * @example demoCacheDir('/home/me/.cache/yanzhen') // '/home/me/.cache/yanzhen/demo'
 */
export function demoCacheDir(cacheDir: string): string {
  return join(cacheDir, 'demo');
}

/** The demo trust `--demo` runs with: files in the demo folder, and the demo servers' origin. */
export interface DemoTrust {
  registry: string;
  rootKeys: string;
  /** Where the demo status lists are served (`npm start`), e.g. http://127.0.0.1:47311. */
  origin: string;
}

/**
 * `--demo` (cli.md): the bundled demo registry and root keys, so anyone can try the CLI on
 * the demo portal's attachments without deriving the demo root key by hand (issue 11).
 * The registry is signed here with the committed DEMO-ONLY root key, for the origin the
 * demo servers use (`YANZHEN_DEMO_REGISTRY_URL`, as `npm start` sets it when the usual port
 * is taken), so its issuers and status-list addresses are the portal's. Its version grows
 * with the real clock (never `--at`), so a later run never looks like a rollback. Everything
 * lives in `demoDir`, a cache of its own: the demo root never meets the real trust or the
 * real rollback floor.
 *
 * @example const demo = await demoTrust(demoCacheDir(cacheDir), process.env, new Date())
 */
export async function demoTrust(
  demoDir: string,
  env: Record<string, string | undefined>,
  now: Date,
): Promise<DemoTrust> {
  const origin = new URL(nonEmpty(env.YANZHEN_DEMO_REGISTRY_URL) ?? DEMO_REGISTRY_URL).origin;
  await mkdir(demoDir, { recursive: true, mode: 0o700 });
  const registry = join(demoDir, 'demo-registry.jws');
  const rootKeys = join(demoDir, 'demo-root.jwks');
  await writeFile(rootKeys, demoRootJwksText());
  // The version counts minutes and every signing gives other bytes: a second run within the
  // same minute must keep the registry it wrote, or the CLI rightly refuses it as an
  // equivocating source (same version, different bytes). A new one is always newer.
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const held = await heldDemoRegistry(registry);
  if (held && held.version === Math.floor(nowSeconds / 60) && held.origin === origin) {
    return { registry, rootKeys, origin };
  }
  const signedAt = held && held.version >= Math.floor(nowSeconds / 60) ? (held.version + 1) * 60 : nowSeconds;
  const world = await buildDemoWorld(origin, signedAt);
  await writeFile(registry, world.registryJws);
  return { registry, rootKeys, origin };
}

/**
 * The version and portal origin of the demo registry a previous run wrote, or null. Read
 * without checking the signature: this only decides whether to sign a new one; the CLI
 * verifies whatever file it is given.
 */
async function heldDemoRegistry(path: string): Promise<{ version: number; origin: string } | null> {
  try {
    const payload = JSON.parse(Buffer.from((await readFile(path, 'utf8')).split('.')[1] ?? '', 'base64url').toString());
    const url = payload?.issuers?.[0]?.contact?.url;
    if (typeof payload?.version !== 'number' || typeof url !== 'string') return null;
    return { version: payload.version, origin: new URL(url).origin };
  } catch {
    return null;
  }
}

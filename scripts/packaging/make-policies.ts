/**
 * `npm run policies -- …`: writes the policy files county IT deploys (policy-files.ts says
 * which file goes where) into `policies/` of the build folder (`.output`, or YANZHEN_OUT_DIR
 * as for every other build step) or `--out <folder>`.
 *
 *     npm run policies -- --registry-url https://hsa.henan.gov.cn/al1/registry.jws \
 *       --root-keys @root-jwks.json --region 411381 \
 *       --crx-url https://it.dengzhou.gov.cn/yanzhen/yanzhen.crx --xpi-url https://it.dengzhou.gov.cn/yanzhen/yanzhen.xpi
 *
 * The extension id comes from `--extension-id`, or from the signing key (`--key`,
 * `YANZHEN_CRX_KEY`). Values are checked with the options page's own rules, so policy can
 * never lock in a registry URL or key the extension would refuse.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { validateOptions } from '../../utils/extension/options-validation.ts';
import { type Locale, resolveLocale } from '../../utils/i18n/i18n.ts';
import { loadSigningKey, REPO_ROOT, testSigningKey } from './crx-key.ts';
import { type PolicyFile, type PolicyOptions, policyFiles } from './policy-files.ts';

export const FIREFOX_ADDON_ID = 'yanzhen@yanzhen.example';

export type PolicyArgs = { ok: true; options: PolicyOptions; out: string } | { ok: false; error: string };

/**
 * Where the Firefox package can be fetched for force-install (`install_url`): a web address,
 * or a `file:///` path on each machine, which Mozilla's ExtensionSettings policy also takes.
 */
function xpiUrl(value: string | undefined): string | null | { error: string } {
  if (value?.startsWith('file:')) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { error: `--xpi-url: not a URL: ${value}` };
    }
    if (url.host !== '' || !url.pathname.endsWith('.xpi'))
      return {
        error: '--xpi-url: a file:/// URL must name the .xpi on each machine, e.g. file:///opt/yanzhen/yanzhen.xpi',
      };
    return url.href;
  }
  return httpUrl('xpi-url', value);
}

function httpUrl(name: string, value: string | undefined): string | null | { error: string } {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: `--${name}: not a URL: ${value}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { error: `--${name}: must be an https:// (or intranet http://) URL` };
  return url.href;
}

/**
 * Parses and checks the arguments. `readText` reads `@file` values (root keys are long).
 *
 * @example parsePolicyArgs(['--registry-url', 'https://…/registry.jws', '--root-keys', '{"keys":[…]}', '--extension-id', 'abc…'])
 */
export function parsePolicyArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  readText: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): PolicyArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        'registry-url': { type: 'string' },
        'root-keys': { type: 'string' },
        region: { type: 'string' },
        locale: { type: 'string' },
        'crx-url': { type: 'string' },
        'update-url': { type: 'string' },
        'xpi-url': { type: 'string' },
        'extension-id': { type: 'string' },
        'firefox-id': { type: 'string' },
        key: { type: 'string' },
        'test-key': { type: 'boolean' },
        version: { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const lang: Locale = resolveLocale([env.LC_ALL, env.LC_MESSAGES, env.LANG]);

  let rootKeys = text('root-keys') ?? '';
  if (rootKeys.startsWith('@')) {
    try {
      rootKeys = readText(rootKeys.slice(1));
    } catch (error) {
      return { ok: false, error: `--root-keys: cannot read ${rootKeys.slice(1)}: ${(error as Error).message}` };
    }
  }
  const managed = {
    registryUrl: (text('registry-url') ?? '').trim(),
    rootKeys: rootKeys.trim(),
    region: (text('region') ?? '').trim(),
  };
  if (managed.registryUrl === '' || managed.rootKeys === '')
    return {
      ok: false,
      error: '--registry-url and --root-keys are both required (the registry and its root public keys)',
    };
  const problems = validateOptions(managed, lang);
  const first = Object.entries(problems)[0];
  if (first)
    return {
      ok: false,
      error: `--${first[0] === 'registryUrl' ? 'registry-url' : first[0] === 'rootKeys' ? 'root-keys' : 'region'}: ${first[1]}`,
    };
  const locale = text('locale');
  if (locale !== undefined && locale !== 'zh-CN' && locale !== 'en')
    return { ok: false, error: '--locale: zh-CN or en' };

  const urls: Record<string, string | null> = {};
  for (const name of ['crx-url', 'update-url', 'xpi-url']) {
    const url = name === 'xpi-url' ? xpiUrl(text(name)) : httpUrl(name, text(name));
    if (url !== null && typeof url === 'object') return { ok: false, error: url.error };
    urls[name] = url;
  }
  const crxUrl = urls['crx-url'] ?? null;
  const updateUrl = urls['update-url'] ?? (crxUrl ? new URL('updates.xml', crxUrl).href : null);

  let chromiumId = text('extension-id');
  if (chromiumId === undefined) {
    try {
      const signing = values['test-key'] ? testSigningKey() : loadSigningKey(text('key'), env);
      chromiumId = signing?.extensionId;
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
  if (!chromiumId)
    return {
      ok: false,
      error: 'the extension id is needed: --extension-id, or the signing key (--key or YANZHEN_CRX_KEY)',
    };
  if (!/^[a-p]{32}$/.test(chromiumId)) return { ok: false, error: `--extension-id: 32 letters a–p, not ${chromiumId}` };

  const version =
    text('version') ??
    (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    ok: true,
    out: resolve(text('out') ?? join(resolve(REPO_ROOT, env.YANZHEN_OUT_DIR || '.output'), 'policies')),
    options: {
      managed: { ...managed, ...(locale ? { locale } : {}) },
      chromiumId,
      firefoxId: text('firefox-id') ?? FIREFOX_ADDON_ID,
      updateUrl,
      crxUrl,
      xpiUrl: urls['xpi-url'] ?? null,
      version,
    },
  };
}

export function writePolicyFiles(out: string, files: PolicyFile[]): void {
  mkdirSync(out, { recursive: true });
  for (const file of files) writeFileSync(join(out, file.name), file.bytes);
}

function main(argv: string[]) {
  const parsed = parsePolicyArgs(argv);
  if (!parsed.ok) {
    console.error(parsed.error);
    process.exitCode = 2;
    return;
  }
  const files = policyFiles(parsed.options);
  writePolicyFiles(parsed.out, files);
  console.log(`extension id ${parsed.options.chromiumId}; files in ${parsed.out}:`);
  for (const file of files) console.log(`  ${file.name.padEnd(20)} → ${file.installTo}`);
  for (const note of policyNotes(parsed.options)) console.log(`  (${note})`);
}

/** What the files leave out for want of an argument, in words for county IT. */
export function policyNotes(options: PolicyOptions): string[] {
  const notes: string[] = [];
  if (!options.updateUrl)
    notes.push(
      'no --crx-url: Chrome, Edge and Chromium get managed settings only, the extension is not force-installed',
    );
  if (!options.xpiUrl)
    notes.push(
      'no --xpi-url: Firefox gets managed settings only. Force-install needs the Firefox package where every ' +
        'machine can fetch it (https://…/yanzhen.xpi, or file:///… on each machine), signed by Mozilla ' +
        '(release Firefox refuses unsigned add-ons; ESR takes them only with xpinstall.signatures.required off)',
    );
  return notes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));

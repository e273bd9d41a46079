/**
 * Policy files for county IT: force-install the extension and set its managed storage
 * (public/managed-schema.json: registryUrl, rootKeys, region, locale) on every machine.
 *
 * - Chrome and Edge on Windows: `.reg` files for HKLM\SOFTWARE\Policies\{Google\Chrome,
 *   Microsoft\Edge}: `ExtensionInstallForcelist` ("<id>;<update manifest URL>") and
 *   `3rdparty\extensions\<id>\policy` (one REG_SZ per managed field).
 * - Chromium on Linux: one JSON file for /etc/chromium/policies/managed/ (Google Chrome
 *   reads the same file from /etc/opt/chrome/policies/managed/), with the managed values
 *   under `3rdparty.extensions.<id>`.
 * - Firefox: `policies.json` (`ExtensionSettings` force_installed, `3rdparty.Extensions`).
 * - `updates.xml`: the update manifest the force-install list points at, naming the `.crx`.
 *
 * Pure functions of the options; scripts/packaging/make-policies.ts writes the files.
 */

/** Managed storage as public/managed-schema.json names it (strings only). */
export interface ManagedValues {
  registryUrl: string;
  rootKeys: string;
  region: string;
  locale?: 'zh-CN' | 'en';
}

export interface PolicyOptions {
  managed: ManagedValues;
  /** The Chromium extension id (from the .crx signing key). */
  chromiumId: string;
  /** The Firefox add-on id (`browser_specific_settings.gecko.id`). */
  firefoxId: string;
  /** Where the update manifest is served; null: managed storage only, no force-install. */
  updateUrl: string | null;
  /** Where the `.crx` is served (named in updates.xml); null: no updates.xml. */
  crxUrl: string | null;
  /** Where the Firefox `.xpi` is served; null: Firefox gets managed storage only. */
  xpiUrl: string | null;
  /** The extension version updates.xml announces. */
  version: string;
}

export interface PolicyFile {
  /** File name in the output folder. */
  name: string;
  /** Where it goes on the managed machine, in words. */
  installTo: string;
  bytes: Uint8Array;
}

/** Managed fields in schema order, empty ones left out (an empty policy would lock the field empty). */
export function managedEntries(managed: ManagedValues): Array<[keyof ManagedValues, string]> {
  const out: Array<[keyof ManagedValues, string]> = [];
  for (const field of ['registryUrl', 'rootKeys', 'region', 'locale'] as const) {
    const value = managed[field];
    if (value !== undefined && value !== '') out.push([field, value]);
  }
  return out;
}

/** Root keys as one line: a REG_SZ in a .reg file cannot hold a line break. */
export function compactRootKeys(text: string): string {
  return JSON.stringify(JSON.parse(text));
}

function compacted(managed: ManagedValues): ManagedValues {
  return { ...managed, rootKeys: managed.rootKeys === '' ? '' : compactRootKeys(managed.rootKeys) };
}

/** A .reg string value: backslash and double quote escaped, nothing else allowed to break the line. */
export function regString(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new Error('a registry string value cannot hold a line break or NUL');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A `.reg` file, UTF-16LE with a byte-order mark and CRLF lines as regedit writes them
 * (reg.exe and regedit read it; a UTF-8 file would garble non-ASCII values).
 */
export function regFile(policyRoot: string, options: PolicyOptions): Uint8Array {
  const id = options.chromiumId;
  const lines = ['Windows Registry Editor Version 5.00', ''];
  if (options.updateUrl) {
    lines.push(`[${policyRoot}\\ExtensionInstallForcelist]`, `"1"=${regString(`${id};${options.updateUrl}`)}`, '');
  }
  lines.push(`[${policyRoot}\\3rdparty\\extensions\\${id}\\policy]`);
  for (const [field, value] of managedEntries(compacted(options.managed))) lines.push(`"${field}"=${regString(value)}`);
  lines.push('', '');
  const text = lines.join('\r\n');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

export const CHROME_POLICY_ROOT = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome';
export const EDGE_POLICY_ROOT = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge';

/** The Chromium (Linux) managed policy JSON. */
export function chromiumPolicyJson(options: PolicyOptions): Record<string, unknown> {
  return {
    ...(options.updateUrl ? { ExtensionInstallForcelist: [`${options.chromiumId};${options.updateUrl}`] } : {}),
    '3rdparty': {
      extensions: { [options.chromiumId]: Object.fromEntries(managedEntries(compacted(options.managed))) },
    },
  };
}

/** Firefox's policies.json (`/etc/firefox/policies/`, or `distribution/` beside firefox.exe). */
export function firefoxPoliciesJson(options: PolicyOptions): Record<string, unknown> {
  return {
    policies: {
      ...(options.xpiUrl
        ? {
            ExtensionSettings: {
              [options.firefoxId]: { installation_mode: 'force_installed', install_url: options.xpiUrl },
            },
          }
        : {}),
      '3rdparty': {
        Extensions: { [options.firefoxId]: Object.fromEntries(managedEntries(compacted(options.managed))) },
      },
    },
  };
}

function xmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The update manifest (gupdate protocol 2.0) `ExtensionInstallForcelist` fetches. */
export function updateManifestXml(options: { chromiumId: string; crxUrl: string; version: string }): string {
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>",
    `  <app appid='${xmlAttribute(options.chromiumId)}'>`,
    `    <updatecheck codebase='${xmlAttribute(options.crxUrl)}' version='${xmlAttribute(options.version)}' />`,
    '  </app>',
    '</gupdate>',
    '',
  ].join('\n');
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/** Every file for the options given. */
export function policyFiles(options: PolicyOptions): PolicyFile[] {
  const files: PolicyFile[] = [
    {
      name: 'chrome-windows.reg',
      installTo: 'Windows: double-click, or reg import chrome-windows.reg',
      bytes: regFile(CHROME_POLICY_ROOT, options),
    },
    {
      name: 'edge-windows.reg',
      installTo: 'Windows: double-click, or reg import edge-windows.reg',
      bytes: regFile(EDGE_POLICY_ROOT, options),
    },
    {
      name: 'yanzhen.json',
      installTo: 'Linux: /etc/chromium/policies/managed/yanzhen.json (Chrome: /etc/opt/chrome/policies/managed/)',
      bytes: json(chromiumPolicyJson(options)),
    },
    {
      name: 'policies.json',
      installTo: 'Firefox: /etc/firefox/policies/policies.json, or distribution\\policies.json beside firefox.exe',
      bytes: json(firefoxPoliciesJson(options)),
    },
  ];
  if (options.crxUrl)
    files.push({
      name: 'updates.xml',
      installTo: `the web server, at ${options.updateUrl ?? 'the update URL'}`,
      bytes: Buffer.from(
        updateManifestXml({ chromiumId: options.chromiumId, crxUrl: options.crxUrl, version: options.version }),
        'utf8',
      ),
    });
  return files;
}

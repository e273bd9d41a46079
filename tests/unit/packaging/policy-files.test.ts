// The policy files county IT deploys, read back the way each browser reads them.
import { describe, expect, it } from 'vitest';
import { demoRootJwksText } from '../../../scripts/demo/demo-keys.ts';
import { testSigningKey } from '../../../scripts/packaging/crx-key.ts';
import { FIREFOX_ADDON_ID, parsePolicyArgs, policyNotes } from '../../../scripts/packaging/make-policies.ts';
import {
  chromiumPolicyJson,
  firefoxPoliciesJson,
  type PolicyOptions,
  policyFiles,
  regFile,
  regString,
  updateManifestXml,
} from '../../../scripts/packaging/policy-files.ts';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ROOT_KEYS = demoRootJwksText();
const OPTIONS: PolicyOptions = {
  managed: { registryUrl: 'https://hsa.henan.gov.cn/al1/registry.jws', rootKeys: ROOT_KEYS, region: '411381' },
  chromiumId: ID,
  firefoxId: FIREFOX_ADDON_ID,
  updateUrl: 'https://it.dengzhou.gov.cn/yanzhen/updates.xml',
  crxUrl: 'https://it.dengzhou.gov.cn/yanzhen/yanzhen.crx',
  xpiUrl: 'https://it.dengzhou.gov.cn/yanzhen/yanzhen.xpi',
  version: '0.1.0',
};

/** Reads a .reg file as reg.exe would: UTF-16LE after the BOM, keys in brackets, "name"="value" with \\ and \" escapes. */
function readReg(bytes: Uint8Array): { header: string; keys: Record<string, Record<string, string>> } {
  const buffer = Buffer.from(bytes);
  expect([...buffer.subarray(0, 2)]).toEqual([0xff, 0xfe]);
  const text = buffer.subarray(2).toString('utf16le');
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const lines = text.split('\r\n');
  const keys: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  for (const line of lines.slice(1)) {
    const key = /^\[(.+)\]$/.exec(line);
    if (key?.[1]) keys[key[1]] = current = {};
    const value = /^"((?:[^"\\]|\\.)*)"="((?:[^"\\]|\\.)*)"$/.exec(line);
    if (value?.[1] && value[2] !== undefined && current) current[value[1]] = value[2].replace(/\\(.)/g, '$1');
  }
  return { header: lines[0] ?? '', keys };
}

describe('the Windows .reg files', () => {
  it.each([
    ['Chrome', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome', 'chrome-windows.reg'],
    ['Edge', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge', 'edge-windows.reg'],
  ])('force-install and set managed storage for %s', (_label, root, name) => {
    const file = policyFiles(OPTIONS).find((f) => f.name === name);
    if (!file) throw new Error(`no ${name}`);
    const reg = readReg(file.bytes);
    expect(reg.header).toBe('Windows Registry Editor Version 5.00');
    expect(reg.keys[`${root}\\ExtensionInstallForcelist`]).toEqual({ '1': `${ID};${OPTIONS.updateUrl}` });
    const managed = reg.keys[`${root}\\3rdparty\\extensions\\${ID}\\policy`];
    expect(managed).toEqual({
      registryUrl: OPTIONS.managed.registryUrl,
      rootKeys: JSON.stringify(JSON.parse(ROOT_KEYS)),
      region: '411381',
    });
    expect(JSON.parse(managed?.rootKeys ?? '')).toEqual(JSON.parse(ROOT_KEYS));
  });

  it('leaves an empty region out (an empty policy would lock the field empty) and the forcelist out without an update URL', () => {
    const reg = readReg(
      regFile('HKEY_LOCAL_MACHINE\\X', { ...OPTIONS, updateUrl: null, managed: { ...OPTIONS.managed, region: '' } }),
    );
    expect(Object.keys(reg.keys)).toEqual([`HKEY_LOCAL_MACHINE\\X\\3rdparty\\extensions\\${ID}\\policy`]);
    expect(Object.keys(reg.keys[`HKEY_LOCAL_MACHINE\\X\\3rdparty\\extensions\\${ID}\\policy`] ?? {})).toEqual([
      'registryUrl',
      'rootKeys',
    ]);
  });

  it('escapes quotes and backslashes and refuses line breaks', () => {
    expect(regString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => regString('a\nb')).toThrow('line break');
  });
});

describe('the Chromium (Linux) managed policy JSON', () => {
  it('holds the forcelist and the values under 3rdparty.extensions.<id>', () => {
    expect(chromiumPolicyJson(OPTIONS)).toEqual({
      ExtensionInstallForcelist: [`${ID};${OPTIONS.updateUrl}`],
      '3rdparty': {
        extensions: {
          [ID]: {
            registryUrl: OPTIONS.managed.registryUrl,
            rootKeys: JSON.stringify(JSON.parse(ROOT_KEYS)),
            region: '411381',
          },
        },
      },
    });
  });

  it('carries the language when IT sets one', () => {
    const json = chromiumPolicyJson({ ...OPTIONS, managed: { ...OPTIONS.managed, locale: 'en' } }) as {
      '3rdparty': { extensions: Record<string, Record<string, string>> };
    };
    expect(json['3rdparty'].extensions[ID]?.locale).toBe('en');
  });
});

describe("Firefox's policies.json", () => {
  it('force-installs the .xpi and sets managed storage for the add-on id', () => {
    expect(firefoxPoliciesJson(OPTIONS)).toEqual({
      policies: {
        ExtensionSettings: {
          [FIREFOX_ADDON_ID]: { installation_mode: 'force_installed', install_url: OPTIONS.xpiUrl },
        },
        '3rdparty': {
          Extensions: {
            [FIREFOX_ADDON_ID]: {
              registryUrl: OPTIONS.managed.registryUrl,
              rootKeys: JSON.stringify(JSON.parse(ROOT_KEYS)),
              region: '411381',
            },
          },
        },
      },
    });
  });

  it('sets managed storage only when there is no .xpi URL', () => {
    const json = firefoxPoliciesJson({ ...OPTIONS, xpiUrl: null }) as { policies: Record<string, unknown> };
    expect(Object.keys(json.policies)).toEqual(['3rdparty']);
  });
});

describe('the update manifest', () => {
  it('names the app id, the .crx (XML-escaped) and the version', () => {
    const xml = updateManifestXml({ chromiumId: ID, crxUrl: 'https://it.example/y.crx?a=1&b=2', version: '0.1.0' });
    expect(xml).toContain("<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>");
    expect(xml).toContain(`<app appid='${ID}'>`);
    expect(xml).toContain("<updatecheck codebase='https://it.example/y.crx?a=1&amp;b=2' version='0.1.0' />");
  });

  it('is written only with a .crx URL', () => {
    expect(policyFiles(OPTIONS).map((f) => f.name)).toEqual([
      'chrome-windows.reg',
      'edge-windows.reg',
      'yanzhen.json',
      'policies.json',
      'updates.xml',
    ]);
    expect(policyFiles({ ...OPTIONS, crxUrl: null }).map((f) => f.name)).not.toContain('updates.xml');
  });
});

describe('npm run policies arguments', () => {
  const base = ['--registry-url', OPTIONS.managed.registryUrl, '--root-keys', ROOT_KEYS, '--region', '411381'];
  const env = { LANG: 'zh_CN.UTF-8' };

  it('takes the values, the .crx URL (update manifest beside it) and the id', () => {
    const parsed = parsePolicyArgs([...base, '--crx-url', OPTIONS.crxUrl ?? '', '--extension-id', ID], env);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.options.managed).toEqual(OPTIONS.managed);
    expect(parsed.options.updateUrl).toBe('https://it.dengzhou.gov.cn/yanzhen/updates.xml');
    expect(parsed.options.chromiumId).toBe(ID);
    expect(parsed.options.firefoxId).toBe(FIREFOX_ADDON_ID);
  });

  it('reads --root-keys @file and takes the id from the signing key', () => {
    const parsed = parsePolicyArgs(
      ['--registry-url', OPTIONS.managed.registryUrl, '--root-keys', '@/it/root.json', '--test-key'],
      env,
      (path) => (path === '/it/root.json' ? ROOT_KEYS : ''),
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.options.managed.rootKeys).toBe(ROOT_KEYS.trim());
    expect(parsed.options.chromiumId).toBe(testSigningKey().extensionId);
    expect(parsed.options.updateUrl).toBeNull();
  });

  it('writes into policies/ of YANZHEN_OUT_DIR when given, as every build step does, and --out over both', () => {
    const args = [...base, '--extension-id', ID];
    const into = (argv: string[], vars: Record<string, string>) => {
      const parsed = parsePolicyArgs(argv, { ...env, ...vars });
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.out;
    };
    expect(into(args, {})).toMatch(/[/\\]\.output[/\\]policies$/);
    expect(into(args, { YANZHEN_OUT_DIR: '/tmp/yz-build' })).toBe('/tmp/yz-build/policies');
    expect(into([...args, '--out', '/srv/it'], { YANZHEN_OUT_DIR: '/tmp/yz-build' })).toBe('/srv/it');
  });

  it.each([
    [
      'an https URL',
      'https://it.dengzhou.gov.cn/yanzhen/yanzhen.xpi',
      'https://it.dengzhou.gov.cn/yanzhen/yanzhen.xpi',
    ],
    [
      'a file:/// URL (Mozilla takes local files)',
      'file:///opt/yanzhen/yanzhen.xpi',
      'file:///opt/yanzhen/yanzhen.xpi',
    ],
    ['a Windows file URL', 'file:///C:/yanzhen/yanzhen.xpi', 'file:///C:/yanzhen/yanzhen.xpi'],
  ])('takes %s as the Firefox install_url', (_label, value, expected) => {
    const parsed = parsePolicyArgs([...base, '--extension-id', ID, '--xpi-url', value], env);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.options.xpiUrl).toBe(expected);
  });

  it.each<[Partial<PolicyOptions>, string[]]>([
    [{ updateUrl: null, xpiUrl: null }, ['no --crx-url', 'no --xpi-url']],
    [{ updateUrl: null }, ['no --crx-url']],
    [{ xpiUrl: null }, ['no --xpi-url']],
    [{}, []],
  ])('says what is left out for want of an argument (%j)', (change, starts) => {
    const notes = policyNotes({ ...OPTIONS, ...change });
    expect(notes.map((n) => n.split(':')[0])).toEqual(starts);
    if (change.xpiUrl === null) expect(notes.at(-1)).toContain('signed by Mozilla');
  });

  it.each([
    [
      'no registry',
      ['--root-keys', ROOT_KEYS, '--extension-id', ID],
      '--registry-url and --root-keys are both required',
    ],
    [
      'plain http to a public host',
      ['--registry-url', 'http://hsa.henan.gov.cn/r.jws', '--root-keys', ROOT_KEYS, '--extension-id', ID],
      '--registry-url: 地址必须以 https:// 开头',
    ],
    [
      'a private key as root key',
      [
        '--registry-url',
        OPTIONS.managed.registryUrl,
        '--root-keys',
        JSON.stringify({ keys: [{ ...JSON.parse(ROOT_KEYS).keys[0], d: 'AAAA' }] }),
        '--extension-id',
        ID,
      ],
      '--root-keys:',
    ],
    ['a bad region', [...base.slice(0, 4), '--region', '41138', '--extension-id', ID], '--region:'],
    ['a bad id', [...base, '--extension-id', 'xyz'], '--extension-id: 32 letters a–p'],
    [
      'an ftp .crx URL',
      [...base, '--extension-id', ID, '--crx-url', 'ftp://it/y.crx'],
      '--crx-url: must be an https://',
    ],
    ['no id and no key', base, 'the extension id is needed'],
    [
      'a file URL on a host',
      [...base, '--extension-id', ID, '--xpi-url', 'file://server/share/yanzhen.xpi'],
      '--xpi-url: a file:/// URL must name the .xpi',
    ],
    [
      'a file URL that is not an .xpi',
      [...base, '--extension-id', ID, '--xpi-url', 'file:///opt/yanzhen/'],
      '--xpi-url: a file:/// URL must name the .xpi',
    ],
    ['a javascript: URL', [...base, '--extension-id', ID, '--xpi-url', 'javascript:alert(1)'], '--xpi-url: must be'],
    ['an unknown option', [...base, '--regoin', '411381'], "Unknown option '--regoin'"],
    ['a bad language', [...base, '--extension-id', ID, '--locale', 'fr'], '--locale: zh-CN or en'],
  ])('refuses %s with a plain reason', (_label, argv, message) => {
    const parsed = parsePolicyArgs(argv, env);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});

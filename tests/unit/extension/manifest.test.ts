// The manifest wxt.config.ts writes for each store and the demo, checked without a build
// (a Firefox build plus `web-ext lint` takes over a minute: that is `npm run lint:firefox`).
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_REGION } from '../../../scripts/demo/demo-config.ts';
import config from '../../../wxt.config.ts';

type Manifest = Record<string, unknown> & {
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  optional_permissions?: string[];
  browser_specific_settings?: {
    gecko?: { id?: string; strict_min_version?: string; data_collection_permissions?: unknown };
    gecko_android?: { strict_min_version?: string };
  };
};

async function manifest(
  browser: 'chrome' | 'edge' | 'firefox',
  manifestVersion: 2 | 3,
  mode: string,
): Promise<Manifest> {
  const fn = config.manifest as unknown as (env: Record<string, unknown>) => Manifest | Promise<Manifest>;
  return fn({ browser, manifestVersion, mode, command: 'build' });
}

function viteDefine(mode: string): Record<string, string> {
  const vite = config.vite as unknown as (env: { mode: string }) => { define: Record<string, string> };
  return vite({ mode }).define;
}

const major = (v: string | undefined) => Number.parseInt(v ?? '0', 10);

describe('the Firefox store package (MV2)', () => {
  it('has a stable add-on id and a minimum version that reads data_collection_permissions (140, Android 142)', async () => {
    const m = await manifest('firefox', 2, 'production');
    const gecko = m.browser_specific_settings?.gecko;
    expect(gecko?.id).toMatch(/^[\w.-]+@[\w.-]+$/);
    expect(gecko?.data_collection_permissions).toEqual({ required: ['none'] });
    expect(major(gecko?.strict_min_version)).toBeGreaterThanOrEqual(140);
    expect(major(m.browser_specific_settings?.gecko_android?.strict_min_version)).toBeGreaterThanOrEqual(142);
  });

  it('asks for no offscreen or side panel permission (its background page does that work) and no host up front', async () => {
    const m = await manifest('firefox', 2, 'production');
    expect(m.permissions).not.toContain('offscreen');
    expect(m.permissions).not.toContain('sidePanel');
    expect(m.permissions?.some((p) => p.includes('://'))).toBe(false);
    expect(m.optional_permissions).toEqual(['*://*/*']);
    expect(m.content_security_policy).toContain("'wasm-unsafe-eval'");
  });
});

describe('the Chrome store package (MV3)', () => {
  it('runs on no site by default and offers per-site access as optional', async () => {
    const m = await manifest('chrome', 3, 'production');
    expect(m.host_permissions).toEqual([]);
    expect(m.optional_host_permissions).toEqual(['*://*/*']);
    expect(m.permissions).toEqual(expect.arrayContaining(['offscreen', 'storage', 'activeTab', 'sidePanel']));
    expect([...(m.permissions ?? []), ...(m.host_permissions ?? [])]).not.toContain('<all_urls>');
    // Only the marker page may be framed by web pages (it shows nothing without a single-use token).
    expect(m.web_accessible_resources).toEqual([{ resources: ['marker.html'], matches: ['<all_urls>'] }]);
  });

  it('trusts no demo key: the store builds define the demo defaults as null', () => {
    expect(viteDefine('production').__YANZHEN_DEMO_DEFAULTS__).toBe('null');
  });

  it("compiles the fault tests' hook into no build but a demo build asked for it, whatever the environment says", () => {
    const saved = process.env.YANZHEN_TEST_HOOKS;
    try {
      process.env.YANZHEN_TEST_HOOKS = '1';
      expect(viteDefine('production').__YANZHEN_TEST_HOOKS__).toBe('false');
      expect(viteDefine('demo').__YANZHEN_TEST_HOOKS__).toBe('true');
      delete process.env.YANZHEN_TEST_HOOKS;
      expect(viteDefine('demo').__YANZHEN_TEST_HOOKS__).toBe('false');
    } finally {
      if (saved === undefined) delete process.env.YANZHEN_TEST_HOOKS;
      else process.env.YANZHEN_TEST_HOOKS = saved;
    }
  });
});

describe('the Chromium floor', () => {
  it.each(['chrome', 'edge'] as const)(
    '%s packages need Chromium 109 (Windows 7 Chrome and Edge, chrome.offscreen)',
    async (b) => {
      for (const mode of ['production', 'demo']) {
        const m = await manifest(b, 3, mode);
        expect(m.minimum_chrome_version).toBe('109');
      }
    },
  );

  it('the Firefox package names no Chrome version (it has strict_min_version)', async () => {
    expect((await manifest('firefox', 2, 'production')).minimum_chrome_version).toBeUndefined();
  });
});

describe('the extension id', () => {
  const saved = process.env.YANZHEN_MANIFEST_KEY;
  afterEach(() => {
    if (saved === undefined) delete process.env.YANZHEN_MANIFEST_KEY;
    else process.env.YANZHEN_MANIFEST_KEY = saved;
  });

  it('comes from the store or the .crx key: no build carries a `key` unless its environment gives one', async () => {
    delete process.env.YANZHEN_MANIFEST_KEY;
    expect((await manifest('chrome', 3, 'production')).key).toBeUndefined();
    expect((await manifest('chrome', 3, 'demo')).key).toBeUndefined();
  });

  it('is fixed by YANZHEN_MANIFEST_KEY for Chromium builds (tests, load-unpacked with policy), never Firefox', async () => {
    process.env.YANZHEN_MANIFEST_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA';
    expect((await manifest('chrome', 3, 'demo')).key).toBe('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA');
    expect((await manifest('firefox', 2, 'demo')).key).toBeUndefined();
  });
});

describe('the demo build', () => {
  it('may reach the demo servers on loopback with no clicks and trusts the demo registry', async () => {
    const m = await manifest('chrome', 3, 'demo');
    expect(m.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    const defaults = JSON.parse(viteDefine('demo').__YANZHEN_DEMO_DEFAULTS__ ?? 'null');
    expect(defaults.registryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/registry\.jws$/);
    expect(JSON.parse(defaults.rootKeys).keys.length).toBeGreaterThan(0);
    expect(defaults.region).toBe(DEMO_REGION);
  });
});

import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { DEMO_REGION, DEMO_REGISTRY_URL } from './scripts/demo/demo-config.ts';
import { demoRootJwksText } from './scripts/demo/demo-keys.ts';
import { READER_BROWSER_ASSETS } from './utils/document/reader-platform.ts';
import { CHROMIUM_FLOOR, FIREFOX_FLOOR } from './utils/extension/browser-floor.ts';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Build modes:
 * - `wxt build` / `wxt zip` (production, the store builds): trust no key at all until the
 *   user or county IT policy sets a registry; no host access by default.
 * - `wxt build --mode demo` (`.output/chrome-mv3-demo`): trusts the demo registry (demo root
 *   JWKS baked in) and may reach http://127.0.0.1/* and http://localhost/*, so `npm start`
 *   works with no clicks. `YANZHEN_DEMO_REGISTRY_URL` overrides the registry URL when the
 *   demo registry server had to fall back to another port.
 */
function demoDefaults(mode: string) {
  if (mode !== 'demo') return null;
  return {
    registryUrl: process.env.YANZHEN_DEMO_REGISTRY_URL || DEMO_REGISTRY_URL,
    rootKeys: demoRootJwksText(),
    region: DEMO_REGION,
  };
}

export default defineConfig({
  // Explicit imports everywhere: the verification core in utils/ is shared with
  // the Node CLI, which has no auto-import transform.
  imports: false,
  // Several builds may run in one checkout at once (browser tests, npm start, zip):
  // YANZHEN_OUT_DIR gives a build its own folder so they do not overwrite each other.
  outDir: process.env.YANZHEN_OUT_DIR || '.output',
  // Clinics run 360, QQ and older Chromium builds: keep the browser.* polyfill.
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: ({ mode }) => ({
    plugins: [preact()],
    // The offscreen document's reader workers (entrypoints/offscreen/reader-worker.ts) load
    // pdf.js and the decoders on demand: code-split, so module workers, not one IIFE.
    worker: { format: 'es' as const },
    // Store builds get `null` here, so no demo key can reach their bundle. The fault tests'
    // hook (utils/extension/test-fault-point.ts) is compiled in only for a demo build asked
    // for it (the browser tests' globalSetup): `false` drops it from every other build.
    define: {
      __YANZHEN_DEMO_DEFAULTS__: JSON.stringify(demoDefaults(mode)),
      __YANZHEN_TEST_HOOKS__: JSON.stringify(mode === 'demo' && process.env.YANZHEN_TEST_HOOKS === '1'),
    },
  }),
  hooks: {
    // zxing's wasm and pdf.js's worker ship as files of the extension: MV3 blocks remote
    // code and `blob:` workers, and nothing may come from a CDN at run time.
    'build:publicAssets': (_wxt, files) => {
      for (const [dest, source] of Object.entries(READER_BROWSER_ASSETS)) {
        const absolute = fromRoot(`./node_modules/${source}`);
        if (!existsSync(absolute)) throw new Error(`reader asset missing: ${source} (npm install?)`);
        if (!dest.endsWith('/')) {
          files.push({ absoluteSrc: absolute, relativeDest: dest });
          continue;
        }
        for (const name of readdirSync(absolute)) {
          files.push({ absoluteSrc: `${absolute}${name}`, relativeDest: `${dest}${name}` });
        }
      }
    },
  },
  manifest: ({ browser, manifestVersion, mode }) => {
    const demo = mode === 'demo';
    const firefox = browser === 'firefox';
    const demoHosts = demo ? ['http://127.0.0.1/*', 'http://localhost/*'] : [];
    const csp = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'";
    return {
      name: '__MSG_extName__',
      description: '__MSG_extDescription__',
      default_locale: 'zh_CN',
      // Firefox has no offscreen documents: its background page does that work.
      permissions: [
        'storage',
        'activeTab',
        'alarms',
        'scripting',
        // Letters offered only as a download button are checked as they are downloaded (discovery).
        'downloads',
        ...(firefox ? [] : ['sidePanel', 'offscreen']),
        ...(firefox && manifestVersion === 2 ? demoHosts : []),
      ],
      // Sites are enabled one origin at a time ("在此网站启用"); nothing runs on every site by default.
      ...(manifestVersion === 3
        ? { host_permissions: demoHosts, optional_host_permissions: ['*://*/*'] }
        : { optional_permissions: ['*://*/*'] }),
      content_security_policy:
        manifestVersion === 3
          ? {
              // zxing-wasm compiles WebAssembly; nothing is loaded from outside the package.
              extension_pages: csp,
            }
          : (csp as never),
      // County IT pushes registry URL, root keys, region and language by policy.
      storage: { managed_schema: 'managed-schema.json' },
      // Only the marker iframe page may be framed by web pages; it shows nothing without a
      // single-use token the background issued to our content script.
      web_accessible_resources:
        manifestVersion === 3 ? [{ resources: ['marker.html'], matches: ['<all_urls>'] }] : (['marker.html'] as never),
      action: { default_title: '__MSG_extName__' },
      // Chromium 109: Windows 7's last Chrome and Edge, and the first with chrome.offscreen
      // (README "Supported browsers" lists every API and the version that brought it).
      ...(firefox ? {} : { minimum_chrome_version: String(CHROMIUM_FLOOR) }),
      // A fixed extension id (the offline .crx, policy files, the managed-storage browser
      // test): the public half of the signing key, given by the build's environment only,
      // never committed for production (scripts/packaging/crx-key.ts).
      ...(!firefox && process.env.YANZHEN_MANIFEST_KEY ? { key: process.env.YANZHEN_MANIFEST_KEY } : {}),
      ...(firefox
        ? {
            browser_specific_settings: {
              gecko: {
                id: 'yanzhen@yanzhen.example',
                // 140 (ESR) is the first desktop release that reads data_collection_permissions,
                // which addons.mozilla.org requires of new add-ons; 142 on Android.
                strict_min_version: `${FIREFOX_FLOOR}.0`,
                data_collection_permissions: { required: ['none'] },
              },
              gecko_android: { strict_min_version: '142.0' },
            },
          }
        : {}),
    };
  },
});

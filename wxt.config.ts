import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// https://wxt.dev/api/config.html
export default defineConfig({
  // Explicit imports everywhere: the verification core in utils/ is shared with
  // the Node CLI, which has no auto-import transform.
  imports: false,
  // Clinics run 360, QQ and older Chromium builds: keep the browser.* polyfill.
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'zh_CN',
    permissions: ['storage', 'sidePanel', 'activeTab'],
    content_security_policy: {
      // zxing-wasm compiles WebAssembly; nothing is loaded from outside the package.
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
  },
});

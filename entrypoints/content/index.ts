/**
 * The content script (only on enabled sites, or injected once through activeTab). It finds
 * documents, hands their bytes to the background, and mounts an extension-origin marker
 * iframe next to each. It never computes or holds a verdict: the page shares this DOM, so
 * anything decided here could be influenced by it.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startDiscovery } from './discovery-loop.ts';

export default defineContentScript({
  // Registered at run time for granted origins (entrypoints/background/sites.ts); no static matches.
  registration: 'runtime',
  matches: [],
  main(ctx: ContentScriptContext) {
    // activeTab injection may run this file on a page where the registered script already runs.
    // The flag holds the version: the page's isolated world outlives an update of the
    // extension, and the old version's flag must not keep the new version's script out.
    const flag = '__yanzhenContentStarted';
    const scope = globalThis as unknown as Record<string, string | false>;
    const version = browser.runtime.getManifest().version;
    if (scope[flag] === version) return;
    scope[flag] = version;
    ctx.onInvalidated(() => {
      if (scope[flag] === version) scope[flag] = false;
    });
    startDiscovery(ctx);
  },
});

/**
 * The content script (only on enabled sites, or injected once through activeTab). It finds
 * documents, hands their bytes to the background, and mounts an extension-origin marker
 * iframe next to each. It never computes or holds a verdict: the page shares this DOM, so
 * anything decided here could be influenced by it.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startDiscovery } from './discovery-loop.ts';

export default defineContentScript({
  // Registered at run time for granted origins (entrypoints/background/sites.ts); no static matches.
  registration: 'runtime',
  matches: [],
  main(ctx: ContentScriptContext) {
    // activeTab injection may run this file on a page where the registered script already runs.
    const flag = '__yanzhenContentStarted';
    const scope = globalThis as unknown as Record<string, boolean>;
    if (scope[flag]) return;
    scope[flag] = true;
    ctx.onInvalidated(() => {
      scope[flag] = false;
    });
    startDiscovery(ctx);
  },
});

// The side panel's manual check, as the tests and benches drive it: a panel page, then one file sent the way its file picker sends it.
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './browser.ts';

/** A side panel page of its own, given a second to load and connect. */
export async function openPanel(ext: ExtensionBrowser): Promise<Page> {
  const panel = await ext.context.newPage();
  await panel.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
  await new Promise((r) => setTimeout(r, 1000));
  return panel;
}

/** Sends `bytes` as the panel's file picker does (`check.bytes`, no tab) and returns the new document's id. */
export async function sendManualCheck(panel: Page, name: string, bytes: Uint8Array): Promise<string> {
  const { docId } = await panel.evaluate(
    async ({ base64, name }) => {
      const c = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } })
        .chrome;
      return (await c.runtime.sendMessage({
        yz: 1,
        type: 'check.bytes',
        data: { tabId: null, name, source: 'manual-file', base64 },
      })) as { docId: string };
    },
    { base64: Buffer.from(bytes).toString('base64'), name },
  );
  return docId;
}

/**
 * Where documents are decoded and verified: the offscreen document in Chrome (a service
 * worker cannot run pdf.js or zxing's wasm comfortably and has no DOM), the background page
 * itself in Firefox (no offscreen API there).
 */
import { browser } from 'wxt/browser';
import {
  base64ToBytes,
  type OffscreenCheckResult,
  type RegistryState,
  sendMessage,
  type VerifierConfig,
} from '../../utils/extension/messages.ts';
import { type OffscreenApiLike, offscreenOpener, type RuntimeLike } from '../../utils/extension/offscreen-support.ts';

const OFFSCREEN_URL = '/offscreen.html';

/**
 * Creates the offscreen document once; on Chromium 109–115 (no runtime.getContexts, no
 * WORKERS reason) too: see offscreenOpener and the browsers table in the README.
 */
export const ensureOffscreen = offscreenOpener(
  () => browser.runtime as unknown as RuntimeLike,
  () => (browser as unknown as { offscreen?: OffscreenApiLike }).offscreen,
  {
    path: OFFSCREEN_URL,
    url: () => browser.runtime.getURL(OFFSCREEN_URL),
    reasons: ['WORKERS', 'BLOBS'],
    justification: 'Decode QR codes in documents (zxing WebAssembly, pdf.js worker) away from web pages.',
  },
);

/** Sends to the offscreen document, retrying while its listener is not yet registered. */
async function toOffscreen<T>(send: () => Promise<T | undefined>): Promise<T> {
  await ensureOffscreen();
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const answer = await send();
      if (answer !== undefined) return answer;
    } catch (error) {
      lastError = error;
      await ensureOffscreen();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw lastError instanceof Error ? lastError : new Error('The offscreen document did not answer');
}

async function firefoxRuntime() {
  return import('../offscreen/verifier-runtime.ts');
}

export async function hostCheck(
  base64: string,
  fileName: string,
  config: VerifierConfig,
): Promise<OffscreenCheckResult> {
  if (import.meta.env.FIREFOX) return (await firefoxRuntime()).runCheck(base64ToBytes(base64), fileName, config);
  return toOffscreen(() => sendMessage('offscreen.check', { base64, fileName, config }));
}

export async function hostRefresh(config: VerifierConfig): Promise<RegistryState> {
  if (import.meta.env.FIREFOX) return (await firefoxRuntime()).refreshRegistry(config);
  return toOffscreen(() => sendMessage('offscreen.refresh', { config }));
}

export async function hostRegistryState(config: VerifierConfig): Promise<RegistryState> {
  if (import.meta.env.FIREFOX) return (await firefoxRuntime()).registryState(config);
  return toOffscreen(() => sendMessage('offscreen.registryState', { config }));
}

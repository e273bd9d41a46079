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
import {
  isAlreadyOpenError,
  type OffscreenApiLike,
  offscreenOpen,
  offscreenReasons,
  type RuntimeLike,
} from '../../utils/extension/offscreen-support.ts';

const OFFSCREEN_URL = '/offscreen.html';
let creating: Promise<void> | null = null;

const offscreenApi = () => (browser as unknown as { offscreen: OffscreenApiLike }).offscreen;

/** Chromium 109–115 have no runtime.getContexts: offscreenOpen falls back (browsers table in the README). */
async function hasOffscreen(): Promise<boolean> {
  const runtime = browser.runtime as unknown as RuntimeLike;
  return (await offscreenOpen(runtime, offscreenApi(), browser.runtime.getURL(OFFSCREEN_URL))) === true;
}

/**
 * Creates the offscreen document once. Two checks arriving together must not both call
 * createDocument (the second throws "Only a single offscreen document may be created"), so
 * creation is one shared promise. Where the browser cannot say whether it is open, that
 * error is the answer: it is open.
 */
export async function ensureOffscreen(): Promise<void> {
  if (await hasOffscreen()) return;
  creating ??= (async () => {
    const offscreen = offscreenApi();
    try {
      await offscreen.createDocument({
        url: OFFSCREEN_URL,
        // WORKERS is newer than Chromium 109: only reasons this browser knows are sent.
        reasons: offscreenReasons(offscreen, ['WORKERS', 'BLOBS']),
        justification: 'Decode QR codes in documents (zxing WebAssembly, pdf.js worker) away from web pages.',
      });
    } catch (error) {
      if (!isAlreadyOpenError(error) && !(await hasOffscreen())) throw error;
    }
  })().finally(() => {
    creating = null;
  });
  await creating;
}

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

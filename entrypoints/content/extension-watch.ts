/**
 * Notices the extension going away under the page. Chrome tells a content script nothing
 * when the extension's process crashes or the extension is disabled: `runtime.id` just turns
 * undefined (within 300 ms of a crash here), and WXT's context reports it only when asked
 * (`ctx.isInvalid`). So it is asked every second while markers are on the page, and at once
 * when the page comes back into view (Chrome slows a hidden tab's timers to once a minute).
 * Asking costs one property read; nothing is sent to the extension.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';

const LOOK_EVERY_MS = 1000;

export function watchExtension(ctx: ContentScriptContext): void {
  const look = () => void ctx.isInvalid;
  ctx.setInterval(look, LOOK_EVERY_MS);
  document.addEventListener('visibilitychange', look, { signal: ctx.signal });
}

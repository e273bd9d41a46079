import { defineBackground } from 'wxt/utils/define-background';
import { ignoreBrowserShutdown } from '../utils/extension/browser-shutdown.ts';
import { startVerdictView } from '../utils/extension/verdict-view.ts';
import { startBackground } from './background/start.ts';

/** Background wiring; kept as a named function so tests can call it directly. */
export function main(): void {
  ignoreBrowserShutdown();
  startBackground();
  startVerdictView();
}

export default defineBackground(main);

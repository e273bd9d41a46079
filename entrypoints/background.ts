import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from './background/start.ts';
import { startVerdictView } from './background/verdict-view.ts';

/** Background wiring; kept as a named function so tests can call it directly. */
export function main(): void {
  startBackground();
  startVerdictView();
}

export default defineBackground(main);

import { defineBackground } from 'wxt/utils/define-background';

/** Background wiring; kept as a named function so tests can call it directly. */
export function main(): void {
  // Filled in by the extension work (issue 4): registry refresh, verdict routing.
}

export default defineBackground(main);

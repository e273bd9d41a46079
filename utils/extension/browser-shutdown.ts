/**
 * "The browser is shutting down." is how every extension API call still in flight fails once
 * the browser starts to close (a storage write of a check that was finishing, a toolbar
 * redraw). Nothing can be done about it and nobody is there to tell: the background lets such
 * a rejection go quietly instead of logging it as an uncaught error (issue 11). Any other
 * rejection is still reported as before.
 */

/** Chromium's wording of the error (extensions/browser/extension_function.cc). */
const SHUTTING_DOWN = 'The browser is shutting down.';

/**
 * Whether an unhandled rejection is only the browser closing.
 *
 * @example isBrowserShutdown(new Error('The browser is shutting down.')) // true
 */
export function isBrowserShutdown(reason: unknown): boolean {
  const message = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : null;
  return message === SHUTTING_DOWN;
}

/** Installs the quiet handler on the background's global scope. */
export function ignoreBrowserShutdown(scope: Pick<typeof globalThis, 'addEventListener'> = globalThis): void {
  if (typeof scope.addEventListener !== 'function') return;
  scope.addEventListener('unhandledrejection', (event) => {
    if (isBrowserShutdown((event as PromiseRejectionEvent).reason)) event.preventDefault();
  });
}

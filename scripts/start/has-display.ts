// Whether a browser window can be shown. On Linux a window needs an X11 or Wayland display
// (a server, SSH session or container usually has neither); macOS and Windows always have one.

/**
 * @example hasDisplay('linux', { DISPLAY: ':0' }) // true
 * @example hasDisplay('linux', {}) // false
 */
export function hasDisplay(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY?.trim() || env.WAYLAND_DISPLAY?.trim());
}

/**
 * How this computer's user wants the extension's pages drawn: larger text for older
 * staff. Kept apart from the verification settings (which county IT may lock by policy):
 * this is a matter of eyesight, never of trust, so no policy touches it.
 */
import { browser } from 'wxt/browser';

/** `storage.local` key of the display preferences. */
export const DISPLAY_KEY = 'display';

export interface DisplayPrefs {
  /** Body text at 20 px instead of 16 px in the side panel, popup, options and history. */
  largeText: boolean;
}

export const DEFAULT_DISPLAY: DisplayPrefs = { largeText: false };

/** Reads a stored value; anything malformed is the default (a bad value must not hide the page). */
export function parseDisplayPrefs(value: unknown): DisplayPrefs {
  const v = value as Partial<DisplayPrefs> | null | undefined;
  return { largeText: v?.largeText === true };
}

export async function loadDisplayPrefs(): Promise<DisplayPrefs> {
  return parseDisplayPrefs((await browser.storage.local.get(DISPLAY_KEY))[DISPLAY_KEY]);
}

export async function saveDisplayPrefs(prefs: DisplayPrefs): Promise<void> {
  await browser.storage.local.set({ [DISPLAY_KEY]: prefs });
}

/** Calls `onChange` whenever another page changes the preferences; stops when `signal` aborts. */
export function watchDisplayPrefs(onChange: (prefs: DisplayPrefs) => void, signal: AbortSignal): void {
  // storage.local only: the global event would also deliver every storage.session write.
  const listener = (changes: Record<string, { newValue?: unknown }>) => {
    if (DISPLAY_KEY in changes) onChange(parseDisplayPrefs(changes[DISPLAY_KEY]?.newValue));
  };
  browser.storage.local.onChanged.addListener(listener);
  signal.addEventListener('abort', () => browser.storage.local.onChanged.removeListener(listener), { once: true });
}

/** Applies the preferences to a page: `<html data-text-size="large">`, which ui.css scales from. */
export function applyDisplayPrefs(prefs: DisplayPrefs, root: HTMLElement = document.documentElement): void {
  if (prefs.largeText) root.dataset.textSize = 'large';
  else delete root.dataset.textSize;
}

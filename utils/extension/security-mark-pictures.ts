/**
 * The pictures a user can pick as their personal security mark (public/security-marks/).
 * The marker next to each document shows the chosen picture and word; a web page cannot
 * know them, so a fake "verified" badge drawn by the page lacks them (Mailvelope's
 * security background). Ids are stored in settings, so they never change meaning.
 */
export const SECURITY_MARK_PICTURES = [
  'sun',
  'moon',
  'tree',
  'fish',
  'house',
  'boat',
  'key',
  'bell',
  'flower',
  'mountain',
  'cup',
  'bird',
] as const;

export type SecurityMarkPicture = (typeof SECURITY_MARK_PICTURES)[number];

/** Whether an id names one of the bundled pictures (settings may hold anything). */
export function isSecurityMarkPicture(id: string): id is SecurityMarkPicture {
  return (SECURITY_MARK_PICTURES as readonly string[]).includes(id);
}

/**
 * The picture's path inside the extension (pass it to `browser.runtime.getURL`).
 *
 * @example securityMarkPath('fish') // '/security-marks/fish.svg'
 */
export function securityMarkPath(id: SecurityMarkPicture): `/security-marks/${SecurityMarkPicture}.svg` {
  return `/security-marks/${id}.svg`;
}

/** The longest word a mark may carry (settings-storage.ts drops longer ones). */
export const SECURITY_MARK_WORD_MAX = 20;

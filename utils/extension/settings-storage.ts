/**
 * Settings in `storage.local`, with `storage.managed` (county IT policy) winning and shown as
 * locked. Defaults depend on the build: the demo build (`wxt build --mode demo`) trusts the
 * demo registry; store builds trust nothing until the user or policy sets a registry.
 */
import { browser } from 'wxt/browser';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../i18n/locales.ts';
import type { ManagedSettings, SecurityMark, Settings } from './settings.ts';

/** `storage.local` key of the user's settings. */
export const SETTINGS_KEY = 'settings';

/** The fields `storage.managed` can lock. */
export const MANAGED_FIELDS = ['registryUrl', 'rootKeys', 'region', 'locale'] as const;
export type ManagedField = (typeof MANAGED_FIELDS)[number];

/** Settings as the UI shows them: the effective values and which ones policy locked. */
export interface LoadedSettings {
  settings: Settings;
  locked: Record<ManagedField, boolean>;
}

/** Build-time defaults injected by wxt.config.ts (`define`); absent in store builds and tests. */
export interface BuildDefaults {
  registryUrl: string;
  rootKeys: string;
  region: string | null;
}
declare const __YANZHEN_DEMO_DEFAULTS__: BuildDefaults | null | undefined;

/** The demo registry defaults baked into `build:demo`, or null in store builds (which trust no demo key). */
export function buildDefaults(): BuildDefaults | null {
  return typeof __YANZHEN_DEMO_DEFAULTS__ === 'undefined' ? null : (__YANZHEN_DEMO_DEFAULTS__ ?? null);
}

/** Defaults before the user or policy set anything. */
export function defaultSettings(build: BuildDefaults | null = buildDefaults()): Settings {
  return {
    registryUrl: build?.registryUrl ?? '',
    rootKeys: build?.rootKeys ?? '',
    region: build?.region ?? null,
    locale: DEFAULT_LOCALE,
    enabledSites: [],
    securityMark: null,
  };
}

const REGION = /^\d{6}(\d{3})?$/;

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function isSecurityMark(value: unknown): value is SecurityMark {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SecurityMark>;
  return typeof v.picture === 'string' && typeof v.word === 'string' && v.word.length <= 20;
}

/**
 * Keeps only well-typed fields of an untrusted object (stored by an older version, or
 * pushed by policy): a wrong type is dropped, never allowed to break loading.
 */
export function sanitizeSettings(raw: unknown): Partial<Settings> {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const out: Partial<Settings> = {};
  if (typeof r.registryUrl === 'string') out.registryUrl = r.registryUrl.trim();
  if (typeof r.rootKeys === 'string') out.rootKeys = r.rootKeys;
  if (r.region === null || (typeof r.region === 'string' && REGION.test(r.region))) out.region = r.region;
  if (isLocale(r.locale)) out.locale = r.locale;
  if (Array.isArray(r.enabledSites))
    out.enabledSites = r.enabledSites.filter((s): s is string => typeof s === 'string' && /^https?:\/\//.test(s));
  if (r.securityMark === null || isSecurityMark(r.securityMark)) out.securityMark = r.securityMark;
  return out;
}

/**
 * Merges defaults, the user's stored values and policy. Managed values win and are locked
 * (a managed empty region `""` means "no region", locked).
 *
 * @example mergeSettings(defaultSettings(null), { locale: 'en' }, { locale: 'zh-CN' }).locked.locale // true
 */
export function mergeSettings(defaults: Settings, stored: unknown, managed: unknown): LoadedSettings {
  const settings: Settings = { ...defaults, ...sanitizeSettings(stored) };
  const locked: Record<ManagedField, boolean> = { registryUrl: false, rootKeys: false, region: false, locale: false };
  const m = sanitizeManaged(managed);
  for (const field of MANAGED_FIELDS) {
    if (m[field] === undefined) continue;
    (settings as unknown as Record<string, unknown>)[field] = m[field];
    locked[field] = true;
  }
  return { settings, locked };
}

/** Policy values with the right types only (the managed schema is enforced by Chrome, but not by Firefox). */
export function sanitizeManaged(raw: unknown): ManagedSettings {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const region = r.region === '' ? null : r.region;
  const out = sanitizeSettings({
    registryUrl: r.registryUrl,
    rootKeys: r.rootKeys,
    region: region === undefined ? undefined : region,
    locale: r.locale,
  }) as ManagedSettings;
  // The trust anchors: a policy that sets one with the wrong type (a list, a number: a typo
  // in the county's policy file; Firefox does not check it against the schema) still means
  // "not the user's". It is locked to nothing, so every check says the registry is not set
  // up, rather than going on, unlocked, with whatever registry and keys the user typed in.
  for (const field of ['registryUrl', 'rootKeys'] as const) {
    if (r[field] !== undefined && r[field] !== null && out[field] === undefined) out[field] = '';
  }
  return out;
}

/** `storage.local` key of the policy as `storage.managed` last gave it (see readManaged). */
export const POLICY_COPY_KEY = 'policyCopy';

/**
 * How long a check waits for `storage.managed` before it takes the policy remembered from the
 * last answer. Chromium answers only once its policy service is up: about 3 s after every
 * browser start here (Ghostery measured 3-8 s on macOS), and on some builds never (Edge 136
 * beta signed in). Without a ceiling, every card of a page stayed "checking" for good there.
 */
export const POLICY_WAIT_MS = 8000;

let liveAnswer: Promise<unknown> | null = null;

/** One `storage.managed.get` at a time, shared by every caller; each answer is remembered. */
function askManaged(): Promise<unknown> {
  liveAnswer ??= (async () => {
    let value: unknown;
    try {
      value = await browser.storage.managed.get(null);
    } catch {
      // Firefox throws when no policy manifest exists; Chrome resolves {}. Either way: no policy.
      value = {};
    } finally {
      liveAnswer = null;
    }
    await remember(value);
    return value;
  })();
  return liveAnswer;
}

async function remember(value: unknown): Promise<void> {
  const copy = JSON.stringify(value ?? {});
  const held = (await browser.storage.local.get(POLICY_COPY_KEY).catch(() => ({}) as Record<string, unknown>))[
    POLICY_COPY_KEY
  ];
  if (held !== copy) await browser.storage.local.set({ [POLICY_COPY_KEY]: copy }).catch(() => undefined);
}

async function rememberedPolicy(): Promise<unknown> {
  const held = (await browser.storage.local.get(POLICY_COPY_KEY).catch(() => ({}) as Record<string, unknown>))[
    POLICY_COPY_KEY
  ];
  if (typeof held !== 'string') return {};
  try {
    return JSON.parse(held);
  } catch {
    return {};
  }
}

/** The policy: the live answer if it comes within `waitMs`, else the one remembered. */
async function readManaged(waitMs: number): Promise<unknown> {
  const live = askManaged();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), waitMs);
  });
  const first = await Promise.race([live, late]);
  clearTimeout(timer);
  return first === LATE ? rememberedPolicy() : first;
}
const LATE = Symbol('late');

/**
 * Loads the effective settings (defaults ← storage.local ← storage.managed). `policyWaitMs`
 * bounds the wait for the live policy (default POLICY_WAIT_MS); past it, the policy of the
 * last answer is used (none if there never was one); later calls share the pending ask, so a
 * policy service that never answers holds one request, not one per check. Callers
 * that need no policy field (the sites the content script runs on are never set by policy)
 * pass 0 and do not wait for the policy service at browser start.
 */
export async function loadSettings(options: { policyWaitMs?: number } = {}): Promise<LoadedSettings> {
  const [stored, managed] = await Promise.all([
    browser.storage.local.get(SETTINGS_KEY),
    readManaged(options.policyWaitMs ?? POLICY_WAIT_MS),
  ]);
  return mergeSettings(defaultSettings(), stored[SETTINGS_KEY], managed);
}

/**
 * The language the user sees, as last known: settings and the remembered policy, without
 * asking the policy service (which may take seconds). For the content script, which must
 * hold the words it shows once the extension is gone (entrypoints/content/marker-mount.ts).
 */
export async function knownLocale(): Promise<Locale> {
  const [stored, managed] = await Promise.all([browser.storage.local.get(SETTINGS_KEY), rememberedPolicy()]);
  return mergeSettings(defaultSettings(), stored[SETTINGS_KEY], managed).settings.locale;
}

/**
 * Saves a change. Locked fields are left as policy set them (the change to them is ignored);
 * returns the new effective settings.
 */
export async function saveSettings(patch: Partial<Settings>): Promise<LoadedSettings> {
  const current = await browser.storage.local.get(SETTINGS_KEY);
  const previous = sanitizeSettings(current[SETTINGS_KEY]);
  const { locked } = mergeSettings(defaultSettings(), previous, await readManaged(POLICY_WAIT_MS));
  const clean = sanitizeSettings(patch);
  for (const field of MANAGED_FIELDS) if (locked[field]) delete clean[field];
  await browser.storage.local.set({ [SETTINGS_KEY]: { ...previous, ...clean } });
  return loadSettings();
}

/**
 * Calls `onChange` with the new effective settings whenever local or managed settings change.
 * Listens on those two areas only: the global `storage.onChanged` would also hand every
 * context each `storage.session` write (a tab's whole document list, old and new), which
 * forty marker frames on one page paid for on every check.
 */
export function watchSettings(onChange: (loaded: LoadedSettings) => void, signal?: AbortSignal): void {
  const onLocal = (changes: Record<string, unknown>) => {
    if (SETTINGS_KEY in changes) void loadSettings().then(onChange);
  };
  const onManaged = () => void loadSettings().then(onChange);
  const managed = (browser.storage.managed as Partial<typeof browser.storage.managed> | undefined)?.onChanged;
  browser.storage.local.onChanged.addListener(onLocal);
  managed?.addListener(onManaged);
  signal?.addEventListener(
    'abort',
    () => {
      browser.storage.local.onChanged.removeListener(onLocal);
      managed?.removeListener(onManaged);
    },
    { once: true },
  );
}

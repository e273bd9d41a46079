import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import {
  buildDefaults,
  defaultSettings,
  knownLocale,
  loadSettings,
  mergeSettings,
  POLICY_COPY_KEY,
  POLICY_WAIT_MS,
  SETTINGS_KEY,
  sanitizeManaged,
  sanitizeSettings,
  saveSettings,
  watchSettings,
} from '../../../utils/extension/settings-storage.ts';

const DEMO = { registryUrl: 'http://127.0.0.1:47311/registry.jws', rootKeys: '{"keys":[]}', region: '411381' };
const NONE_LOCKED = { registryUrl: false, rootKeys: false, region: false, locale: false };

beforeEach(() => {
  fakeBrowser.reset();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('defaults per build mode', () => {
  it('a store build (no baked-in defaults) trusts no registry and no key', () => {
    expect(buildDefaults()).toBeNull();
    expect(defaultSettings(null)).toEqual({
      registryUrl: '',
      rootKeys: '',
      region: null,
      locale: 'zh-CN',
      enabledSites: [],
      securityMark: null,
    });
  });

  it('the demo build trusts the demo registry and keys it was built with', () => {
    vi.stubGlobal('__YANZHEN_DEMO_DEFAULTS__', DEMO);
    expect(buildDefaults()).toEqual(DEMO);
    expect(defaultSettings()).toMatchObject({ ...DEMO, locale: 'zh-CN', enabledSites: [] });
  });

  it('a build whose define is null (production) has no defaults', () => {
    vi.stubGlobal('__YANZHEN_DEMO_DEFAULTS__', null);
    expect(buildDefaults()).toBeNull();
  });
});

describe('sanitizeSettings', () => {
  it.each([
    ['a non-object', 'settings', {}],
    ['null', null, {}],
    ['a wrong-typed registry URL', { registryUrl: 42 }, {}],
    [
      'a registry URL with spaces',
      { registryUrl: '  https://r.example/registry.jws ' },
      { registryUrl: 'https://r.example/registry.jws' },
    ],
    ['a 5-digit region', { region: '41138' }, {}],
    ['a 9-digit township region', { region: '411381121' }, { region: '411381121' }],
    ['a null region', { region: null }, { region: null }],
    ['an unknown locale', { locale: 'fr' }, {}],
    ['English', { locale: 'en' }, { locale: 'en' }],
    [
      'sites that are not http(s) origins',
      { enabledSites: ['https://a.gov.cn', 'javascript:alert(1)', 7, 'http://b.cn'] },
      { enabledSites: ['https://a.gov.cn', 'http://b.cn'] },
    ],
    ['a security mark word over 20 characters', { securityMark: { picture: 'sun', word: 'x'.repeat(21) } }, {}],
    [
      'a security mark',
      { securityMark: { picture: 'sun', word: '山楂' } },
      { securityMark: { picture: 'sun', word: '山楂' } },
    ],
  ])('keeps only well-typed fields of %s', (_what, raw, expected) => {
    expect(sanitizeSettings(raw)).toEqual(expected);
  });
});

describe('mergeSettings', () => {
  it('policy values win over the user’s and are locked; the rest stay the user’s', () => {
    const merged = mergeSettings(
      defaultSettings(null),
      { registryUrl: 'https://user.example/r.jws', locale: 'en', enabledSites: ['https://a.gov.cn'] },
      { registryUrl: 'https://county.example/r.jws', region: '411381' },
    );
    expect(merged.settings).toMatchObject({
      registryUrl: 'https://county.example/r.jws',
      region: '411381',
      locale: 'en',
      enabledSites: ['https://a.gov.cn'],
    });
    expect(merged.locked).toEqual({ registryUrl: true, rootKeys: false, region: true, locale: false });
  });

  it('reads a managed empty region as "no region", locked', () => {
    const merged = mergeSettings(defaultSettings(DEMO), {}, { region: '' });
    expect(merged.settings.region).toBeNull();
    expect(merged.locked.region).toBe(true);
  });

  it('ignores managed fields policy cannot set and wrong-typed managed values', () => {
    expect(
      sanitizeManaged({ enabledSites: ['https://evil.example'], securityMark: { picture: 'x', word: 'y' } }),
    ).toEqual({});
    const merged = mergeSettings(defaultSettings(DEMO), {}, { locale: 'de', region: 411381 });
    expect(merged.settings.locale).toBe(defaultSettings(DEMO).locale);
    expect(merged.locked).toEqual(NONE_LOCKED);
  });

  it.each([
    ['a number', 5],
    ['a list', ['https://hsa.henan.gov.cn/al1/registry.jws']],
    ['an object', { url: 'https://hsa.henan.gov.cn/al1/registry.jws' }],
  ])('locks a registry or root keys that policy set as %s to nothing, never to the user’s own', (_what, value) => {
    const mine = { registryUrl: 'https://mine.example/r.jws', rootKeys: '{"keys":[]}' };
    for (const field of ['registryUrl', 'rootKeys'] as const) {
      const merged = mergeSettings(defaultSettings(DEMO), mine, { [field]: value });
      expect(merged.settings[field]).toBe('');
      expect(merged.locked[field]).toBe(true);
    }
  });
});

describe('loadSettings and saveSettings with browser storage', () => {
  it('loads the defaults when nothing is stored', async () => {
    expect(await loadSettings()).toEqual({ settings: defaultSettings(null), locked: NONE_LOCKED });
  });

  it('saves a change and loads it back', async () => {
    const saved = await saveSettings({ registryUrl: 'https://r.example/registry.jws', region: '411381' });
    expect(saved.settings).toMatchObject({ registryUrl: 'https://r.example/registry.jws', region: '411381' });
    expect((await loadSettings()).settings.region).toBe('411381');
  });

  it('leaves a locked field as policy set it, stores the unlocked ones, and shows the lock', async () => {
    await fakeBrowser.storage.managed.set({ registryUrl: 'https://county.example/r.jws' });
    const saved = await saveSettings({ registryUrl: 'https://forger.example/r.jws', locale: 'en' });
    expect(saved.settings.registryUrl).toBe('https://county.example/r.jws');
    expect(saved.settings.locale).toBe('en');
    expect(saved.locked.registryUrl).toBe(true);
    const stored = (await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] as Record<string, unknown>;
    expect(stored.registryUrl).toBeUndefined();
  });

  it('treats a browser without a policy manifest (managed.get throws, as in Firefox) as no policy', async () => {
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockRejectedValue(new Error('Managed storage manifest not found'));
    await saveSettings({ locale: 'en' });
    expect(await loadSettings()).toEqual({ settings: { ...defaultSettings(null), locale: 'en' }, locked: NONE_LOCKED });
  });

  it('tells a watcher about local changes until its signal aborts', async () => {
    const seen: string[] = [];
    const controller = new AbortController();
    watchSettings((loaded) => seen.push(loaded.settings.locale), controller.signal);
    await saveSettings({ locale: 'en' });
    await vi.waitFor(() => expect(seen).toEqual(['en']));
    controller.abort();
    await saveSettings({ locale: 'zh-CN' });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['en']);
  });
});

describe('a policy service that is slow or never answers', () => {
  const county = { registryUrl: 'https://county.example/r.jws', region: '411381' };
  // A get that has not answered (yet): released after each test, as the module shares one
  // pending get among all its callers.
  const releases: (() => void)[] = [];
  const never = () =>
    new Promise<Record<string, unknown>>((resolve) => {
      releases.push(() => resolve({}));
    });
  afterEach(async () => {
    for (const release of releases.splice(0)) release();
    await new Promise((r) => setTimeout(r, 0));
  });

  it('remembers each answer, and takes the remembered policy once the wait is over', async () => {
    await fakeBrowser.storage.managed.set(county);
    await loadSettings();
    expect(JSON.parse(String((await fakeBrowser.storage.local.get(POLICY_COPY_KEY))[POLICY_COPY_KEY]))).toEqual(county);
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockImplementation(never);
    vi.useFakeTimers();
    try {
      const loading = loadSettings();
      await vi.advanceTimersByTimeAsync(POLICY_WAIT_MS - 1);
      let done = false;
      void loading.then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const loaded = await loading;
      expect(loaded.settings).toMatchObject(county);
      expect(loaded.locked).toMatchObject({ registryUrl: true, region: true, rootKeys: false });
    } finally {
      vi.useRealTimers();
    }
  });

  it('with no answer ever and nothing remembered, goes on with no policy instead of waiting for good', async () => {
    await saveSettings({ region: '411381121' });
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockImplementation(never);
    const loaded = await loadSettings({ policyWaitMs: 5 });
    expect(loaded.settings.region).toBe('411381121');
    expect(loaded.locked.region).toBe(false);
  });

  it('asks the policy service once for many callers at a time', async () => {
    const get = vi.spyOn(fakeBrowser.storage.managed, 'get');
    await Promise.all([loadSettings(), loadSettings(), loadSettings({ policyWaitMs: 0 })]);
    expect(get).toHaveBeenCalledTimes(1);
    await loadSettings();
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('takes a live answer over the remembered one when it comes in time', async () => {
    await fakeBrowser.storage.local.set({ [POLICY_COPY_KEY]: JSON.stringify({ region: '411326' }) });
    await fakeBrowser.storage.managed.set(county);
    expect((await loadSettings()).settings.region).toBe('411381');
  });
});

describe("knownLocale (the content script's words for when the extension is gone)", () => {
  it("is the default, then the user's choice, then the remembered policy's, and never asks the policy service", async () => {
    const get = vi.spyOn(fakeBrowser.storage.managed, 'get');
    expect(await knownLocale()).toBe('zh-CN');
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { locale: 'en' } });
    expect(await knownLocale()).toBe('en');
    await fakeBrowser.storage.local.set({ [POLICY_COPY_KEY]: JSON.stringify({ locale: 'zh-CN' }) });
    expect(await knownLocale()).toBe('zh-CN');
    expect(get).not.toHaveBeenCalled();
  });
});

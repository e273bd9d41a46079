// The offscreen document on Chromium 109–115 (Windows 7 Chrome and Edge, 360 Secure Browser
// 15.0), by hiding what those browsers lack: runtime.getContexts (116) and the WORKERS reason.
import { describe, expect, it, vi } from 'vitest';
import {
  isAlreadyOpenError,
  type OffscreenApiLike,
  offscreenOpen,
  offscreenOpener,
  offscreenReasons,
} from '../../../utils/extension/offscreen-support.ts';

/** Chromium's enum before WORKERS was added (109 knows these). */
const REASONS_109 = {
  TESTING: 'TESTING',
  AUDIO_PLAYBACK: 'AUDIO_PLAYBACK',
  IFRAME_SCRIPTING: 'IFRAME_SCRIPTING',
  DOM_SCRAPING: 'DOM_SCRAPING',
  BLOBS: 'BLOBS',
  DOM_PARSER: 'DOM_PARSER',
  USER_MEDIA: 'USER_MEDIA',
  DISPLAY_MEDIA: 'DISPLAY_MEDIA',
  WEB_RTC: 'WEB_RTC',
  CLIPBOARD: 'CLIPBOARD',
};

/** An offscreen API that behaves as Chromium's: one document, unknown reasons refused. */
function fakeOffscreen(reasons: Record<string, string>, withHasDocument = false) {
  let open = false;
  const api: OffscreenApiLike & { created: string[][] } = {
    Reason: reasons,
    created: [],
    async createDocument(options) {
      for (const r of options.reasons)
        if (!Object.values(reasons).includes(r))
          throw new Error(`Invalid value for argument 1. Value must be one of: [${r}]`);
      if (open) throw new Error('Only a single offscreen document may be created.');
      open = true;
      api.created.push(options.reasons);
    },
    ...(withHasDocument ? { hasDocument: async () => open } : {}),
  };
  return api;
}

describe('offscreenReasons', () => {
  it.each([
    ['Chromium 109 (no WORKERS)', REASONS_109, ['BLOBS']],
    ['Chromium with WORKERS', { ...REASONS_109, WORKERS: 'WORKERS' }, ['WORKERS', 'BLOBS']],
    ['a browser exposing no enum', undefined, ['WORKERS', 'BLOBS']],
    ['an enum that knows neither (sends the wish, the browser reports)', { TESTING: 'TESTING' }, ['WORKERS', 'BLOBS']],
  ])('sends only reasons %s knows', (_label, reason, expected) => {
    expect(offscreenReasons({ createDocument: async () => undefined, Reason: reason }, ['WORKERS', 'BLOBS'])).toEqual(
      expected,
    );
  });
});

describe('offscreenOpen', () => {
  const url = 'chrome-extension://abc/offscreen.html';

  it('asks runtime.getContexts where it exists (116+)', async () => {
    const getContexts = vi.fn(async () => [{ contextType: 'OFFSCREEN_DOCUMENT' }]);
    expect(await offscreenOpen({ getContexts }, fakeOffscreen(REASONS_109), url)).toBe(true);
    expect(getContexts).toHaveBeenCalledWith({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
  });

  it('falls back to offscreen.hasDocument, then to "cannot say"', async () => {
    const withHas = fakeOffscreen(REASONS_109, true);
    expect(await offscreenOpen({}, withHas, url)).toBe(false);
    await withHas.createDocument({ url, reasons: ['BLOBS'], justification: '' });
    expect(await offscreenOpen({}, withHas, url)).toBe(true);
    expect(await offscreenOpen({}, fakeOffscreen(REASONS_109), url)).toBeNull();
    expect(await offscreenOpen({}, undefined, url)).toBeNull();
  });

  it("recognizes Chromium's already-open error and nothing else", () => {
    expect(isAlreadyOpenError(new Error('Only a single offscreen document may be created.'))).toBe(true);
    expect(isAlreadyOpenError(new Error('Invalid value for argument 1.'))).toBe(false);
  });
});

describe('offscreenOpener on Chromium 109–115 (no runtime.getContexts)', () => {
  const spec = {
    path: '/offscreen.html',
    url: () => 'chrome-extension://abc/offscreen.html',
    reasons: ['WORKERS', 'BLOBS'],
    justification: 'test',
  };

  it('creates the document once with the reasons 109 knows, and later checks still find it', async () => {
    const offscreen = fakeOffscreen(REASONS_109);
    const ensureOffscreen = offscreenOpener(
      () => ({}),
      () => offscreen,
      spec,
    );
    await ensureOffscreen();
    await ensureOffscreen();
    await Promise.all([ensureOffscreen(), ensureOffscreen()]);
    expect(offscreen.created).toEqual([['BLOBS']]);
  });

  it('asks getContexts first where it exists, and creates nothing when the document is open', async () => {
    const offscreen = fakeOffscreen({ ...REASONS_109, WORKERS: 'WORKERS' });
    let open = false;
    const runtime = { getContexts: async () => (open ? [{}] : []) };
    const ensureOffscreen = offscreenOpener(
      () => runtime,
      () => offscreen,
      spec,
    );
    await ensureOffscreen();
    open = true;
    await ensureOffscreen();
    expect(offscreen.created).toEqual([['WORKERS', 'BLOBS']]);
  });

  it('still reports a creation failure that is not "already open", and a browser with no offscreen API', async () => {
    const failing: OffscreenApiLike = {
      Reason: REASONS_109,
      createDocument: async () => {
        throw new Error('Offscreen document url is not an extension page');
      },
    };
    await expect(
      offscreenOpener(
        () => ({}),
        () => failing,
        spec,
      )(),
    ).rejects.toThrow('not an extension page');
    await expect(
      offscreenOpener(
        () => ({}),
        () => undefined,
        spec,
      )(),
    ).rejects.toThrow('no chrome.offscreen');
  });
});

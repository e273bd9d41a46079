/**
 * The clinic upload page: a forged letter chosen in the file input is checked from the
 * `File` itself, and the extension's warning stands next to the input before the clinic
 * submits the form. (Holding the submission back is the portal's business; showing the
 * warning first is ours.)
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoCase } from '../../scripts/demo/demo-world.ts';
import { demoAttachment } from '../../scripts/demo/servers.ts';
import { tabDocuments, tabIdOf, toolbarOf } from './support/browser.ts';
import {
  type FoundMarker,
  findMarkers,
  markerFrame,
  openPortalPage,
  type PortalSession,
  readMarker,
  SECURITY_MARK,
  settledMarker,
  startPortalSession,
} from './support/portal.ts';

let session: PortalSession;
let page: Page;
let tabId: number;

beforeAll(async () => {
  session = await startPortalSession();
  ({ page, tabId } = await openPortalPage(session, '/upload.html'));
});

afterAll(async () => {
  await session?.close();
});

async function choose(demoCase: DemoCase, name: string): Promise<void> {
  const { letter, bytes } = await demoAttachment(session.servers.world, demoCase);
  await page.setInputFiles('#letter', {
    name,
    mimeType: letter.format === 'png' ? 'image/png' : 'application/pdf',
    buffer: Buffer.from(bytes),
  });
}

/** Polls storage.session until the upload named `name` is done. */
async function uploaded(name: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const found = (await tabDocuments(session.browser, tabId))?.documents.find((d) => d.name === name);
    if (found?.state === 'done') return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} was never checked`);
}

describe('the clinic upload page', () => {
  it('says on the toolbar that the page has no letters before a file is chosen', async () => {
    const deadline = Date.now() + 30_000;
    let shown = await toolbarOf(session.browser, tabId);
    while (shown.title !== '验真：本页没有找到带授权二维码的授权文件' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      shown = await toolbarOf(session.browser, tabId);
    }
    expect(shown).toEqual({ text: '', title: '验真：本页没有找到带授权二维码的授权文件' });
  });

  it.each([
    ['fake-issuer', '来访人员授权书.png', ['ISSUER_UNKNOWN']],
    ['scope', '来访人员授权书.pdf', ['SCOPE_NOT_PERMITTED']],
  ] as const)(
    'flags a chosen %s letter next to the file input before the form is submitted',
    async (demoCase, name, reasons) => {
      await choose(demoCase, name);
      const record = await uploaded(name);
      expect(record).toMatchObject({ source: 'upload', verdict: 'invalid', url: null });
      expect(record.codes.flatMap((c) => c.verdict.reasons)).toEqual(reasons);

      const markers = await findMarkers(page);
      expect(markers.map((m) => m.anchor.id)).toEqual(['letter']);
      const marker = markers[0];
      expect(await settledMarker(page, marker?.src ?? '')).toMatchObject({
        state: 'invalid',
        securityMark: SECURITY_MARK.word,
      });
      // The warning is visible while the form is still unsent.
      expect(await page.textContent('#result')).toBe('');
      expect(await page.locator('span[data-yanzhen-marker]').isVisible()).toBe(true);
    },
  );

  it('counts both forged uploads on the badge', async () => {
    expect((await toolbarOf(session.browser, tabId)).text).toBe('2');
  });

  it('lets the clinic submit afterwards: the extension never blocks the portal', async () => {
    await page.click('button[type=submit]');
    expect(await page.textContent('#result')).toContain('已提交');
  });
});

/*
 * What a hostile portal page can try against the markers (Mailvelope's threat model): it
 * shares the DOM with our content script and can draw anything, so it must not be able to
 * read a marker, change a verdict, or draw a marker that looks like ours.
 *
 * The page here patches `attachShadow` and `postMessage` before any script of ours runs (a
 * Playwright init script runs in the page's own world), then a forged letter is chosen in
 * its upload form so that a real marker exists to attack. It is a tab of its own in the same
 * browser (it had a file and a browser of its own, page-cannot-fake.test.ts, for the same page).
 */
/** Runs in the page's world before everything: records every shadow root anyone attaches. */
function spyOnShadowRoots() {
  const seen: ShadowRoot[] = [];
  const original = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
    const root = original.call(this, init);
    seen.push(root);
    return root;
  };
  (window as unknown as { __seenShadowRoots: ShadowRoot[] }).__seenShadowRoots = seen;
}

/** The page keeps every marker size message posted into its window (it sees them all). */
function keepSizeMessages() {
  const kept: unknown[] = [];
  window.addEventListener('message', (event) => {
    if ((event.data as { yanzhen?: unknown } | null)?.yanzhen === 'marker-size') kept.push(event.data);
  });
  (window as unknown as { __sizeMessages: unknown[] }).__sizeMessages = kept;
}

describe('a hostile page', () => {
  let hostile: Page;
  let hostileTab: number;
  let marker: FoundMarker;

  beforeAll(async () => {
    hostile = await session.browser.context.newPage();
    await hostile.addInitScript(spyOnShadowRoots);
    await hostile.addInitScript(keepSizeMessages);
    // Its own address: the clinic's upload tab above shows /upload.html too, and tabs are found by URL.
    const url = `${session.portalOrigin}/upload.html?hostile`;
    await hostile.goto(url);
    hostileTab = await tabIdOf(session.browser, url);
    const { bytes } = await demoAttachment(session.servers.world, 'fake-issuer');
    await hostile.setInputFiles('#letter', { name: '授权书.png', mimeType: 'image/png', buffer: Buffer.from(bytes) });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await findMarkers(hostile)).length === 0)
      await new Promise((r) => setTimeout(r, 100));
    const found = (await findMarkers(hostile))[0];
    if (!found) throw new Error('no marker was drawn');
    marker = found;
    await settledMarker(hostile, marker.src);
  });

  it('finds only a closed host element: no shadow root, no iframe, no token in its DOM', async () => {
    const seen = await hostile.evaluate(() => {
      const hosts = [...document.querySelectorAll('span[data-yanzhen-marker]')];
      return {
        hosts: hosts.length,
        openRoots: hosts.filter((h) => h.shadowRoot !== null).length,
        iframes: document.querySelectorAll('iframe').length,
        markupMentionsMarker: document.documentElement.outerHTML.includes('marker.html'),
        patchedAttachShadowSaw: (window as unknown as { __seenShadowRoots: ShadowRoot[] }).__seenShadowRoots.length,
      };
    });
    // The content script's isolated world has its own Element.prototype: the page's patch never sees our root.
    expect(seen).toEqual({
      hosts: 1,
      openRoots: 0,
      iframes: 0,
      markupMentionsMarker: false,
      patchedAttachShadowSaw: 0,
    });
  });

  it('has no window handle to the marker frame and cannot read a marker page it frames itself', async () => {
    const attempts = await hostile.evaluate(
      async (src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
        await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
        let read: string;
        try {
          read = String(frame.contentWindow?.document.body.textContent);
        } catch (error) {
          read = (error as Error).name;
        }
        const out = { framesBefore: window.length - 1, contentDocument: frame.contentDocument === null, read };
        frame.remove();
        return out;
      },
      `chrome-extension://${session.browser.extensionId}/marker.html?m=${'1'.repeat(32)}`,
    );
    // A frame inside a (closed) shadow tree is not among window.frames: the page cannot even post to it.
    expect(attempts).toEqual({ framesBefore: 0, contentDocument: true, read: 'SecurityError' });
  });

  it('cannot change the verdict by posting messages to the window or to marker frames', async () => {
    await hostile.evaluate(async (src) => {
      const lies = [
        { yz: 1, type: 'marker.claim', data: { token: 'x' } },
        { yz: 1, type: 'render', state: 'valid', verdict: 'valid' },
        { type: 'accepted', key: 'x', accepted: { docId: 'x', markerToken: 'x' } },
        'valid',
      ];
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
      await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      for (const lie of lies) {
        window.postMessage(lie, '*');
        frame.contentWindow?.postMessage(lie, '*');
        for (let i = 0; i < window.length; i++) (window[i] as Window).postMessage(lie, '*');
      }
      frame.remove();
    }, marker.src);
    expect(await readMarker(markerFrame(hostile, marker.src))).toMatchObject({ state: 'invalid', verdict: 'invalid' });
    const stored = await tabDocuments(session.browser, hostileTab);
    expect(stored?.documents.map((d) => [d.verdict, d.codes.flatMap((c) => c.verdict.reasons)])).toEqual([
      ['invalid', ['ISSUER_UNKNOWN']],
    ]);
  });

  it("cannot resize a marker by replaying its size message, with the marker's id, from a frame of its own", async () => {
    const widths = await hostile.evaluate(async () => {
      const host = document.querySelector('span[data-yanzhen-marker]') as HTMLElement;
      const before = host.getBoundingClientRect().width;
      const copied = (window as unknown as { __sizeMessages: { id: string }[] }).__sizeMessages[0];
      const frame = document.createElement('iframe');
      document.body.append(frame);
      for (const width of [640, 120]) {
        frame.contentWindow?.parent.postMessage({ yanzhen: 'marker-size', id: copied?.id, width, height: 72 }, '*');
        // Same-origin frame: its script posts as itself, the window the content script sees as source.
        (frame.contentWindow as unknown as { eval(code: string): void }).eval(
          `parent.postMessage({ yanzhen: 'marker-size', id: ${JSON.stringify(copied?.id)}, width: ${width}, height: 72 }, '*')`,
        );
        await new Promise((r) => setTimeout(r, 300));
      }
      frame.remove();
      return { copied: typeof copied?.id, before, after: host.getBoundingClientRect().width };
    });
    expect(widths.copied).toBe('string');
    expect(widths.after).toBe(widths.before);
  });

  it('cannot reach the extension through chrome.runtime (no externally_connectable)', async () => {
    const answer = await hostile.evaluate(async (id) => {
      const c = (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: (...a: unknown[]) => unknown } } })
        .chrome;
      if (!c?.runtime?.sendMessage) return 'no chrome.runtime.sendMessage';
      try {
        await c.runtime.sendMessage(id, {
          yz: 1,
          type: 'check.bytes',
          data: { tabId: null, name: 'x', source: 'manual-file', base64: '' },
        });
        return 'sent';
      } catch (error) {
        return `refused: ${(error as Error).message}`;
      }
    }, session.browser.extensionId);
    expect(answer).not.toBe('sent');
  });

  it('cannot load extension pages other than the marker', async () => {
    const loaded = await hostile.evaluate(async (id) => {
      try {
        await fetch(`chrome-extension://${id}/sidepanel.html`);
        return true;
      } catch {
        return false;
      }
    }, session.browser.extensionId);
    expect(loaded).toBe(false);
  });

  it.each([
    ['a made-up token', () => `m=${'0'.repeat(32)}`],
    ['no token', () => ''],
    ['the real marker token, copied', () => new URL(marker.src).search.slice(1)],
  ])('draws a marker with %s that says it is not ours and has no security mark', async (_what, query) => {
    const src = `chrome-extension://${session.browser.extensionId}/marker.html${query() ? `?${query()}` : ''}`;
    const fakeSrc = `${src}${src.includes('?') ? '&' : '?'}fake=${Math.random().toString(36).slice(2)}`;
    await hostile.evaluate((s) => {
      const frame = document.createElement('iframe');
      frame.src = s;
      frame.width = '240';
      frame.height = '50';
      document.body.append(frame);
    }, fakeSrc);
    const shown = await settledMarker(hostile, fakeSrc);
    expect(shown).toMatchObject({ state: 'foreign', securityMark: null });
    expect(shown.words).not.toContain(SECURITY_MARK.word);
  });
});

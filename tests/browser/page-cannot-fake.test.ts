/**
 * What a hostile portal page can try against the markers (Mailvelope's threat model): it
 * shares the DOM with our content script and can draw anything, so it must not be able to
 * read a marker, change a verdict, or draw a marker that looks like ours.
 *
 * The page here patches `attachShadow` and `postMessage` before any script of ours runs (a
 * Playwright init script runs in the page's own world), then a forged letter is chosen in
 * its upload form so that a real marker exists to attack.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAttachment } from '../../scripts/demo/servers.ts';
import { tabDocuments, tabIdOf } from './support/browser.ts';
import {
  type FoundMarker,
  findMarkers,
  markerFrame,
  type PortalSession,
  readMarker,
  SECURITY_MARK,
  settledMarker,
  startPortalSession,
} from './support/portal.ts';

let session: PortalSession;
let page: Page;
let tabId: number;
let marker: FoundMarker;

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

beforeAll(async () => {
  session = await startPortalSession();
  page = await session.browser.context.newPage();
  await page.addInitScript(spyOnShadowRoots);
  const url = `${session.portalOrigin}/upload.html`;
  await page.goto(url);
  tabId = await tabIdOf(session.browser, url);
  const { bytes } = await demoAttachment(session.servers.world, 'fake-issuer');
  await page.setInputFiles('#letter', { name: '授权书.png', mimeType: 'image/png', buffer: Buffer.from(bytes) });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (await findMarkers(page)).length === 0) await new Promise((r) => setTimeout(r, 100));
  const found = (await findMarkers(page))[0];
  if (!found) throw new Error('no marker was drawn');
  marker = found;
  await settledMarker(page, marker.src);
});

afterAll(async () => {
  await session?.close();
});

describe('a hostile page', () => {
  it('finds only a closed host element: no shadow root, no iframe, no token in its DOM', async () => {
    const seen = await page.evaluate(() => {
      const hosts = [...document.querySelectorAll('yanzhen-marker')];
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
    const attempts = await page.evaluate(
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
    await page.evaluate(async (src) => {
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
    expect(await readMarker(markerFrame(page, marker.src))).toMatchObject({ state: 'invalid', verdict: 'invalid' });
    const stored = await tabDocuments(session.browser, tabId);
    expect(stored?.documents.map((d) => [d.verdict, d.codes.flatMap((c) => c.verdict.reasons)])).toEqual([
      ['invalid', ['ISSUER_UNKNOWN']],
    ]);
  });

  it('cannot reach the extension through chrome.runtime (no externally_connectable)', async () => {
    const answer = await page.evaluate(async (id) => {
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
    const loaded = await page.evaluate(async (id) => {
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
    await page.evaluate((s) => {
      const frame = document.createElement('iframe');
      frame.src = s;
      frame.width = '240';
      frame.height = '50';
      document.body.append(frame);
    }, fakeSrc);
    const shown = await settledMarker(page, fakeSrc);
    expect(shown).toMatchObject({ state: 'foreign', securityMark: null });
    expect(shown.words).not.toContain(SECURITY_MARK.word);
  });
});

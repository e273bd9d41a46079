/**
 * The side panel in real Chromium with the built demo extension: cards for a valid letter,
 * an invalid one and a document with no code, at side-panel widths. Saves the README's
 * screenshots (docs/screenshots/*.png) when a CJK font is installed (`fonts-noto-cjk`);
 * without one Chromium draws boxes for Chinese, so the images go to test-results/ instead
 * and the committed ones stay as they are. The assertions do not depend on fonts.
 *
 * Documents are placed in storage.session as the background records them, so these
 * pictures show the panel alone; the demo-portal tests cover the pipeline that fills it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DocumentRecord, TabDocuments } from '../../utils/check/document-record.ts';
import { LETTER, record, verdict } from '../unit/ui/fixtures.ts';
import { currentWorker, type ExtensionBrowser, launchWithExtension, setSettings } from './support/browser.ts';
import { ROOT } from './support/build-demo.ts';
import { SHOT_DIR } from './support/screenshot-dir.ts';

const PORTAL = 'data:text/html;charset=utf-8,<title>portal</title><h1>county review</h1>';
const PAGE_URL = 'http://127.0.0.1:47310/review.html';

const VALID = record({ id: 'valid', name: '惠民服务授权书.pdf', pageUrl: PAGE_URL });
const INVALID = record({
  id: 'invalid',
  name: '支付开户授权书.jpg',
  source: 'img',
  pageUrl: PAGE_URL,
  codes: [
    {
      page: 1,
      verdict: verdict(['SCOPE_NOT_PERMITTED'], {
        letter: {
          ...LETTER,
          scope: ['payment.account.open'],
          jti: 'DZ-2026-0417',
          sub_name: '邓州市便民支付服务有限公司',
        },
        facts: { scopes: [{ id: 'payment.account.open', label: null, excludes: [] }] },
      }),
    },
  ],
});
const NONE = record({
  id: 'none',
  name: '纸质介绍信扫描件.png',
  source: 'img',
  pageUrl: PAGE_URL,
  codes: [],
  verdict: 'none',
});

let browser: ExtensionBrowser;
let tabId: number;
let panel: Page;

/**
 * Opens the "portal" tab from the service worker, which learns its id from tabs.create
 * (without the `tabs` permission, tabs.query hides the URL and title of a data: page).
 */
async function openPortalTab(): Promise<number> {
  const worker = await currentWorker(browser);
  return worker.evaluate(async (url) => {
    const c = (globalThis as unknown as { chrome: { tabs: { create(p: object): Promise<{ id: number }> } } }).chrome;
    return (await c.tabs.create({ url, active: false })).id;
  }, PORTAL);
}

async function showDocuments(documents: DocumentRecord[]): Promise<void> {
  const worker = await currentWorker(browser);
  const value: TabDocuments = { tabId, pageUrl: PAGE_URL, documents };
  await worker.evaluate(
    async ([key, v]) => {
      const c = (globalThis as unknown as { chrome: { storage: { session: { set(x: object): Promise<void> } } } })
        .chrome;
      await c.storage.session.set({ [key as string]: v });
    },
    [`tab:${tabId}`, value] as const,
  );
  await panel.waitForFunction(
    (ids) => ids.every((id) => document.getElementById(`card-${id}`) !== null),
    documents.map((d) => d.id),
  );
}

beforeAll(async () => {
  mkdirSync(SHOT_DIR, { recursive: true });
  browser = await launchWithExtension(inject('demoExtensionDir'));
  await setSettings(browser, { locale: 'zh-CN', securityMark: { picture: 'fish', word: '红枣' } });
  tabId = await openPortalTab();
  panel = await browser.context.newPage();
  await panel.setViewportSize({ width: 400, height: 900 });
  await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html?tabId=${tabId}`);
  await panel.waitForSelector('.yz-summary');
});

afterAll(async () => {
  await browser?.close();
});

describe('side panel cards in Chromium', () => {
  it.each([
    ['valid', VALID, ['有效', '邓州市医疗保障局', '不授权以下事项', '请只拨打此号码核实']],
    ['invalid', INVALID, ['无效', '该机关无权授权其中的事项', '复制举报信息', '本授权不包括开通支付账户']],
    ['none', NONE, ['没有授权二维码', '这份文件没有可验证的电子签名']],
  ] as const)('shows the %s card in words and saves its screenshot', async (state, doc, words) => {
    await showDocuments([doc]);
    const card = panel.locator(`article[data-state="${state}"]`);
    expect(await card.count()).toBe(1);
    const text = (await card.textContent()) ?? '';
    for (const word of words) expect(text).toContain(word);
    // The region table loaded from the extension's own files: places by name, the code in small print.
    if (state !== 'none') expect(text).toContain('河南省南阳市邓州市陶营镇 代码 411381121');
    await panel.screenshot({ path: join(SHOT_DIR, `sidepanel-${state}.png`), fullPage: true });
  });

  it.each([
    ['valid', VALID],
    ['invalid', INVALID],
  ] as const)(
    'puts the %s decision, the tel: link and the copy button on the first screen, then NOT-authorized, details folded',
    async (state, doc) => {
      await showDocuments([doc]);
      const layout = await panel.evaluate((wanted) => {
        const card = document.querySelector(`article[data-state="${wanted}"]`) as HTMLElement;
        const top = card.getBoundingClientRect().top;
        const bottom = (selector: string) => {
          const el = card.querySelector(selector);
          return el ? Math.round(el.getBoundingClientRect().bottom - top) : null;
        };
        const topOf = (selector: string) => {
          const el = card.querySelector(selector);
          return el ? Math.round(el.getBoundingClientRect().top - top) : null;
        };
        return {
          word: bottom('[id$="-state"]'),
          next: bottom('.yz-next'),
          tel: (card.querySelector('a.yz-phone') as HTMLAnchorElement | null)?.href.startsWith('tel:') ?? false,
          phone: bottom('a.yz-phone'),
          copy: bottom('.yz-contact button'),
          notAuthorized: topOf('.yz-not-authorized'),
          detailsOpen: (card.querySelector('details.yz-more') as HTMLDetailsElement | null)?.open ?? null,
        };
      }, state);
      // A 400 px side panel on a 1366 x 768 laptop shows about 600 px of a card.
      expect(layout.tel).toBe(true);
      for (const part of [layout.word, layout.next, layout.phone, layout.copy]) {
        expect(part).not.toBeNull();
        expect(part).toBeLessThan(600);
      }
      expect(layout.notAuthorized).toBeGreaterThanOrEqual(layout.copy ?? Number.POSITIVE_INFINITY);
      expect(layout.detailsOpen).toBe(false);
    },
  );

  it('lists problems first and announces the summary in a live region', async () => {
    await showDocuments([VALID, NONE, INVALID]);
    const order = await panel.locator('article').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-state')));
    expect(order).toEqual(['invalid', 'none', 'valid']);
    expect(await panel.locator('.yz-summary[aria-live="polite"]').textContent()).toBe(
      '3 份授权文件：1 份无效，1 份没有授权二维码，1 份有效',
    );
    await panel.screenshot({ path: join(SHOT_DIR, 'sidepanel-list.png'), fullPage: true });
  });

  it('gives only the valid card a green border, with 16px body type', async () => {
    await showDocuments([VALID, NONE, INVALID]);
    const looks = await panel
      .locator('article')
      .evaluateAll((cards) =>
        cards.map((c) => ({ state: c.getAttribute('data-state'), border: getComputedStyle(c).borderLeftColor })),
      );
    const isGreen = (rgb: string) => {
      const [r = 0, g = 0, b = 0] = rgb.match(/\d+/g)?.map(Number) ?? [];
      return g > r + 40 && g > b + 20;
    };
    expect(looks.map((l) => [l.state, isGreen(l.border)])).toEqual([
      ['invalid', false],
      ['none', false],
      ['valid', true],
    ]);
    expect(await panel.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('16px');
  });

  it.each([320, 480])('fits a %i px wide panel without sideways scrolling', async (width) => {
    await panel.setViewportSize({ width, height: 900 });
    await showDocuments([VALID, NONE, INVALID]);
    const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await panel.setViewportSize({ width: 400, height: 900 });
  });

  it('reaches every control of a card and the manual checks by keyboard, with a visible focus ring', async () => {
    await showDocuments([INVALID]);
    const reached = new Map<string, string>();
    await panel.locator('body').focus();
    for (let i = 0; i < 40; i++) {
      await panel.keyboard.press('Tab');
      const [text, outline] = await panel.evaluate(() => {
        // Past the last control, focus leaves the page and the body is active: not a control.
        const active = document.activeElement as HTMLElement | null;
        const el = active === document.body ? null : active;
        const style = el ? getComputedStyle(el) : null;
        return [el?.textContent?.trim().slice(0, 20) ?? '', style ? `${style.outlineStyle} ${style.outlineWidth}` : ''];
      });
      reached.set(text, outline);
    }
    for (const control of ['复制举报信息', '复制号码', '0377-62150000', '检查此标签页的 PDF', '大字']) {
      expect(
        [...reached.keys()].some((k) => k.includes(control)),
        control,
      ).toBe(true);
    }
    expect([...reached.keys()].some((k) => k.startsWith('查看详情'))).toBe(true);
    for (const [text, outline] of reached) if (text) expect(outline, text).toMatch(/^solid [3-9]/);
    // Enter on the details summary opens them.
    await panel.locator('details.yz-more > summary').first().focus();
    await panel.keyboard.press('Enter');
    expect(
      await panel
        .locator('details.yz-more')
        .first()
        .evaluate((d) => (d as HTMLDetailsElement).open),
    ).toBe(true);
  });

  it('shows larger text at the press of 大字, still without sideways scrolling', async () => {
    await showDocuments([VALID, INVALID]);
    await panel.locator('button.yz-text-size').click();
    await panel.waitForFunction(() => getComputedStyle(document.body).fontSize === '20px');
    expect(await panel.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await panel.screenshot({ path: join(SHOT_DIR, 'sidepanel-large-text.png') });
    await panel.locator('button.yz-text-size').click();
    await panel.waitForFunction(() => getComputedStyle(document.body).fontSize === '16px');
  });
});

describe('first run', () => {
  it('opens the welcome page at install, which offers the security mark and saves the choice', async () => {
    const welcomeUrl = `chrome-extension://${browser.extensionId}/welcome.html`;
    const welcome =
      browser.context.pages().find((p) => p.url() === welcomeUrl) ??
      (await browser.context.waitForEvent('page', { predicate: (p) => p.url() === welcomeUrl }));
    await welcome.setViewportSize({ width: 720, height: 1000 });
    await welcome.waitForSelector('form.yz-mark');
    await welcome.screenshot({ path: join(SHOT_DIR, 'welcome.png'), fullPage: true });
    await welcome.locator('label.yz-mark__picture', { hasText: '小船' }).click();
    await welcome.locator('[name="security-mark-word"]').fill('红枣');
    await welcome.locator('form.yz-mark button[type=submit]').click();
    await welcome.waitForSelector('text=安全标记已保存。');
    const worker = await currentWorker(browser);
    const stored = await worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<never> } } } })
        .chrome;
      return ((await c.storage.local.get('settings')) as { settings: { securityMark: unknown } }).settings.securityMark;
    });
    expect(stored).toEqual({ picture: 'boat', word: '红枣' });
    await welcome.close();
  });

  it('never pushes the side panel down with a mark prompt, even with no mark set', async () => {
    await setSettings(browser, { securityMark: null });
    await showDocuments([VALID]);
    const top = await panel.evaluate(() => document.querySelector('article')?.getBoundingClientRect().top ?? -1);
    // The panel has drawn itself with no mark once it shows a later change of the settings: the
    // language to English and back, each drawn from storage.local.onChanged (use-settings.ts) as
    // the mark's removal was. A prompt would be drawn with that state (a fixed 3.5 s wait stood here).
    for (const locale of ['en', 'zh-CN']) {
      await setSettings(browser, { locale });
      await panel.waitForFunction((l) => document.documentElement.lang === l, locale);
    }
    await panel.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await panel.locator('form.yz-mark').count()).toBe(0);
    expect(await panel.evaluate(() => document.querySelector('article')?.getBoundingClientRect().top ?? -1)).toBe(top);
    await setSettings(browser, { securityMark: { picture: 'fish', word: '红枣' } });
  });
});

describe('options page', () => {
  it('saves through the named fields and names the region', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 720, height: 1000 });
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.locator('[name="region"]').fill('411381121');
    await page.waitForSelector('[data-region-name]');
    expect(await page.locator('[data-region-name]').textContent()).toBe('对应地区：河南省南阳市邓州市陶营镇');
    await page.locator('button[type=submit]').first().click();
    await page.waitForSelector('text=设置已保存。');
    // The demo registry server is not running here: the cache state says why in words, not as a code.
    expect(await page.locator('#cache-title + [role=status]').textContent()).not.toMatch(/REGISTRY_[A-Z]+/);
    await page.screenshot({ path: join(SHOT_DIR, 'options.png'), fullPage: true });
    await page.close();
  });
});

describe('manual checks through the runtime', () => {
  async function choose(file: 'icon' | 'broken' | 'text'): Promise<void> {
    const input = panel.locator('input[type=file]');
    if (file === 'icon') return input.setInputFiles(join(ROOT, 'public/icons/128.png'));
    if (file === 'text') {
      return input.setInputFiles({ name: 'letter.txt', mimeType: 'text/plain', buffer: Buffer.from('AL1:x.y.z\n') });
    }
    const png = await QRCode.toBuffer('AL1:eyJ.broken.x', { errorCorrectionLevel: 'M', scale: 8 });
    return input.setInputFiles({ name: 'broken-letter.png', mimeType: 'image/png', buffer: png });
  }

  it.each([
    ['an image with no code', 'icon', 'none', '这份文件没有可验证的电子签名'],
    ['a picture of a broken AL1 code', 'broken', 'invalid', '复制举报信息'],
    ['a text file, which the reader does not take', 'text', 'error', '不支持这种文件类型'],
  ] as const)('checks %s chosen in the panel and shows its card and history entry', async (_l, file, state, words) => {
    await showDocuments([]);
    await choose(file);
    // The result shows in place, at the top under "刚才检查的文件", not sorted into the page's list.
    const card = panel.locator(`.yz-recent article[data-state="${state}"]`).first();
    await card.waitFor({ timeout: 60_000 });
    expect(await card.textContent()).toContain(words);
    expect(await panel.locator('.yz-recent article').first().getAttribute('data-state')).toBe(state);
    expect(
      await panel.evaluate(() => document.querySelector('.yz-recent')?.getBoundingClientRect().top ?? 999),
    ).toBeLessThan(120);
    await panel.locator('#tab-history').click();
    await panel.waitForSelector('.yz-history__item');
    expect(await panel.locator('.yz-history__item').count()).toBeGreaterThanOrEqual(1);
    await panel.locator('#tab-results').click();
  });
});

describe('the camera page opened on its own (?camera=1, no tab)', () => {
  it('shows a check made there at the top, not only in the history', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 400, height: 900 });
    await page.goto(`chrome-extension://${browser.extensionId}/sidepanel.html?camera=1`);
    await page.locator('input[type=file]').setInputFiles(join(ROOT, 'public/icons/128.png'));
    const card = page.locator('.yz-recent article[data-state="none"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await page.locator('#recent-title').textContent()).toBe('刚才检查的文件');
    await page.close();
  });
});

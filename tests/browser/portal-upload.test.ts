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
import { tabDocuments, toolbarOf } from './support/browser.ts';
import {
  findMarkers,
  openPortalPage,
  type PortalSession,
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
      expect(await page.locator('yanzhen-marker').isVisible()).toBe(true);
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

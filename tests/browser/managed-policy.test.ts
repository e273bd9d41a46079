/**
 * County IT's policy, for real: a Chromium managed policy file (made by the same code as
 * `npm run policies`) for the test build's extension id, written before Chromium starts.
 * The options page must show the managed values locked, and verdicts must use them: the
 * managed region (西峡, 411326101) beats the clinic's own (陶营镇) that storage.local holds,
 * so the Dengzhou letter turns REGION_MISMATCH and the Xichuan one valid, and the managed
 * registry URL beats a wrong local one.
 *
 * Chromium reads every `*.json` in its managed policy folder; the extension's values sit
 * under `3rdparty.extensions.<id>`. The id is fixed by the run's own key (`key` in the test
 * build's manifest, see support/global-setup.ts: no other run's browser has it). Needs root
 * (the folder is under /etc); the file is removed in afterAll whatever happened.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_REGION } from '../../scripts/demo/demo-config.ts';
import { demoRootJwksText } from '../../scripts/demo/demo-keys.ts';
import type { DemoCase } from '../../scripts/demo/demo-world.ts';
import { attachmentPath } from '../../scripts/demo/portal-pages.ts';
import { type DemoServers, startDemoServers } from '../../scripts/demo/servers.ts';
import { extensionIdOf } from '../../scripts/packaging/crx3.ts';
import { chromiumPolicyJson } from '../../scripts/packaging/policy-files.ts';
import type { TabDocuments } from '../../utils/check/document-record.ts';
import {
  chromiumPath,
  currentWorker,
  type ExtensionBrowser,
  launchWithExtension,
  setSettings,
  waitForContentScript,
  waitForDocuments,
} from './support/browser.ts';
import { openPortalPage, type PortalSession, SECURITY_MARK } from './support/portal.ts';

/** Where the Chromium under test reads managed policy (Google Chrome uses its own folder). */
const POLICY_DIR = /google-chrome|\/opt\/google/.test(chromiumPath())
  ? '/etc/opt/chrome/policies/managed'
  : '/etc/chromium/policies/managed';
const POLICY_FILE = join(POLICY_DIR, `yanzhen-browser-test-${process.pid}.json`);
/** 西峡县 丁河镇: the "other county" letter's township. */
const MANAGED_REGION = '411326101';

function policyDirProblem(): string | null {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    const probe = join(POLICY_DIR, `.yanzhen-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return null;
  } catch (error) {
    return `cannot write ${POLICY_DIR} (${(error as Error).message}): managed policy needs root`;
  }
}

const problem = policyDirProblem();
if (problem) console.warn(`managed-policy.test.ts skipped: ${problem}`);

let servers: DemoServers;
let browser: ExtensionBrowser;
let session: PortalSession;
let manifestId: string;
let managed: { registryUrl: string; rootKeys: string; region: string };

beforeAll(async () => {
  if (problem) return;
  const extensionDir = inject('demoExtensionDir');
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as { key?: string };
  if (!manifest.key) throw new Error('the test build has no manifest key: build it with YANZHEN_MANIFEST_KEY');
  manifestId = extensionIdOf(Buffer.from(manifest.key, 'base64'));
  servers = await startDemoServers({ portalPort: 0, registryPort: inject('demoRegistryPort') });
  managed = { registryUrl: servers.registryUrl, rootKeys: demoRootJwksText(), region: MANAGED_REGION };
  const policy = chromiumPolicyJson({
    managed,
    chromiumId: manifestId,
    firefoxId: 'unused@test',
    updateUrl: null,
    crxUrl: null,
    xpiUrl: null,
    version: '0',
  });
  writeFileSync(POLICY_FILE, JSON.stringify(policy, null, 2));
  browser = await launchWithExtension(extensionDir);
  // What the clinic typed itself: the managed values must win over both.
  await setSettings(browser, {
    locale: 'zh-CN',
    securityMark: SECURITY_MARK,
    registryUrl: 'http://127.0.0.1:9/registry.jws',
    region: DEMO_REGION,
  });
  await waitForContentScript(browser);
  session = {
    browser,
    servers,
    portalOrigin: new URL(servers.portalUrl).origin,
    close: async () => undefined,
  };
});

afterAll(async () => {
  rmSync(POLICY_FILE, { force: true });
  await browser?.close();
  await servers?.close();
});

describe.skipIf(problem !== null)('managed storage from a Chromium policy file', () => {
  it('gives the test build the id of its manifest key (Chromium derives ids as crx3.ts does)', () => {
    expect(browser.extensionId).toBe(manifestId);
  });

  it('reaches the extension through storage.managed', async () => {
    const worker = await currentWorker(browser);
    const got = await worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { storage: { managed: { get(k: null): Promise<unknown> } } } })
        .chrome;
      return c.storage.managed.get(null);
    });
    expect(got).toEqual({ ...managed, rootKeys: JSON.stringify(JSON.parse(managed.rootKeys)) });
  });

  describe('the options page', () => {
    let page: Page;
    beforeAll(async () => {
      page = await browser.context.newPage();
      await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
      await page.locator('[name="region"]').waitFor();
    });

    it.each([
      ['registry-url', () => managed.registryUrl],
      ['root-keys', () => JSON.stringify(JSON.parse(managed.rootKeys))],
      ['region', () => MANAGED_REGION],
    ])('shows %s with the managed value, locked', async (name, value) => {
      const field = page.locator(`[name="${name}"]`);
      expect(await field.inputValue()).toBe(value());
      expect(await field.isDisabled()).toBe(true);
    });

    it('says the three fields are set by the administrator, and leaves the language to the user', async () => {
      expect(await page.getByText('由管理员设置').count()).toBe(3);
      expect(await page.locator('[name="locale"]').isDisabled()).toBe(false);
    });
  });

  describe('verdicts on the county review page', () => {
    let tab: TabDocuments;
    beforeAll(async () => {
      const opened = await openPortalPage(session, '/review.html');
      tab = await waitForDocuments(browser, opened.tabId, 7);
    });

    const reasonsOf = (demoCase: DemoCase) => {
      const letter = servers.world.letters.find((l) => l.case === demoCase);
      const record = letter && tab.documents.find((d) => d.url === `${session.portalOrigin}${attachmentPath(letter)}`);
      if (!record) throw new Error(`no record for ${demoCase}`);
      return [record.verdict, record.codes.flatMap((c) => c.verdict.reasons)];
    };

    it.each([
      ['valid', 'warning', ['REGION_MISMATCH']],
      ['other-county', 'valid', []],
      ['fake-issuer', 'invalid', ['ISSUER_UNKNOWN', 'REGION_MISMATCH']],
      ['revoked', 'invalid', ['REVOKED', 'REGION_MISMATCH']],
    ] as const)('judges the %s letter %s (%j) with the managed region and registry', (demoCase, verdict, reasons) => {
      expect(reasonsOf(demoCase)).toEqual([verdict, reasons]);
    });
  });
});

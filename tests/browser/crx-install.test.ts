/**
 * The offline package as Chromium takes it: a `.crx` signed by scripts/packaging/crx3.ts
 * with the test key, named in an `updates.xml` from policy-files.ts, force-installed by an
 * `ExtensionInstallForcelist` policy file as county IT would deploy it. Chromium installs a
 * CRX3 only after checking its signature and that the id matches the key, so an installed
 * extension with the test key's id proves the format, the id and the update manifest.
 *
 * The package is a minimal extension (a manifest and an empty service worker), not the
 * demo build: a force-install policy reaches every Chromium started on this machine while
 * the file exists, and an inert extension cannot disturb anything else running here.
 * (Managed storage from policy is proven on the real extension by managed-policy.test.ts.)
 * Needs root (the policy folder is under /etc); the file is removed in afterAll.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSigningKey } from '../../scripts/packaging/crx-key.ts';
import { buildCrx3 } from '../../scripts/packaging/crx3.ts';
import { chromiumPolicyJson, updateManifestXml } from '../../scripts/packaging/policy-files.ts';
import { chromiumPath } from './support/browser.ts';

const POLICY_DIR = /google-chrome|\/opt\/google/.test(chromiumPath())
  ? '/etc/opt/chrome/policies/managed'
  : '/etc/chromium/policies/managed';
const POLICY_FILE = join(POLICY_DIR, `yanzhen-crx-test-${process.pid}.json`);
const signing = testSigningKey();

function policyDirProblem(): string | null {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    const probe = join(POLICY_DIR, `.yanzhen-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return null;
  } catch (error) {
    return `cannot write ${POLICY_DIR} (${(error as Error).message}): force-install policy needs root`;
  }
}

const problem = policyDirProblem();
if (problem) console.warn(`crx-install.test.ts skipped: ${problem}`);

const encode = (text: string) => new TextEncoder().encode(text);
const MANIFEST = {
  manifest_version: 3,
  name: 'Yanzhen CRX test (inert)',
  version: '0.0.1',
  minimum_chrome_version: '109',
  background: { service_worker: 'worker.js' },
};

let server: Server;
let context: BrowserContext;
let userDir: string;
interface InstalledExtension {
  id: string;
  location: string;
  registry_status: string;
  version: string;
}
let installed: InstalledExtension | null = null;
const requests: string[] = [];

beforeAll(async () => {
  if (problem) return;
  const crx = buildCrx3(
    zipSync({
      'manifest.json': encode(JSON.stringify(MANIFEST)),
      'worker.js': encode('// inert: installed only to prove the package\n'),
    }),
    signing.key,
  );
  server = createServer((req, res) => {
    requests.push(new URL(req.url ?? '/', 'http://x').pathname);
    const port = (server.address() as { port: number }).port;
    if (req.url?.startsWith('/updates.xml')) {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        updateManifestXml({
          chromiumId: signing.extensionId,
          crxUrl: `http://127.0.0.1:${port}/yanzhen.crx`,
          version: MANIFEST.version,
        }),
      );
    } else if (req.url === '/yanzhen.crx') {
      res.writeHead(200, { 'content-type': 'application/x-chrome-extension' });
      res.end(crx);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const policy = chromiumPolicyJson({
    managed: { registryUrl: '', rootKeys: '', region: '' },
    chromiumId: signing.extensionId,
    firefoxId: 'unused@test',
    updateUrl: `http://127.0.0.1:${port}/updates.xml`,
    crxUrl: null,
    xpiUrl: null,
    version: MANIFEST.version,
  });
  writeFileSync(POLICY_FILE, JSON.stringify(policy, null, 2));
  userDir = mkdtempSync(join(tmpdir(), 'yanzhen-crx-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: chromiumPath(),
    headless: true,
    // Playwright turns extensions off by default; the policy must be free to install one.
    // --disable-background-networking would also stop the extension downloader.
    ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking'],
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-component-update'],
  });
  // Chromium's own record of what it installed, and from where (JSON in a <pre>).
  const internals = await context.newPage();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !installed) {
    await internals.goto('chrome://extensions-internals');
    const list = JSON.parse((await internals.locator('pre').first().textContent()) ?? '[]') as InstalledExtension[];
    installed = list.find((e) => e.id === signing.extensionId) ?? null;
    if (!installed) await new Promise((r) => setTimeout(r, 500));
  }
  if (!installed) throw new Error(`Chromium did not install the .crx (requests: ${requests.join(', ')})`);
}, 120_000);

afterAll(async () => {
  rmSync(POLICY_FILE, { force: true });
  await context?.close();
  server?.close();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

describe.skipIf(problem !== null)('the .crx force-installed by policy', () => {
  it('is fetched through updates.xml and installed under the id of its signing key', () => {
    expect(requests).toEqual(expect.arrayContaining(['/updates.xml', '/yanzhen.crx']));
    expect(installed).toEqual(
      expect.objectContaining({
        id: signing.extensionId,
        location: 'EXTERNAL_POLICY_DOWNLOAD',
        registry_status: 'ENABLED',
        version: MANIFEST.version,
      }),
    );
  });
});

/**
 * Every request made while the extension checks the demo portal (review page, then a forged
 * letter chosen on the upload page), recorded by Chromium's own NetLog: that sees the page,
 * the content script, the service worker and the offscreen document alike, each request
 * with its initiator. The extension may ask only for the registry, issuer keys and status
 * lists, and read the attachments; no document byte may leave the browser.
 *
 * Chromium's own background requests (component updates, account checks) have no origin as
 * initiator and are not the extension's; they are set aside, by that initiator, not by URL.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../scripts/demo/servers.ts';
import { demoAttachment } from '../../scripts/demo/servers.ts';
import { tabDocuments, waitForDocuments } from './support/browser.ts';
import { openPortalPage, type PortalSession, startPortalSession } from './support/portal.ts';

interface NetRequest {
  initiator: string;
  method: string;
  url: string;
  hasBody: boolean;
}

let netDir: string;
let requests: NetRequest[] = [];
let served: LoggedRequest[] = [];
let extensionOrigin = '';
let portalOrigin = '';
let registryOrigin = '';

function readNetLog(file: string): NetRequest[] {
  const log = JSON.parse(readFileSync(file, 'utf8')) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: Record<string, unknown> }[];
  };
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((e) => e.type === startJob && typeof e.params?.url === 'string')
    .map((e) => ({
      initiator: String(e.params?.initiator ?? ''),
      method: String(e.params?.method ?? ''),
      url: String(e.params?.url),
      hasBody: e.params?.upload_id !== undefined,
    }));
}

beforeAll(async () => {
  netDir = mkdtempSync(join(tmpdir(), 'yanzhen-netlog-'));
  const netLog = join(netDir, 'net.json');
  const session: PortalSession = await startPortalSession({ extraArgs: [`--log-net-log=${netLog}`] });
  try {
    extensionOrigin = `chrome-extension://${session.browser.extensionId}`;
    portalOrigin = session.portalOrigin;
    registryOrigin = session.servers.registryOrigin;
    const review = await openPortalPage(session, '/review.html');
    await waitForDocuments(session.browser, review.tabId, 7);
    const upload = await openPortalPage(session, '/upload.html');
    const { bytes } = await demoAttachment(session.servers.world, 'fake-issuer');
    await upload.page.setInputFiles('#letter', {
      name: '授权书.png',
      mimeType: 'image/png',
      buffer: Buffer.from(bytes),
    });
    const deadline = Date.now() + 60_000;
    while (!(await tabDocuments(session.browser, upload.tabId))?.documents.some((d) => d.state === 'done')) {
      if (Date.now() > deadline) throw new Error('the upload was never checked');
      await new Promise((r) => setTimeout(r, 100));
    }
    served = [...session.servers.requests];
  } finally {
    // NetLog is complete only once the browser has closed.
    await session.close();
  }
  requests = readNetLog(netLog);
}, 240_000);

afterAll(() => {
  if (netDir) rmSync(netDir, { recursive: true, force: true });
});

const path = (url: string) => new URL(url).pathname;

describe('requests while the extension checks the portal', () => {
  it('has the extension itself ask only for the registry and status lists, by GET', () => {
    const own = requests.filter((r) => r.initiator === extensionOrigin);
    expect(own.length).toBeGreaterThan(0);
    for (const r of own) {
      expect(new URL(r.url).origin).toBe(registryOrigin);
      expect(path(r.url)).toMatch(/^\/(registry\.jws|status\/[a-z]+\.jws|jwks\/[a-z-]+\.json)$/);
      expect([r.method, r.hasBody]).toEqual(['GET', false]);
    }
  });

  it('has the portal page (and our content script in it) read only the portal, by GET', () => {
    const fromPage = requests.filter((r) => r.initiator === portalOrigin);
    expect(fromPage.length).toBeGreaterThan(0);
    for (const r of fromPage) {
      expect(new URL(r.url).origin).toBe(portalOrigin);
      expect(path(r.url)).toMatch(/^\/(files\/[a-z-]+\.(png|pdf)|favicon\.ico)$/);
      expect([r.method, r.hasBody]).toEqual(['GET', false]);
    }
  });

  it('sends nothing anywhere else from a page or the extension', () => {
    const web = requests.filter((r) => r.initiator !== 'not an origin');
    expect(web.filter((r) => r.initiator !== extensionOrigin && r.initiator !== portalOrigin)).toEqual([]);
    // Navigations have no initiator origin: they are the tests' own page loads of the portal.
    const navigations = requests.filter((r) => r.initiator === 'not an origin' && r.url.startsWith('http://127.0.0.1'));
    expect(new Set(navigations.map((r) => r.url))).toEqual(
      new Set([`${portalOrigin}/review.html`, `${portalOrigin}/upload.html`]),
    );
  });

  it('never sent a request body to the demo servers (the forged upload stayed in the browser)', () => {
    expect(served.filter((r) => r.method !== 'GET' || r.bodyBytes > 0)).toEqual([]);
    expect(served.some((r) => r.path === '/upload-disabled')).toBe(false);
  });
});

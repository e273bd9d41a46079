/**
 * The Firefox package in a real Firefox (Debian's firefox-esr, WebDriver BiDi through
 * puppeteer-core): the demo build (MV2; its background page reads and verifies documents,
 * as Firefox has no offscreen documents) installed as a temporary add-on checks the county
 * review page, and the valid and the invalid letters get the right markers and records.
 *
 * Skipped only when no Firefox is installed (.ci/run installs firefox-esr).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DemoCase } from '../../scripts/demo/demo-world.ts';
import { attachmentPath } from '../../scripts/demo/portal-pages.ts';
import { type DemoServers, startDemoServers } from '../../scripts/demo/servers.ts';
import type { DocumentRecord, TabDocuments } from '../../utils/check/document-record.ts';
import { ROOT } from './support/build-demo.ts';
import { waitForBuild } from './support/build-status.ts';
import {
  buildFirefoxDemo,
  extensionFrames,
  type FirefoxWithExtension,
  firefoxPath,
  launchFirefoxWithExtension,
  openExtensionPage,
} from './support/firefox.ts';
import { SECURITY_MARK } from './support/portal.ts';

const executable = firefoxPath();
if (!executable)
  console.warn('firefox-portal.test.ts skipped: no Firefox (apt-get install -y firefox-esr, or FIREFOX_PATH)');

/** `browser.*` as seen from the extension's own page (typed loosely: evaluated in Firefox). */
// biome-ignore lint/suspicious/noExplicitAny: the WebExtension API, evaluated in the browser
type WebExtensionApi = any;

let outDir: string;
let servers: DemoServers;
let firefox: FirefoxWithExtension;
let portal: Page;
let tab: TabDocuments;
/** A tab of the extension's own (its options page): the whole WebExtension API. */
let extensionPage: Page;
interface MarkerSeen {
  name: string;
  state: string;
  verdict: string;
  securityMark: string | null;
}
let markers: Array<MarkerSeen & { frame: Frame }>;

/**
 * The file name in a marker's screen-reader label, read with the label's own zh-CN template
 * (`extension.marker.label`), so a reworded label does not break the test.
 */
const LABEL_TEMPLATE = (
  JSON.parse(readFileSync(join(ROOT, 'public/locales/zh-CN/extension.json'), 'utf8')) as Record<string, string>
)['marker.label'] as string;
function nameInLabel(label: string): string {
  const pattern = LABEL_TEMPLATE.split(/(\{\w+\})/)
    .map((part) =>
      part === '{name}' ? '(.+?)' : /^\{\w+\}$/.test(part) ? '.*?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${pattern}$`, 'u').exec(label)?.[1] ?? '';
}
const figures: Record<string, number> = {};

async function poll<T>(what: string, read: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | null = null;
  while (Date.now() < deadline) {
    last = await read().catch(() => null);
    if (last !== null) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  if (!executable) return;
  // The registry on the port the globalSetup's Firefox package trusts; that package was built
  // in the background (support/global-setup.ts). A run without it, or whose port was taken
  // after all, builds its own here for the port the registry got.
  const registryPort = inject('demoRegistryPort');
  servers = await startDemoServers({ portalPort: 0, registryPort });
  let started = Date.now();
  const prebuilt = inject('firefoxDemoStatusFile');
  let addonDir: string;
  if (prebuilt && servers.registryUrl === `http://127.0.0.1:${registryPort}/registry.jws`) {
    await waitForBuild('wxt build -b firefox --mode demo', prebuilt);
    addonDir = inject('firefoxDemoDir');
    figures.buildWaitMs = Date.now() - started;
  } else {
    outDir = mkdtempSync(join(tmpdir(), 'yanzhen-firefox-'));
    addonDir = buildFirefoxDemo(outDir, servers.registryUrl);
    figures.buildMs = Date.now() - started;
  }

  started = Date.now();
  firefox = await launchFirefoxWithExtension(executable, addonDir);
  figures.launchAndInstallMs = Date.now() - started;

  // The portal first: the background runs its content script in tabs already open (the
  // regression of pages loaded before registration), and a marker frame is the way in.
  started = Date.now();
  portal = await firefox.browser.newPage();
  const url = `${new URL(servers.portalUrl).origin}/review.html`;
  await portal.goto(url);
  const [firstMarker] = await poll(
    'a marker frame',
    async () => {
      const frames = await extensionFrames(portal);
      return frames.length > 0 ? frames : null;
    },
    30_000,
  );
  if (!firstMarker) throw new Error('no marker frame');
  const page = await openExtensionPage(firefox.browser, firstMarker);
  extensionPage = page;
  await page.evaluate(async (mark) => {
    const b = (globalThis as unknown as { browser: WebExtensionApi }).browser;
    const got = await b.storage.local.get('settings');
    await b.storage.local.set({ settings: { ...(got.settings ?? {}), locale: 'zh-CN', securityMark: mark } });
  }, SECURITY_MARK);
  tab = await poll(
    'all seven documents checked',
    () =>
      page.evaluate(async (u) => {
        const b = (globalThis as unknown as { browser: WebExtensionApi }).browser;
        const found = (await b.tabs.query({})).find((t: { url?: string }) => t.url === u);
        if (!found) return null;
        const key = `tab:${found.id}`;
        const stored = (await b.storage.session.get(key))[key];
        const done =
          stored?.documents?.length >= 7 && stored.documents.every((d: DocumentRecord) => d.state === 'done');
        return done ? stored : null;
      }, url),
    90_000,
  );
  figures.reviewPageCheckedMs = Date.now() - started;

  markers = await poll(
    'seven settled markers with the security mark',
    async () => {
      const frames = await extensionFrames(portal);
      const views = await Promise.all(
        frames.map(async (frame) => {
          const seen = await frame.evaluate(() => {
            const root = document.getElementById('marker') as HTMLElement | null;
            const mark = root?.querySelector('.mark') as HTMLElement | null;
            return {
              label: root?.getAttribute('aria-label') ?? '',
              state: root?.dataset.state ?? '',
              verdict: root?.dataset.verdict ?? '',
              securityMark: !mark || mark.hidden ? null : (mark.dataset.securityMark ?? null),
            };
          });
          const { label, ...rest } = seen;
          return { name: nameInLabel(label), ...rest, frame };
        }),
      );
      const settled = views.filter((v) => v.state !== 'checking' && v.state !== '' && v.securityMark !== null);
      if (settled.length >= 7) return settled;
      // Markers are drawn only near the screen (marker-placement.ts): half a screen further each try.
      await portal.evaluate(() => {
        if (scrollY + innerHeight >= document.documentElement.scrollHeight - 1) scrollTo(0, 0);
        else scrollBy(0, innerHeight / 2);
      });
      return null;
    },
    60_000,
  );
  await portal.evaluate(() => scrollTo(0, 0));
  figures.totalMs = figures.launchAndInstallMs + (Date.now() - started);
  console.log(`firefox-esr figures (ms): ${JSON.stringify(figures)}`);
});

afterAll(async () => {
  await firefox?.close();
  await servers?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

function recordOf(demoCase: DemoCase): DocumentRecord {
  const letter = servers.world.letters.find((l) => l.case === demoCase);
  const found =
    letter && tab.documents.find((d) => d.url === `${new URL(servers.portalUrl).origin}${attachmentPath(letter)}`);
  if (!found) throw new Error(`no record for ${demoCase}`);
  return found;
}

function markerOf(demoCase: DemoCase): MarkerSeen & { frame: Frame } {
  const name = recordOf(demoCase).name;
  const found = markers.filter((m) => m.name === name);
  if (found.length !== 1 || !found[0])
    throw new Error(`${found.length} markers named ${name}: ${JSON.stringify(markers.map(({ frame, ...m }) => m))}`);
  return found[0];
}

/** The extension's top-level pages whose URL contains `part`. */
async function extensionTabs(part: string): Promise<Page[]> {
  const out: Page[] = [];
  for (const page of await firefox.browser.pages()) {
    const href = await page.evaluate(() => location.href).catch(() => '');
    if (href.includes(part)) out.push(page);
  }
  return out;
}

/** The card a click asked for, once the view highlights it and gives it focus; null until then. */
function focusedCard(view: Page, docId: string) {
  return view.evaluate((id) => {
    const card = document.querySelector<HTMLElement>(`article[data-doc-id="${id}"]`);
    if (!card?.classList.contains('yz-card--focused') || document.activeElement !== card) return null;
    return { state: card.dataset.state ?? '', text: card.textContent ?? '' };
  }, docId);
}

describe.skipIf(!executable)('the demo portal in Firefox ESR', () => {
  it.each([
    ['valid', 'valid', []],
    ['fake-issuer', 'invalid', ['ISSUER_UNKNOWN']],
    ['revoked', 'invalid', ['REVOKED']],
  ] as const)('records the %s letter as %s with reasons %j', (demoCase, verdict, reasons) => {
    const record = recordOf(demoCase);
    expect([record.verdict, record.codes.flatMap((c) => c.verdict.reasons)]).toEqual([verdict, reasons]);
  });

  it('agrees with the demo world on every attachment of the page', () => {
    for (const letter of servers.world.letters) {
      const record = recordOf(letter.case);
      expect([letter.case, record.verdict, record.codes.flatMap((c) => c.verdict.reasons)]).toEqual([
        letter.case,
        letter.expected.verdict,
        letter.expected.reasons,
      ]);
    }
  });

  it.each([
    ['valid', 'valid'],
    ['fake-issuer', 'invalid'],
    ['scope', 'invalid'],
  ] as const)('draws the %s letter a %s marker with the security mark', (demoCase, state) => {
    const { frame, ...seen } = markerOf(demoCase);
    expect(seen).toEqual({
      name: recordOf(demoCase).name,
      state,
      verdict: state,
      securityMark: SECURITY_MARK.word,
    });
  });

  /*
   * Firefox has no side panel, and `sidebarAction.open()` works only inside a user-action
   * handler of a page with the whole WebExtension API: a marker frame in a web page has
   * content-script APIs only, and the click's gesture does not travel with a message to the
   * background. So a marker click opens the same view as a popup window (the toolbar
   * popup, which has the gesture and the API, opens the real sidebar).
   */
  it('opens the verdict view as a window on a marker click, with that card focused, and reuses it', async () => {
    const revoked = recordOf('revoked');
    expect(await extensionTabs('/sidepanel.html')).toEqual([]);
    await (await markerOf('revoked').frame.$('#marker'))?.click();
    const [view] = await poll(
      'the verdict view window',
      async () => {
        const found = await extensionTabs('/sidepanel.html?');
        return found.length > 0 ? found : null;
      },
      20_000,
    );
    if (!view) throw new Error('no view');
    const params = new URL(await view.evaluate(() => location.href)).searchParams;
    expect([params.get('doc'), params.get('host')]).toEqual([revoked.id, 'window']);
    const shown = await poll('the revoked card focused', () => focusedCard(view, revoked.id), 20_000);
    expect(shown.state).toBe('invalid');
    expect(shown.text).toContain('已被撤销');
    const windows = await extensionPage.evaluate(async () => {
      const b = (globalThis as unknown as { browser: WebExtensionApi }).browser;
      return (await b.windows.getAll({ populate: true })).map((w: { type: string; tabs: { url: string }[] }) => [
        w.type,
        w.tabs.length,
      ]);
    });
    expect(windows).toContainEqual(['popup', 1]);

    // Another marker: the same window moves to that card instead of a second one opening.
    const valid = recordOf('valid');
    await (await markerOf('valid').frame.$('#marker'))?.click();
    expect((await poll('the valid card focused', () => focusedCard(view, valid.id), 20_000)).state).toBe('valid');
    expect(await extensionTabs('/sidepanel.html?')).toHaveLength(1);
  });
});

/**
 * One browser-test session on the demo portal: the demo servers (portal on a free port,
 * registry on the port the globalSetup build trusts), Chromium with that build, and
 * helpers to open portal pages and read the markers the extension drew in them.
 */
import type { Frame, Page } from 'playwright-core';
import { inject } from 'vitest';
import { type DemoServers, startDemoServers } from '../../../scripts/demo/servers.ts';
import { type ExtensionBrowser, launchWithExtension, setSettings, tabIdOf, waitForContentScript } from './browser.ts';

/** The security mark the tests choose "at first run"; no page can know it. */
export const SECURITY_MARK = { picture: 'fish', word: '红枣' } as const;

export interface PortalSession {
  browser: ExtensionBrowser;
  servers: DemoServers;
  /** `http://127.0.0.1:<port>` of the portal. */
  portalOrigin: string;
  close(): Promise<void>;
}

export async function startPortalSession(
  options: { extraArgs?: string[]; waitForScript?: boolean; extensionDir?: string } = {},
): Promise<PortalSession> {
  const registryPort = inject('demoRegistryPort');
  // The servers and the browser start side by side; whichever started is closed if the other failed.
  const [startedServers, launched] = await Promise.allSettled([
    startDemoServers({ portalPort: 0, registryPort }),
    // `extensionDir`: a copy of the build a test changes (the update case writes a new version into it).
    launchWithExtension(options.extensionDir ?? inject('demoExtensionDir'), options.extraArgs ?? []),
  ]);
  if (startedServers.status === 'rejected' || launched.status === 'rejected') {
    if (startedServers.status === 'fulfilled') await startedServers.value.close();
    if (launched.status === 'fulfilled') await launched.value.close();
    throw startedServers.status === 'rejected' ? startedServers.reason : (launched as PromiseRejectedResult).reason;
  }
  const servers = startedServers.value;
  const browser = launched.value;
  const settings: Record<string, unknown> = { locale: 'zh-CN', securityMark: SECURITY_MARK };
  // The baked-in port was taken after all: point the extension at where the registry is.
  if (servers.registryUrl !== `http://127.0.0.1:${registryPort}/registry.jws`)
    settings.registryUrl = servers.registryUrl;
  await setSettings(browser, settings);
  if (options.waitForScript !== false) await waitForContentScript(browser);
  return {
    browser,
    servers,
    portalOrigin: new URL(servers.portalUrl).origin,
    async close() {
      await browser.close();
      await servers.close();
    },
  };
}

/** Opens a portal page in a new tab and returns it with the tab id Chrome gave it. */
export async function openPortalPage(session: PortalSession, path: string): Promise<{ page: Page; tabId: number }> {
  const page = await session.browser.context.newPage();
  const url = `${session.portalOrigin}${path}`;
  await page.goto(url);
  return { page, tabId: await tabIdOf(session.browser, url) };
}

/** A marker the extension drew, as found through CDP (which sees into closed shadow roots). */
export interface FoundMarker {
  /** The element the marker stands next to: its tag, `id` and `data-case` (demo attachments). */
  anchor: { tag: string; id: string | null; case: string | null };
  /** The marker iframe's `src` (with its single-use token). */
  src: string;
}

interface CdpNode {
  nodeType: number;
  nodeName: string;
  attributes?: string[];
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
  contentDocument?: CdpNode;
}

function attribute(node: CdpNode, name: string): string | null {
  const list = node.attributes ?? [];
  for (let i = 0; i + 1 < list.length; i += 2) if (list[i] === name) return list[i + 1] ?? null;
  return null;
}

/** A marker's host as CDP shows it (marker-mount.ts: a `span` with the marker attribute). */
export function isMarkerHostNode(node: { nodeName: string; attributes?: string[] }): boolean {
  return node.nodeName === 'SPAN' && (node.attributes ?? []).some((a, i) => i % 2 === 0 && a === 'data-yanzhen-marker');
}

function findIframeSrc(node: CdpNode): string | null {
  if (node.nodeName === 'IFRAME') return attribute(node, 'src');
  for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) {
    const found = findIframeSrc(child);
    if (found) return found;
  }
  return null;
}

/**
 * Scrolls the page to its end a screen at a time, as a reader would, and back to the top:
 * markers are mounted only for documents near the screen (marker-placement.ts).
 */
export async function scrollThrough(page: Page): Promise<void> {
  for (let step = 0; step < 200; step++) {
    const atEnd = await page.evaluate(() => {
      scrollBy(0, innerHeight);
      return scrollY + innerHeight >= document.documentElement.scrollHeight - 1;
    });
    // Two frames, so the intersection observer has run on this position.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    if (atEnd) break;
  }
  await page.evaluate(() => scrollTo(0, 0));
  await markersAtRest(page);
}

/**
 * Waits until the markers' hosts have kept their places and sizes for a few looks: frames
 * mounted by the scroll are still loading and asking for their room (marker-mount.ts), and a
 * click while a table column widens lands beside its target.
 */
export async function markersAtRest(page: Page, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let same = 0;
  while (Date.now() < deadline && same < 3) {
    const now = await page.evaluate(() =>
      JSON.stringify(
        [...document.querySelectorAll('span[data-yanzhen-marker]')].map((m) => {
          const r = m.getBoundingClientRect();
          return [r.x, r.y, r.width, r.height];
        }),
      ),
    );
    same = now === last ? same + 1 : 0;
    last = now;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The marker hosts in the page now (CDP sees into their closed shadow roots), and how many have no frame yet. */
async function markersNow(page: Page): Promise<{ found: FoundMarker[]; frameless: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: CdpNode };
    const found: FoundMarker[] = [];
    let frameless = 0;
    const walk = (node: CdpNode) => {
      const elements = (node.children ?? []).filter((c) => c.nodeType === 1);
      elements.forEach((child, i) => {
        if (isMarkerHostNode(child)) {
          const before = elements[i - 1];
          const src = findIframeSrc(child);
          if (!src) frameless++;
          if (before && src)
            found.push({
              anchor: {
                tag: before.nodeName.toLowerCase(),
                id: attribute(before, 'id'),
                case: attribute(before, 'data-case'),
              },
              src,
            });
        } else walk(child);
      });
    };
    walk(root);
    return { found, frameless };
  } finally {
    await cdp.detach();
  }
}

/**
 * Every marker host in the page with its frame, the element before it and its frame's URL,
 * with the page back at its top and the markers at rest. The page is scrolled through first
 * (`scrollThrough`) when a host still waits for its frame, or none is there yet: once every
 * host has its frame, another scroll mounts nothing.
 */
export async function findMarkers(page: Page): Promise<FoundMarker[]> {
  const now = await markersNow(page);
  if (now.frameless > 0 || now.found.length === 0) await scrollThrough(page);
  else {
    await page.evaluate(() => scrollTo(0, 0));
    await markersAtRest(page);
  }
  return (await markersNow(page)).found;
}

/**
 * Clicks a marker as a person does: once it is on screen and drawn. A marker frame that was
 * below the fold is a throttled cross-origin frame; in the first frames after a scroll
 * brings it up, Chromium hit-tests the page under it, and a click sent straight after the
 * scroll (Playwright's own) lands on the marker's host in the page, never reaching the marker.
 */
export async function clickMarkerFrame(frame: Frame): Promise<void> {
  // Scrolled from the page (the frame's own rAF, which Playwright's stability check waits on,
  // does not run while it is throttled below the fold), then one drawn frame in the marker.
  await (await frame.frameElement()).scrollIntoViewIfNeeded();
  await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await frame.click('#marker');
}

/** What a marker frame shows. */
export interface MarkerView {
  state: string;
  verdict: string;
  words: string;
  /** The security mark's word when shown, else null. */
  securityMark: string | null;
}

/** The marker frame whose URL is `src`. */
export function markerFrame(page: Page, src: string): Frame {
  const frame = page.frames().find((f) => f.url() === src);
  if (!frame) throw new Error(`no frame for ${src}`);
  return frame;
}

export function readMarker(frame: Frame): Promise<MarkerView> {
  return frame.evaluate(() => {
    const root = document.getElementById('marker') as HTMLElement;
    const mark = root.querySelector('.mark') as HTMLElement;
    return {
      state: root.dataset.state ?? '',
      verdict: root.dataset.verdict ?? '',
      words: (root.querySelector('.words') as HTMLElement).textContent ?? '',
      securityMark: mark.hidden ? null : (mark.dataset.securityMark ?? null),
    };
  });
}

/** Waits until the marker shows a finished verdict (not `checking`), and returns what it shows. */
export async function settledMarker(page: Page, src: string, timeoutMs = 30_000): Promise<MarkerView> {
  const deadline = Date.now() + timeoutMs;
  let last: MarkerView | null = null;
  while (Date.now() < deadline) {
    const frame = page.frames().find((f) => f.url() === src);
    if (frame) {
      last = await readMarker(frame).catch(() => null);
      if (last && last.state !== 'checking' && last.state !== '') return last;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`marker ${src} did not settle: ${JSON.stringify(last)}`);
}

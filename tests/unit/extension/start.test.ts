import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserCandidates, findBrowser } from '../../../scripts/start/find-browser.ts';
import { hasDisplay } from '../../../scripts/start/has-display.ts';
import { browserArgs, launchBrowser, type StartedDemo, startDemo } from '../../../scripts/start/run-start.ts';

describe('hasDisplay', () => {
  it.each([
    ['linux', {}, false],
    ['linux', { DISPLAY: '' }, false],
    ['linux', { DISPLAY: '   ' }, false],
    ['linux', { DISPLAY: ':0' }, true],
    ['linux', { WAYLAND_DISPLAY: 'wayland-0' }, true],
    ['freebsd', {}, false],
    ['darwin', {}, true],
    ['win32', {}, true],
  ] as const)('on %s with %j says %s', (platform, env, expected) => {
    expect(hasDisplay(platform, env)).toBe(expected);
  });
});

describe('findBrowser', () => {
  const only =
    (...paths: string[]) =>
    (p: string) =>
      paths.includes(p);
  const winEnv = { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\wang\\AppData\\Local' };

  it.each([
    ['linux', {}, only('/usr/bin/chromium'), { path: '/usr/bin/chromium', kind: 'chromium' }],
    [
      'linux',
      {},
      only('/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge'),
      { path: '/usr/bin/google-chrome-stable', kind: 'chrome' },
    ],
    ['linux', {}, only('/usr/bin/microsoft-edge'), { path: '/usr/bin/microsoft-edge', kind: 'edge' }],
    ['linux', {}, only(), null],
    ['linux', { CHROME_PATH: '/opt/my/chrome' }, only('/usr/bin/chromium'), { path: '/opt/my/chrome', kind: 'custom' }],
    [
      'darwin',
      { HOME: '/Users/wang' },
      only('/Users/wang/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
      { path: '/Users/wang/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', kind: 'chrome' },
    ],
    [
      'win32',
      winEnv,
      only('C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe'),
      { path: 'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe', kind: 'edge' },
    ],
    [
      'win32',
      winEnv,
      only(
        'C:\\Users\\wang\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
        'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
      ),
      { path: 'C:\\Users\\wang\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe', kind: 'chrome' },
    ],
  ] as const)('on %s with %j finds the first installed browser', (platform, env, exists, expected) => {
    expect(findBrowser(platform, env, exists)).toEqual(expected);
  });

  it('tries Chromium before Chrome before Edge on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const kinds = browserCandidates(platform, { HOME: '/h', PROGRAMFILES: 'C:\\P' }).map((c) => c.kind);
      expect(kinds.indexOf('chromium')).toBeLessThan(kinds.indexOf('chrome'));
      expect(kinds.lastIndexOf('chrome')).toBeLessThan(kinds.lastIndexOf('edge'));
    }
  });
});

describe('browserArgs', () => {
  it('loads only our extension into its own profile, opens the portal and is not headless', () => {
    const args = browserArgs('/x/ext', '/x/profile', 'http://127.0.0.1:47310/review.html', { kind: 'chromium' });
    expect(args).toContain('--user-data-dir=/x/profile');
    expect(args).toContain('--disable-extensions-except=/x/ext');
    expect(args).toContain('--load-extension=/x/ext');
    expect(args.at(-1)).toBe('http://127.0.0.1:47310/review.html');
    expect(args.some((a) => a.startsWith('--headless'))).toBe(false);
  });

  it.each([
    [{ root: false }, false],
    [{ root: true }, true],
  ])('keeps the sandbox unless Chromium runs as root (%j)', (options, noSandbox) => {
    expect(browserArgs('/e', '/p', 'http://x/', options).includes('--no-sandbox')).toBe(noSandbox);
  });

  it.each([
    ['chromium', false],
    ['chrome', true],
    ['edge', true],
  ] as const)('for %s turns Chrome 137’s block on --load-extension off: %s', (kind, expected) => {
    const args = browserArgs('/e', '/p', 'http://x/', { kind });
    expect(args.includes('--disable-features=DisableLoadExtensionCommandLineSwitch')).toBe(expected);
  });
});

describe('launchBrowser', () => {
  it.runIf(process.platform !== 'win32')('starts the browser with the arguments and reports when it ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yanzhen-fake-browser-'));
    const fake = join(dir, 'chromium');
    // A stand-in browser: records its arguments, then stays open like a window until killed.
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\nexec sleep 30\n`);
    chmodSync(fake, 0o755);
    const args = browserArgs('/x/ext', '/x/profile', 'http://127.0.0.1:1/review.html', { kind: 'chromium' });
    const { child, exited } = launchBrowser(fake, args, () => {});
    await vi.waitFor(() => expect(readFileSync(join(dir, 'args'), 'utf8').trim().split('\n')).toEqual(args));
    child.kill('SIGTERM');
    await expect(exited).resolves.toBeNull();
  });

  it('says so plainly when the browser cannot start', async () => {
    const lines: string[] = [];
    const { exited } = launchBrowser('/nonexistent/chromium', [], (l) => lines.push(l));
    await expect(exited).resolves.toBeNull();
    expect(lines.at(-1)).toContain('The browser could not start');
  });
});

describe('startDemo with no display', () => {
  let demo: StartedDemo | null = null;
  afterEach(async () => {
    await demo?.stop();
    demo = null;
  });

  it('says so in Chinese and English, keeps the servers up, prints a portal URL that serves the review page, and stop() closes them', async () => {
    const lines: string[] = [];
    demo = await startDemo({
      build: false,
      portalPort: 0,
      registryPort: 0,
      platform: 'linux',
      env: { PATH: '/usr/bin' },
      exists: (p) => p === '/usr/bin/chromium',
      log: (line) => lines.push(line),
      extensionDir: '/tmp/yanzhen-demo-extension',
    });
    const text = lines.join('\n');
    expect(demo.browser).toBeNull();
    expect(demo.noBrowserReason).toBe('no-display');
    expect(text).toContain('没有图形界面');
    expect(text).toContain('No display here');
    expect(text).toContain('/tmp/yanzhen-demo-extension');
    const url = text.match(/demo portal: (\S+)/)?.[1];
    expect(url).toBe(demo.servers.portalUrl);
    const page = await fetch(url as string);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<img|<a /);
    const registry = await fetch(demo.servers.registryUrl);
    expect(registry.status).toBe(200);

    await demo.stop();
    await expect(fetch(url as string)).rejects.toThrow();
  });
});

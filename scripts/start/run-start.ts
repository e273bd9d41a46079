// The pieces of `npm start`: build the demo extension, start the demo servers, open a normal
// (not automated) browser window on the portal with the extension loaded. With no display it
// says so and keeps the servers up, so a person can open the portal from another machine's
// browser or load the folder by hand.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_REGISTRY_URL } from '../demo/demo-config.ts';
import { type DemoServers, startDemoServers } from '../demo/servers.ts';
import { type FoundBrowser, findBrowser } from './find-browser.ts';
import { hasDisplay } from './has-display.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where `wxt build --mode demo` writes the unpacked Chrome extension (see wxt.config.ts outDir). */
export const DEMO_EXTENSION_DIR = `${ROOT}.output/chrome-mv3-demo`;
/** The browser profile `npm start` keeps between runs (the security mark chosen at first run stays). */
export const PROFILE_DIR = `${ROOT}.cache/chromium-profile`;

export interface StartOptions {
  /** Build the demo extension first (default true); false reuses the folder as it is. */
  build?: boolean;
  /** Open the browser when there is a display (default true). */
  open?: boolean;
  portalPort?: number;
  registryPort?: number;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
  log?: (line: string) => void;
  extensionDir?: string;
  profileDir?: string;
}

export interface StartedDemo {
  servers: DemoServers;
  browser: ChildProcess | null;
  /** Why no browser was opened, when none was. */
  noBrowserReason: 'no-display' | 'not-found' | 'not-requested' | null;
  /** Resolves when the browser window's process ends (never, when none was opened). */
  browserExited: Promise<number | null>;
  /** Closes the browser (if we opened it) and the servers. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Chromium flags for a person's window: the test flags of toolchain.md minus headless, and
 * minus `--no-sandbox` unless Chromium runs as root (where it refuses to start without it):
 * the sandbox protects a clinic PC from the pages it opens.
 */
export function browserArgs(
  extensionDir: string,
  profileDir: string,
  url: string,
  options: { root?: boolean; kind?: FoundBrowser['kind'] } = {},
): string[] {
  return [
    `--user-data-dir=${profileDir}`,
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    // Google Chrome 137+ ignores --load-extension unless this feature is turned off.
    ...(options.kind === 'chrome' || options.kind === 'edge' || options.kind === 'custom'
      ? ['--disable-features=DisableLoadExtensionCommandLineSwitch']
      : []),
    ...(options.root ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    url,
  ];
}

/** Runs `wxt build --mode demo`, trusting the registry at `registryUrl`. */
export function buildDemo(registryUrl: string, log: (line: string) => void): void {
  log('正在构建演示扩展（约半分钟）… / Building the demo extension (about half a minute)…');
  const run = spawnSync(process.execPath, [`${ROOT}node_modules/wxt/bin/wxt.mjs`, 'build', '--mode', 'demo'], {
    cwd: ROOT,
    // The folder people load by hand is the default one, whatever a test set YANZHEN_OUT_DIR to.
    env: { ...process.env, YANZHEN_DEMO_REGISTRY_URL: registryUrl, YANZHEN_OUT_DIR: '' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`wxt build --mode demo failed:\n${run.stdout}\n${run.stderr}`);
}

/**
 * Spawns a normal browser window (not driven by Playwright: a person uses it). `exited`
 * resolves with the exit code when the window's process ends, or null when it could not start.
 */
export function launchBrowser(
  path: string,
  args: string[],
  log: (line: string) => void,
): { child: ChildProcess; exited: Promise<number | null> } {
  log(`正在打开 / Opening ${path}`);
  const child = spawn(path, args, { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      log(`浏览器无法启动 / The browser could not start: ${error.message}`);
      resolve(null);
    });
  });
  return { child, exited };
}

/** Starts the demo; the caller decides when to call `stop()` (Ctrl-C in `npm start`). */
export async function startDemo(options: StartOptions = {}): Promise<StartedDemo> {
  const log = options.log ?? ((line: string) => console.log(line));
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const extensionDir = options.extensionDir ?? DEMO_EXTENSION_DIR;
  const profileDir = options.profileDir ?? PROFILE_DIR;

  const servers = await startDemoServers({ portalPort: options.portalPort, registryPort: options.registryPort });
  let browser: ChildProcess | null = null;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (browser && browser.exitCode === null && browser.signalCode === null) browser.kill('SIGTERM');
    await servers.close();
  };

  try {
    // The build bakes in the registry URL; when the fixed port was taken the servers moved.
    if (options.build ?? true) buildDemo(servers.registryUrl, log);
    else if (servers.registryUrl !== DEMO_REGISTRY_URL)
      log(
        `注意：登记册不在默认端口，已有的演示扩展信任 ${DEMO_REGISTRY_URL}，请去掉 --no-build 重新运行。 / ` +
          `Note: the registry is not on its default port; the existing build trusts ${DEMO_REGISTRY_URL}. Run without --no-build.`,
      );
  } catch (error) {
    await stop();
    throw error;
  }

  log(`演示门户 / demo portal: ${servers.portalUrl}`);
  log(`演示登记册 / demo registry: ${servers.registryUrl}`);
  log(`扩展文件夹（可作为“已解压的扩展程序”加载） / extension folder (load unpacked): ${extensionDir}`);
  if (!existsSync(extensionDir))
    log('这个文件夹还不存在：请运行 npm run build:demo。 / This folder does not exist yet: run npm run build:demo.');

  let noBrowserReason: StartedDemo['noBrowserReason'] = null;
  let browserExited: Promise<number | null> = new Promise<number | null>(() => {});
  const found = findBrowser(platform, env, options.exists);
  if (options.open === false) {
    noBrowserReason = 'not-requested';
  } else if (!hasDisplay(platform, env)) {
    noBrowserReason = 'no-display';
    log(
      '这台电脑没有图形界面（没有 DISPLAY 或 WAYLAND_DISPLAY），无法打开浏览器窗口。' +
        '演示服务器会一直运行：请在有屏幕的电脑上打开上面的门户地址，并把上面的扩展文件夹作为“已解压的扩展程序”加载。',
    );
    log(
      'No display here ($DISPLAY and $WAYLAND_DISPLAY are unset), so no browser window can open. ' +
        'The demo servers keep running: open the portal URL above in a browser and load the extension folder above as an unpacked extension.',
    );
  } else if (!found) {
    noBrowserReason = 'not-found';
    log(
      '找不到 Chromium、Chrome 或 Edge：请设置 CHROME_PATH，或手动打开上面的地址并加载扩展文件夹。 / ' +
        'No Chromium, Chrome or Edge found: set CHROME_PATH, or open the URL above and load the extension folder by hand.',
    );
  } else if (found.kind === 'custom' && !(options.exists ?? existsSync)(found.path)) {
    noBrowserReason = 'not-found';
    log(`CHROME_PATH 指向的文件不存在 / CHROME_PATH does not exist: ${found.path}`);
  } else {
    mkdirSync(profileDir, { recursive: true });
    const root = platform !== 'win32' && process.getuid?.() === 0;
    const args = browserArgs(extensionDir, profileDir, servers.portalUrl, { root, kind: found.kind });
    const launched = launchBrowser(found.path, args, log);
    browser = launched.child;
    browserExited = launched.exited;
  }
  return { servers, browser, noBrowserReason, browserExited, stop };
}

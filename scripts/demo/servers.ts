// The demo servers (node:http on 127.0.0.1): the portal, and on another origin the registry
// with issuer status lists. Fixed ports with fallback to a free one. Every request is
// logged so tests can check what the extension asked for.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_PORTAL_PORT, DEMO_REGISTRY_PORT } from './demo-config.ts';
import { buildDemoWorld, type DemoWorld } from './demo-world.ts';
import { drawLetterPdf, drawLetterPng } from './draw-letter.ts';
import { patternFiles } from './pattern-files.ts';
import { type PatternPage, patternPages } from './pattern-pages.ts';
import { attachmentPath, manyPage, plainPage, reviewPage, uploadPage } from './portal-pages.ts';

export interface LoggedRequest {
  /** `other`: the portal's pages under an origin the extension is not enabled on (127.0.0.2). */
  server: 'portal' | 'registry' | 'other';
  method: string;
  path: string;
  /** Path and query, as requested. */
  url?: string;
  bodyBytes: number;
  at: number;
}

export interface DemoServers {
  portalUrl: string;
  registryUrl: string;
  registryOrigin: string;
  /** The portal under another origin the demo build is enabled on (`http://localhost:<port>`). */
  crossOrigin: string;
  /** The portal under an origin the extension is not enabled on (`http://127.0.0.2:<port>`). */
  otherOrigin: string;
  /** The pattern pages (tests/browser/portal-patterns.test.ts). */
  patterns: PatternPage[];
  world: DemoWorld;
  requests: LoggedRequest[];
  /** Stops the registry server only (the "network cut" of the offline test). */
  stopRegistry(): Promise<void>;
  /**
   * Makes the registry server cut the connection for the paths `drop` accepts, halfway
   * through the body (a network dropping mid-download; the fault tests). null heals it.
   */
  dropRegistryPaths(drop: ((path: string) => boolean) | null): void;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE' && port !== 0) resolve(listen(server, 0, host));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function bodyLength(req: IncomingMessage): Promise<number> {
  return new Promise((resolve) => {
    let n = 0;
    req.on('data', (chunk: Buffer) => {
      n += chunk.length;
    });
    req.on('end', () => resolve(n));
    req.on('error', () => resolve(n));
  });
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });

/** Starts both servers; pass 0 for free ports (tests), or nothing for the fixed demo ports. */
export async function startDemoServers(
  options: { portalPort?: number; registryPort?: number } = {},
): Promise<DemoServers> {
  const requests: LoggedRequest[] = [];
  // Attachments are drawn on first request and kept: drawing all 47 pages up front made
  // every browser test file wait ten seconds for pages most of them never open.
  const files = new Map<string, { type: string; body: () => Promise<Uint8Array> }>();
  const drawn = new Map<string, Promise<Uint8Array>>();
  const once = (path: string, draw: () => Uint8Array | Promise<Uint8Array>) => () => {
    let body = drawn.get(path);
    if (!body) {
      body = Promise.resolve().then(draw);
      drawn.set(path, body);
    }
    return body;
  };
  let world: DemoWorld | null = null;
  let dropPath: ((path: string) => boolean) | null = null;
  const registryServer = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({
      server: 'registry',
      method: req.method ?? '',
      path,
      bodyBytes: await bodyLength(req),
      at: Date.now(),
    });
    const body = world?.files.get(path);
    // Public data: any origin may read it (the store build's extension fetches it cross-origin).
    res.setHeader('access-control-allow-origin', '*');
    if (!body || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/jwt', 'cache-control': 'no-store' });
    if (dropPath?.(path)) {
      res.write(body.slice(0, Math.floor(body.length / 2)));
      res.socket?.destroy();
      return;
    }
    res.end(body);
  });
  const registryPort = await listen(registryServer, options.registryPort ?? DEMO_REGISTRY_PORT);
  const registryOrigin = `http://127.0.0.1:${registryPort}`;
  world = await buildDemoWorld(registryOrigin, Math.floor(Date.now() / 1000));

  for (const letter of world.letters) {
    const path = attachmentPath(letter);
    files.set(path, {
      type: letter.format === 'png' ? 'image/png' : 'application/pdf',
      body: once(path, () =>
        letter.format === 'png' ? drawLetterPng(letter.text, letter.case) : drawLetterPdf(letter.text, letter.case),
      ),
    });
  }
  world.bulk.forEach((text, i) => {
    const path = `/bulk/${i + 1}.png`;
    files.set(path, { type: 'image/png', body: once(path, () => drawLetterPng(text, `bulk-${i}`)) });
  });
  const html = (s: string) => {
    const body = new TextEncoder().encode(s);
    return { type: 'text/html; charset=utf-8', body: async () => body };
  };
  files.set('/review.html', html(reviewPage(world.letters)));
  files.set('/upload.html', html(uploadPage()));
  files.set('/many.html', html(manyPage(world.bulk.length)));
  files.set('/plain.html', html(plainPage()));

  const routes = patternFiles(world);
  const portalHandler = (server: 'portal' | 'other') => async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    requests.push({
      server,
      method: req.method ?? '',
      path,
      url: path + url.search,
      bodyBytes: await bodyLength(req),
      at: Date.now(),
    });
    if (path === '/' || path === '/index.html') {
      res.writeHead(302, { location: '/review.html' }).end();
      return;
    }
    if (req.method === 'GET') {
      const routed = await routes(url, req.headers.cookie ?? '');
      if (routed) {
        res.writeHead(routed.status, { 'cache-control': 'no-store', ...routed.headers }).end(routed.body);
        return;
      }
    }
    const file = files.get(path);
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('未找到');
      return;
    }
    const headers: Record<string, string> = { 'content-type': file.type, 'cache-control': 'no-store' };
    // The pattern pages log the officer in: files under /secure/ need this session cookie.
    if (path.startsWith('/p/')) headers['set-cookie'] = 'sid=demo-session-17; Path=/; HttpOnly; SameSite=Lax';
    res.writeHead(200, headers).end(await file.body());
  };
  const portalServer = createServer(portalHandler('portal'));
  const portalPort = await listen(portalServer, options.portalPort ?? DEMO_PORTAL_PORT);
  // The same portal under an origin the demo build does not enable (all of 127/8 is loopback on Linux).
  const otherServer = createServer(portalHandler('other'));
  const otherPort = await listen(otherServer, 0, '127.0.0.2').catch(() => 0);
  const crossOrigin = `http://localhost:${portalPort}`;
  const otherOrigin = `http://127.0.0.2:${otherPort}`;
  const patterns = patternPages({ dataUrl: await routes.dataUrl(), crossOrigin, otherOrigin });
  for (const [path, body] of patterns.html) files.set(path, html(body));

  let registryOpen = true;
  return {
    portalUrl: `http://127.0.0.1:${portalPort}/review.html`,
    registryUrl: `${registryOrigin}/registry.jws`,
    registryOrigin,
    crossOrigin,
    otherOrigin,
    patterns: patterns.pages,
    world,
    requests,
    dropRegistryPaths(drop) {
      dropPath = drop;
    },
    async stopRegistry() {
      if (registryOpen) {
        registryOpen = false;
        await close(registryServer);
      }
    },
    async close() {
      await Promise.all([
        registryOpen ? close(registryServer) : undefined,
        close(portalServer),
        otherPort ? close(otherServer) : undefined,
      ]);
      registryOpen = false;
    },
  };
}

/** A demo attachment's bytes, for tests that upload one. */
export async function demoAttachment(world: DemoWorld, demoCase: DemoWorld['letters'][number]['case']) {
  const letter = world.letters.find((l) => l.case === demoCase);
  if (!letter) throw new Error(`no demo letter ${demoCase}`);
  const bytes =
    letter.format === 'png' ? drawLetterPng(letter.text, letter.case) : await drawLetterPdf(letter.text, letter.case);
  return { letter, bytes };
}

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFetcher } from '../../../utils/net/fetcher.ts';
import type { FetchOutcome } from '../../../utils/verify/ports.ts';

const MIB = 1024 * 1024;
const text = (outcome: FetchOutcome) => (outcome.ok ? new TextDecoder().decode(outcome.body) : outcome.failure);

/** A real HTTP server on 127.0.0.1: the fetcher runs against Node's own fetch, sockets and all. */
let server: Server;
let base: string;
const open = new Set<ServerResponse>();

function route(path: string, res: ServerResponse): void {
  open.add(res);
  res.on('close', () => open.delete(res));
  switch (path) {
    case '/ok':
      res.end('registry-bytes');
      return;
    case '/missing':
      res.writeHead(404).end('not here');
      return;
    case '/error':
      res.writeHead(503).end();
      return;
    case '/silent': // never answers: only the timeout ends it
      return;
    case '/trickle': // headers at once, then the body too slowly
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write('a');
      return;
    case '/huge-declared':
      res.writeHead(200, { 'content-length': String(2 * MIB) });
      res.write(Buffer.alloc(1024));
      return;
    case '/huge-chunked': {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * MIB && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    case '/exactly-limit':
      res.end(Buffer.alloc(MIB, 0x62));
      return;
    case '/redirect-relative':
      res.writeHead(302, { location: '/ok' }).end();
      return;
    case '/redirect-localhost':
      res.writeHead(301, { location: `${base.replace('127.0.0.1', 'localhost')}/ok` }).end();
      return;
    case '/redirect-https':
      res.writeHead(307, { location: 'https://example.gov.cn/ok' }).end();
      return;
    case '/redirect-remote-http':
      res.writeHead(302, { location: 'http://example.gov.cn/ok' }).end();
      return;
    case '/redirect-loop':
      res.writeHead(302, { location: '/redirect-loop' }).end();
      return;
    case '/redirect-no-location':
      res.writeHead(302).end();
      return;
    case '/echo-headers':
      res.end(
        JSON.stringify({
          cookie: res.req.headers.cookie ?? null,
          authorization: res.req.headers.authorization ?? null,
        }),
      );
      return;
    default:
      res.writeHead(500).end(`unexpected ${path}`);
  }
}

beforeAll(async () => {
  server = createServer((req, res) => route(req.url ?? '/', res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Node loads its fetch implementation on first use; on a loaded machine that alone can pass
  // the 300 ms limit below, so the first test would time out for a reason it does not test.
  await (await fetch(`${base}/ok`)).arrayBuffer();
});

afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('createFetcher against a local http server', () => {
  const fetcher = createFetcher(fetch, { timeoutMs: 300 });

  it('returns the body of a 200 answer', async () => {
    expect(text(await fetcher(`${base}/ok`))).toBe('registry-bytes');
  });

  it.each([
    ['/missing', '404'],
    ['/error', '503'],
  ])('reports HTTP_STATUS for %s', async (path, status) => {
    expect(await fetcher(`${base}${path}`)).toEqual({ ok: false, failure: 'HTTP_STATUS', detail: status });
  });

  it.each(['/silent', '/trickle'])('reports TIMEOUT when %s is slower than the time limit', async (path) => {
    const outcome = await fetcher(`${base}${path}`);
    expect(outcome.ok ? 'ok' : outcome.failure).toBe('TIMEOUT');
  });

  it.each(['/huge-declared', '/huge-chunked'])('reports TOO_LARGE for a body over 1 MiB from %s', async (path) => {
    const outcome = await createFetcher(fetch)(`${base}${path}`);
    expect(outcome.ok ? 'ok' : outcome.failure).toBe('TOO_LARGE');
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const outcome = await createFetcher(fetch)(`${base}/exactly-limit`);
    expect(outcome.ok && outcome.body.byteLength).toBe(MIB);
  });

  it.each([
    ['/redirect-relative', 'a relative Location on the same host'],
    ['/redirect-localhost', 'another loopback host, same scheme'],
  ])('follows %s (%s)', async (path) => {
    expect(text(await fetcher(`${base}${path}`))).toBe('registry-bytes');
  });

  it.each([
    ['/redirect-https', 'REDIRECT_REJECTED', 'a switch from http to https is another scheme'],
    ['/redirect-remote-http', 'REDIRECT_REJECTED', 'plain http off loopback'],
    ['/redirect-loop', 'REDIRECT_REJECTED', 'a redirect loop'],
    ['/redirect-no-location', 'HTTP_STATUS', 'a 3xx without Location'],
  ])('refuses %s with %s (%s)', async (path, failure) => {
    const outcome = await fetcher(`${base}${path}`);
    expect(outcome.ok ? 'ok' : outcome.failure).toBe(failure);
  });

  it('sends no cookie and no authorization header', async () => {
    expect(JSON.parse(text(await fetcher(`${base}/echo-headers`)))).toEqual({ cookie: null, authorization: null });
  });

  it('reports NETWORK when nothing listens on the port', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const outcome = await fetcher(`http://127.0.0.1:${port}/ok`);
    expect(outcome.ok ? 'ok' : outcome.failure).toBe('NETWORK');
  });

  it('stops when the caller aborts, without waiting for the time limit', async () => {
    const caller = new AbortController();
    const pending = createFetcher(fetch)(`${base}/silent`, { signal: caller.signal });
    caller.abort();
    const outcome = await pending;
    expect(outcome.ok ? 'ok' : outcome.failure).toBe('NETWORK');
  });
});

describe('createFetcher with a fake fetch (https cases)', () => {
  const respond = (response: Response) => vi.fn<typeof fetch>(async () => response);

  it('refuses a URL the policy forbids without calling fetch at all', async () => {
    const spy = respond(new Response('x'));
    const outcome = await createFetcher(spy)('http://example.gov.cn/registry.jws');
    expect(outcome).toEqual({ ok: false, failure: 'URL_REJECTED', detail: 'http://example.gov.cn/registry.jws' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('asks for no credentials, no cache and manual redirects', async () => {
    const spy = respond(new Response('keys'));
    await createFetcher(spy)('https://example.gov.cn/jwks.json');
    expect(spy).toHaveBeenCalledWith(
      'https://example.gov.cn/jwks.json',
      expect.objectContaining({ credentials: 'omit', cache: 'no-store', redirect: 'manual' }),
    );
  });

  it('follows an https redirect to another https host', async () => {
    const spy = vi.fn<typeof fetch>(async (input) =>
      String(input) === 'https://a.example/x'
        ? new Response(null, { status: 302, headers: { location: 'https://b.example/y' } })
        : new Response('final'),
    );
    expect(text(await createFetcher(spy)('https://a.example/x'))).toBe('final');
    expect(spy.mock.calls.map(([input]) => String(input))).toEqual(['https://a.example/x', 'https://b.example/y']);
  });

  it('refuses an https redirect down to plain http on loopback (another scheme)', async () => {
    const spy = respond(new Response(null, { status: 301, headers: { location: 'http://127.0.0.1/x' } }));
    const outcome = await createFetcher(spy)('https://a.example/x');
    expect(outcome.ok ? 'ok' : outcome.failure).toBe('REDIRECT_REJECTED');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('refuses a browser opaque redirect, whose target cannot be inspected', async () => {
    const opaque = { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null } as unknown as Response;
    const outcome = await createFetcher(respond(opaque))('https://a.example/x');
    expect(outcome.ok ? 'ok' : outcome.failure).toBe('REDIRECT_REJECTED');
  });

  it('reports NETWORK with the reason when fetch itself throws', async () => {
    const throwing = vi.fn<typeof fetch>(async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND a.example') });
    });
    expect(await createFetcher(throwing)('https://a.example/x')).toEqual({
      ok: false,
      failure: 'NETWORK',
      detail: 'fetch failed: getaddrinfo ENOTFOUND a.example',
    });
  });

  it('reads an answer with no body as empty', async () => {
    const outcome = await createFetcher(respond(new Response(null, { status: 204 })))('https://a.example/x');
    expect(outcome.ok && outcome.body.byteLength).toBe(0);
  });
});

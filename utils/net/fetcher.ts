/**
 * The one way the verifier reaches the network: a `Fetcher` (utils/verify/ports.ts) built on a
 * `fetch` implementation, with the rules of letter-format.md section 4 applied. The
 * extension passes `globalThis.fetch`, the CLI Node's `fetch`, tests a fake or a local
 * server. Never throws: every failure is a `FetchOutcome` value.
 */
import type { Fetcher, FetchFailure, FetchOutcome } from '../verify/ports.ts';
import { isFetchAllowed } from '../verify/url-policy.ts';

export interface FetcherOptions {
  /** Whole fetch, redirects and body included (section 4: slower than 10 s is unreachable). */
  timeoutMs?: number;
  /** Largest body accepted (section 4: over 1 MiB is unreachable). */
  maxBytes?: number;
  /** How many redirects to follow before giving up. */
  maxRedirects?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Thrown inside the fetcher only, to carry a failure out of nested reads; never escapes. */
class FetchStop extends Error {
  constructor(
    readonly failure: FetchFailure,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const fail = (failure: FetchFailure, detail?: string): FetchOutcome =>
  detail === undefined ? { ok: false, failure } : { ok: false, failure, detail };

/**
 * Builds a Fetcher on top of `fetchImpl`.
 *
 * Redirects are followed by hand (`redirect: 'manual'`) so every hop can be checked: a
 * hop must pass the URL policy and keep the scheme of the first URL, else the answer is
 * `REDIRECT_REJECTED` (section 4: an https registry or `jwks_uri` must not be downgraded
 * to plain http, where anyone on the path could substitute keys).
 *
 * Browsers do not show a manual redirect's target: they answer with
 * `type: 'opaqueredirect'`, status 0 and no `Location`. Following it with
 * `redirect: 'follow'` would let the browser take hops we cannot inspect (an https ->
 * http -> https chain only shows its last URL), so an opaque redirect is refused as
 * `REDIRECT_REJECTED` too. Publishers must serve registries, JWKS and status lists at
 * their final URL; Node's fetch shows the 3xx and its `Location`, so the CLI can follow.
 *
 * @example
 * const fetcher = createFetcher(globalThis.fetch);
 * const outcome = await fetcher('https://example.gov.cn/.well-known/jwks.json');
 * if (outcome.ok) console.log(new TextDecoder().decode(outcome.body));
 * else console.log(outcome.failure); // 'TIMEOUT', 'TOO_LARGE', ...
 */
export function createFetcher(fetchImpl: typeof fetch, options: FetcherOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;

  return async (url, callOptions = {}) => {
    if (!isFetchAllowed(url)) return fail('URL_REJECTED', url);
    const outer = callOptions.signal;
    if (outer?.aborted) return fail('NETWORK', 'aborted by the caller');

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onOuterAbort = () => controller.abort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      const body = await fetchFollowing(fetchImpl, url, controller.signal, maxRedirects, maxBytes);
      return { ok: true, body };
    } catch (error) {
      if (error instanceof FetchStop) return fail(error.failure, error.detail);
      if (timedOut) return fail('TIMEOUT', `no complete answer within ${timeoutMs} ms`);
      if (outer?.aborted) return fail('NETWORK', 'aborted by the caller');
      return fail('NETWORK', describe(error));
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
      // Stops any read still in flight (a body we gave up on) and frees the socket.
      controller.abort();
    }
  };
}

async function fetchFollowing(
  fetchImpl: typeof fetch,
  firstUrl: string,
  signal: AbortSignal,
  maxRedirects: number,
  maxBytes: number,
): Promise<Uint8Array> {
  const scheme = new URL(firstUrl).protocol;
  let url = firstUrl;
  for (let hop = 0; ; hop += 1) {
    const response = await fetchImpl(url, requestInit(signal));
    if (response.type === 'opaqueredirect') {
      throw new FetchStop('REDIRECT_REJECTED', `${url} redirects and this browser hides where to`);
    }
    if (REDIRECT_STATUSES.has(response.status)) {
      await discard(response);
      const location = response.headers.get('location');
      if (location === null) throw new FetchStop('HTTP_STATUS', `${response.status} without a Location`);
      const next = resolve(location, url);
      if (next === null || new URL(next).protocol !== scheme || !isFetchAllowed(next)) {
        throw new FetchStop('REDIRECT_REJECTED', `${url} redirects to ${location}`);
      }
      if (hop >= maxRedirects) throw new FetchStop('REDIRECT_REJECTED', `more than ${maxRedirects} redirects`);
      url = next;
      continue;
    }
    if (response.status < 200 || response.status > 299) {
      await discard(response);
      throw new FetchStop('HTTP_STATUS', String(response.status));
    }
    return readBody(response, maxBytes);
  }
}

function requestInit(signal: AbortSignal): RequestInit {
  return {
    method: 'GET',
    signal,
    redirect: 'manual',
    // Section 4: no cookies or credentials; nothing the page or user is logged into leaks.
    credentials: 'omit',
    // Revocation and key rollover must be seen fresh; the verifier keeps its own cache.
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
  };
}

function resolve(location: string, base: string): string | null {
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}

/** Reads the body as a stream and stops as soon as it passes `maxBytes`. */
async function readBody(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discard(response);
    throw new FetchStop('TOO_LARGE', `Content-Length ${declared} exceeds ${maxBytes} bytes`);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new FetchStop('TOO_LARGE', `body exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

/**
 * Single-use tokens binding a marker iframe to one document of one tab.
 *
 * The marker page is web-accessible (it must be framed by web pages), so a hostile page can
 * frame it too, with any URL parameters it likes. The marker therefore shows a verdict and the
 * user's security mark only after the background confirms its token: issued to our content
 * script for that tab and document, claimed once, by a marker frame in that same tab. A page
 * that copies a token from our iframe's `src` gets a spent token and a marker that says so.
 * Kept in `storage.session` because the service worker dies between issue and claim.
 */
import { browser } from 'wxt/browser';
import type { MarkerClaim } from './messages.ts';

const KEY = 'markers';
interface TokenEntry {
  tabId: number;
  docId: string;
  claimed: boolean;
}
type Tokens = Record<string, TokenEntry>;

let chain: Promise<unknown> = Promise.resolve();
function serialized<T>(run: (tokens: Tokens) => T): Promise<T> {
  const next = chain.then(async () => {
    const got = await browser.storage.session.get(KEY);
    const tokens = (got[KEY] as Tokens | undefined) ?? {};
    const out = run(tokens);
    await browser.storage.session.set({ [KEY]: tokens });
    return out;
  });
  chain = next.catch(() => undefined);
  return next;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function issueMarkerToken(tabId: number, docId: string): Promise<string> {
  const token = randomToken();
  return serialized((tokens) => {
    tokens[token] = { tabId, docId, claimed: false };
    return token;
  });
}

/** Claims a token for a marker frame in `senderTabId`; spent, unknown or foreign-tab tokens fail. */
export function claimMarkerToken(token: string, senderTabId: number | undefined): Promise<MarkerClaim> {
  return serialized((tokens): MarkerClaim => {
    const entry = Object.hasOwn(tokens, token) ? tokens[token] : undefined;
    if (!entry || entry.claimed || senderTabId === undefined || entry.tabId !== senderTabId) return { ok: false };
    entry.claimed = true;
    return { ok: true, tabId: entry.tabId, docId: entry.docId };
  });
}

/** Drops a closed tab's tokens. */
export function dropTabTokens(tabId: number): Promise<void> {
  return serialized((tokens) => {
    for (const [token, entry] of Object.entries(tokens)) if (entry.tabId === tabId) delete tokens[token];
  });
}

import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { claimMarkerToken, dropTabTokens, issueMarkerToken } from '../../../utils/extension/marker-tokens.ts';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('marker tokens', () => {
  it('issues 128-bit tokens that differ every time', async () => {
    const a = await issueMarkerToken(7, 'doc');
    const b = await issueMarkerToken(7, 'doc');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).not.toBe(a);
  });

  it('lets the marker in the same tab claim its token once, and names the document', async () => {
    const token = await issueMarkerToken(7, 'doc-1');
    expect(await claimMarkerToken(token, 7)).toEqual({ ok: true, tabId: 7, docId: 'doc-1' });
    // A page that copied the iframe's src gets a spent token.
    expect(await claimMarkerToken(token, 7)).toEqual({ ok: false });
  });

  it.each([
    ['another tab', 8],
    ['no tab (an extension page)', undefined],
  ])('refuses a claim from %s', async (_what, tabId) => {
    const token = await issueMarkerToken(7, 'doc-1');
    expect(await claimMarkerToken(token, tabId)).toEqual({ ok: false });
    // The refused claim did not spend it: the real marker can still claim it.
    expect(await claimMarkerToken(token, 7)).toMatchObject({ ok: true });
  });

  it.each(['', 'made-up', '__proto__', 'constructor', '0'.repeat(32)])(
    'refuses the unknown token %j',
    async (token) => {
      await issueMarkerToken(7, 'doc-1');
      expect(await claimMarkerToken(token, 7)).toEqual({ ok: false });
    },
  );

  it('survives a service-worker restart: tokens live in storage.session', async () => {
    const token = await issueMarkerToken(7, 'doc-1');
    const stored = await fakeBrowser.storage.session.get('markers');
    expect(Object.keys(stored.markers as object)).toEqual([token]);
  });

  it('forgets the tokens of a closed tab only', async () => {
    const closed = await issueMarkerToken(7, 'doc-1');
    const open = await issueMarkerToken(9, 'doc-2');
    await dropTabTokens(7);
    expect(await claimMarkerToken(closed, 7)).toEqual({ ok: false });
    expect(await claimMarkerToken(open, 9)).toEqual({ ok: true, tabId: 9, docId: 'doc-2' });
  });

  it('keeps every token when many are issued at once (serialized read-modify-write)', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => issueMarkerToken(1, `d${i}`)));
    const claims = await Promise.all(tokens.map((t) => claimMarkerToken(t, 1)));
    expect(claims.map((c) => c.ok)).toEqual(tokens.map(() => true));
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import {
  FOCUS_FRESH_MS,
  isFreshFocus,
  verdictFocusKey,
  verdictHostKey,
  verdictViewPath,
} from '../../../utils/extension/verdict-focus.ts';
import { showVerdict } from '../../../utils/extension/verdict-view.ts';
import { record } from './fixtures.ts';

async function stored(key: string): Promise<unknown> {
  return (await fakeBrowser.storage.session.get(key))[key];
}

describe('isFreshFocus', () => {
  it.each([
    [{ docId: 'a', at: 1000 }, 1000, true],
    [{ docId: null, at: 1000 }, 1000 + FOCUS_FRESH_MS, true],
    [{ docId: 'a', at: 1000 }, 1001 + FOCUS_FRESH_MS, false],
    [{ docId: 'a', at: 5000 }, 1000, false],
    [{ docId: 3, at: 1000 }, 1000, false],
    [{ docId: 'a' }, 1000, false],
    [null, 1000, false],
    ['focus', 1000, false],
  ])('takes %j at %i as %s', (value, now, fresh) => {
    expect(isFreshFocus(value, now)).toBe(fresh);
  });
});

describe('verdictViewPath', () => {
  it.each([
    [12, 'ab', 'window', '/sidepanel.html?tabId=12&doc=ab&host=window'],
    [12, null, 'tab', '/sidepanel.html?tabId=12&host=tab'],
    [null, null, 'window', '/sidepanel.html?host=window'],
  ] as const)('opens tab %s on %s as a %s', (tabId, docId, host, path) => {
    expect(verdictViewPath(tabId, docId, host)).toBe(path);
  });
});

describe('showVerdict', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await fakeBrowser.storage.session.set({
      'tab:7': { tabId: 7, pageUrl: 'https://portal.example/', documents: [record({ id: 'doc-a' })] },
    });
  });

  it("records a marker's request for its own tab's document", async () => {
    const answer = await showVerdict({ tabId: 7, docId: 'doc-a', openHost: false }, { kind: 'marker', tab: { id: 7 } });
    expect(answer).toEqual({ ok: true, host: 'panel' });
    expect(await stored(verdictFocusKey(7))).toMatchObject({ docId: 'doc-a' });
  });

  it.each([
    ['another tab', { tabId: 8, docId: 'doc-a' }, { id: 7 }],
    ['no tab at all', { tabId: 7, docId: 'doc-a' }, undefined],
  ])('refuses a marker asking about %s', async (_label, req, tab) => {
    const answer = await showVerdict({ ...req, openHost: false }, { kind: 'marker', ...(tab ? { tab } : {}) });
    expect(answer).toEqual({ ok: false, host: null });
    expect(await stored(verdictFocusKey(7))).toBeUndefined();
    expect(await stored(verdictFocusKey(8))).toBeUndefined();
  });

  it('drops a document the tab does not have, and still opens the view', async () => {
    await showVerdict({ tabId: 7, docId: 'not-here', openHost: false }, { kind: 'marker', tab: { id: 7 } });
    expect(await stored(verdictFocusKey(7))).toMatchObject({ docId: null });
  });

  it('opens the view as a window or tab when the sender has no side panel, and reuses it', async () => {
    const first = await showVerdict({ tabId: 7, docId: 'doc-a', openHost: true }, { kind: 'marker', tab: { id: 7 } });
    expect(first.ok).toBe(true);
    expect(['window', 'tab']).toContain(first.host);
    const host = (await stored(verdictHostKey(7))) as { hostTabId: number };
    const opened = await fakeBrowser.tabs.get(host.hostTabId);
    expect(opened.url).toContain('/sidepanel.html?tabId=7&doc=doc-a&host=');
    const tabsBefore = (await fakeBrowser.tabs.query({})).length;
    await showVerdict({ tabId: 7, docId: 'doc-a', openHost: true }, { kind: 'extension-page' });
    expect((await fakeBrowser.tabs.query({})).length).toBe(tabsBefore);
  });

  it('opens one view for two requests at the same moment (a double click, a re-sent request)', async () => {
    const tabsBefore = (await fakeBrowser.tabs.query({})).length;
    const answers = await Promise.all([
      showVerdict({ tabId: 7, docId: 'doc-a', openHost: true }, { kind: 'marker', tab: { id: 7 } }),
      showVerdict({ tabId: 7, docId: 'doc-a', openHost: true }, { kind: 'marker', tab: { id: 7 } }),
    ]);
    expect(answers.map((a) => a.ok)).toEqual([true, true]);
    expect(answers[1]?.host).toBe(answers[0]?.host);
    expect((await fakeBrowser.tabs.query({})).length).toBe(tabsBefore + 1);
  });
});

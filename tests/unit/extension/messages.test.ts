import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import {
  base64ToBytes,
  bytesToBase64,
  CHUNK_BYTES,
  classifySender,
  isEnvelope,
  MESSAGE_SENDERS,
  type MessageType,
  onMessages,
  type SenderKind,
  type SenderLike,
  senderMaySend,
  sendMessage,
} from '../../../utils/extension/messages.ts';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}`;

describe('classifySender', () => {
  it.each<[string, SenderLike, SenderKind]>([
    [
      'a content script in a portal tab',
      { id: ID, url: 'https://portal.gov.cn/review', tab: { id: 3 }, frameId: 0 },
      'content',
    ],
    [
      'a content script in a portal iframe',
      { id: ID, url: 'https://portal.gov.cn/frame', tab: { id: 3 }, frameId: 5 },
      'content',
    ],
    ['a content script on a local file', { id: ID, url: 'file:///C:/letters/a.html', tab: { id: 3 } }, 'content'],
    [
      'our marker iframe inside a web page',
      { id: ID, url: `${ORIGIN}/marker.html?m=tok`, tab: { id: 3 }, frameId: 7 },
      'marker',
    ],
    [
      'our options page opened as a tab',
      { id: ID, url: `${ORIGIN}/options.html`, tab: { id: 4 }, frameId: 0 },
      'extension-page',
    ],
    ['our side panel (no tab)', { id: ID, url: `${ORIGIN}/sidepanel.html` }, 'extension-page'],
    ['the offscreen document', { id: ID, url: `${ORIGIN}/offscreen.html` }, 'offscreen'],
    ['the MV3 service worker', { id: ID, url: `${ORIGIN}/background.js` }, 'background'],
    ['the Firefox MV2 background page', { id: ID, url: `${ORIGIN}/_generated_background_page.html` }, 'background'],
    [
      'our side panel framed inside a web page',
      { id: ID, url: `${ORIGIN}/sidepanel.html`, tab: { id: 3 }, frameId: 2 },
      'foreign',
    ],
    [
      'another extension',
      { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'https://portal.gov.cn/', tab: { id: 3 } },
      'foreign',
    ],
    ['a sender without an id', { url: 'https://portal.gov.cn/', tab: { id: 3 } }, 'foreign'],
    ['a web page with no tab', { id: ID, url: 'https://portal.gov.cn/' }, 'foreign'],
    [
      'a lookalike origin that only starts with ours',
      { id: ID, url: `${ORIGIN}.evil.example/offscreen.html` },
      'foreign',
    ],
    ['a data: URL in a tab', { id: ID, url: 'data:text/html,hi', tab: { id: 3 } }, 'foreign'],
  ])('classifies %s', (_what, sender, kind) => {
    expect(classifySender(sender, ID, ORIGIN)).toBe(kind);
  });
});

describe('who may send what', () => {
  it.each<[MessageType, SenderKind, boolean]>([
    ['check.url', 'content', true],
    ['check.url', 'marker', false],
    ['marker.claim', 'marker', true],
    ['marker.claim', 'content', false],
    ['check.bytes', 'extension-page', true],
    ['check.bytes', 'content', false],
    ['site.enabled', 'content', false],
    ['registry.refresh', 'content', false],
    ['offscreen.check', 'background', true],
    ['offscreen.check', 'content', false],
    ['offscreen.check', 'extension-page', false],
  ])('%s from %s: %s', (type, kind, allowed) => {
    expect(senderMaySend(type, kind)).toBe(allowed);
  });

  it('never lets a foreign sender send anything', () => {
    for (const type of Object.keys(MESSAGE_SENDERS) as MessageType[])
      expect(senderMaySend(type, 'foreign')).toBe(false);
  });
});

describe('isEnvelope', () => {
  it.each([
    [{ yz: 1, type: 'check.url', data: {} }, true],
    [{ yz: 1, type: 'verdict.set', data: {} }, false],
    [{ yz: 1, type: 'toString', data: {} }, false],
    [{ yz: 2, type: 'check.url', data: {} }, false],
    [{ yz: 1, type: 'check.url' }, false],
    ['{"yz":1}', false],
    [null, false],
  ])('%j is an envelope: %s', (value, expected) => {
    expect(isEnvelope(value)).toBe(expected);
  });
});

describe('base64 byte transport', () => {
  it.each([0, 1, 2, 3, 255, 0x8000, 0x8001, CHUNK_BYTES, CHUNK_BYTES + 1, 1024 * 1024 + 7, 3 * 1024 * 1024])(
    'round-trips %i random bytes',
    (size) => {
      const bytes = new Uint8Array(randomBytes(size));
      const text = bytesToBase64(bytes);
      expect(text === Buffer.from(bytes).toString('base64')).toBe(true);
      // Buffer.equals, not toEqual: a deep diff of megabytes element by element takes many seconds.
      expect(Buffer.from(base64ToBytes(text)).equals(bytes)).toBe(true);
    },
  );

  it('chunks of CHUNK_BYTES concatenate to the base64 of the whole (no padding inside)', () => {
    expect(CHUNK_BYTES % 3).toBe(0);
    const bytes = new Uint8Array(randomBytes(2 * CHUNK_BYTES + 1000));
    const chunks: string[] = [];
    for (let i = 0; i < bytes.length; i += CHUNK_BYTES) chunks.push(bytesToBase64(bytes.subarray(i, i + CHUNK_BYTES)));
    expect(chunks.slice(0, -1).every((c) => !c.includes('='))).toBe(true);
    expect(Buffer.from(base64ToBytes(chunks.join(''))).equals(bytes)).toBe(true);
  });

  it('refuses text that is not base64', () => {
    expect(() => base64ToBytes('not base64!')).toThrow();
  });
});

describe('onMessages', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('answers a message from an allowed sender and drops one from a sender kind not allowed', async () => {
    const seen: string[] = [];
    onMessages({
      'registry.state': (_data, sender) => {
        seen.push(sender.kind);
        return {
          url: '',
          state: 'missing' as const,
          version: null,
          iss: null,
          exp: null,
          fetchedAt: null,
          lastAttemptAt: null,
          lastError: null,
        };
      },
    });
    const envelope = { yz: 1, type: 'registry.state', data: {} };
    const listenerAnswers = async (sender: SenderLike) => {
      // fakeBrowser's sendMessage passes `{}` as the sender: trigger the event with a real one.
      const answers = await fakeBrowser.runtime.onMessage.trigger(envelope, sender as never);
      return answers.find((a) => a !== undefined);
    };
    const ownId = fakeBrowser.runtime.id;
    const origin = new URL(fakeBrowser.runtime.getURL('/')).origin;
    expect(await listenerAnswers({ id: ownId, url: `${origin}/sidepanel.html` })).toMatchObject({ state: 'missing' });
    expect(await listenerAnswers({ id: ownId, url: 'https://portal.gov.cn/', tab: { id: 1 } })).toBeUndefined();
    expect(seen).toEqual(['extension-page']);
  });

  it('stops answering once its signal aborts', async () => {
    const controller = new AbortController();
    onMessages({ 'page.scanned': () => ({ ok: true }) }, controller.signal);
    controller.abort();
    await expect(sendMessage('page.scanned', { pageUrl: 'https://a/', candidates: 0 })).rejects.toThrow(/No listeners/);
  });
});

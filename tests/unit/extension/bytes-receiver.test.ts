import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import { receiveBytesPort } from '../../../utils/extension/bytes-receiver.ts';
import type { SubmittedDocument } from '../../../utils/extension/document-flow.ts';
import { type BytesPortIn, type BytesPortOut, bytesToBase64, CHUNK_BYTES } from '../../../utils/extension/messages.ts';

const submitDocument = vi.fn(async (_doc: SubmittedDocument) => ({ docId: 'doc', markerToken: 'token' }));
const handleBytesPort = (port: never) => receiveBytesPort(port, submitDocument);

const PAGE = 'http://127.0.0.1:47310/upload.html';

/** A port as the background sees a content script's connection. */
function fakePort(sender: object) {
  const listeners: ((m: unknown) => void)[] = [];
  const sent: BytesPortOut[] = [];
  const port = {
    name: 'yanzhen-bytes',
    sender,
    disconnected: false,
    postMessage: (m: BytesPortOut) => sent.push(m),
    disconnect: () => {
      port.disconnected = true;
    },
    onMessage: { addListener: (l: (m: unknown) => void) => listeners.push(l) },
    onDisconnect: { addListener: () => undefined },
  };
  const send = (m: BytesPortIn | unknown) => {
    for (const l of listeners) l(m);
  };
  return { port, sent, send };
}

const contentSender = () => ({ id: browser.runtime.id, url: PAGE, tab: { id: 5, url: PAGE }, frameId: 0 });
const meta = (size: number) => ({
  name: '授权书.png',
  url: null,
  source: 'upload',
  pageUrl: 'https://evil.example/',
  sha256: 'x',
  size,
});

beforeEach(() => {
  fakeBrowser.reset();
  submitDocument.mockClear();
});

describe('the bytes port', () => {
  it('puts the chunks back together and submits the document for the sending tab and page', async () => {
    const bytes = new Uint8Array(CHUNK_BYTES * 2 + 10).map((_, i) => i % 251);
    const { port, sent, send } = fakePort(contentSender());
    handleBytesPort(port as never);
    send({ type: 'begin', key: 'k', meta: meta(bytes.length) });
    for (let offset = 0, seq = 0; offset < bytes.length; offset += CHUNK_BYTES, seq++)
      send({ type: 'chunk', key: 'k', seq, base64: bytesToBase64(bytes.subarray(offset, offset + CHUNK_BYTES)) });
    send({ type: 'end', key: 'k' });
    await vi.waitFor(() =>
      expect(sent).toEqual([{ type: 'accepted', key: 'k', accepted: { docId: 'doc', markerToken: 'token' } }]),
    );
    const submitted = submitDocument.mock.calls[0]?.[0];
    expect(bytesToBase64(submitted?.bytes ?? new Uint8Array())).toBe(bytesToBase64(bytes));
    // The page URL comes from the browser, not from what the message claims.
    expect(submitted).toMatchObject({ tabId: 5, pageUrl: PAGE, source: 'upload', wantsMarker: true });
  });

  it.each([
    ['another extension', { id: 'other-extension', url: PAGE, tab: { id: 5 } }],
    ['a sender with no tab', { id: 'SELF', url: PAGE }],
    ['an extension page', { id: 'SELF', url: 'EXT/sidepanel.html' }],
  ])('hangs up on %s', (_what, raw) => {
    const ext = browser.runtime.getURL('/').replace(/\/$/, '');
    const sender = JSON.parse(JSON.stringify(raw).replaceAll('SELF', browser.runtime.id).replaceAll('EXT', ext));
    const { port } = fakePort(sender);
    handleBytesPort(port as never);
    expect(port.disconnected).toBe(true);
  });

  it('refuses a document declared larger than the limit before reading any chunk', () => {
    const { port, sent, send } = fakePort(contentSender());
    handleBytesPort(port as never);
    send({ type: 'begin', key: 'k', meta: meta(41 * 1024 * 1024) });
    expect(sent).toEqual([{ type: 'rejected', key: 'k', reason: 'too-large' }]);
  });

  it('ignores chunks out of order and messages that are not ours', async () => {
    const { port, sent, send } = fakePort(contentSender());
    handleBytesPort(port as never);
    send('hello');
    send(null);
    send({ type: 'begin', key: 'k', meta: meta(6) });
    send({ type: 'chunk', key: 'k', seq: 1, base64: 'AAAA' });
    send({ type: 'chunk', key: 'k', seq: 0, base64: bytesToBase64(new Uint8Array([1, 2, 3])) });
    send({ type: 'chunk', key: 'k', seq: 1, base64: bytesToBase64(new Uint8Array([4, 5, 6])) });
    send({ type: 'end', key: 'k' });
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(submitDocument.mock.calls[0]?.[0].bytes).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6]));
  });

  it('answers bad base64 with a refusal, never a check', async () => {
    const { port, sent, send } = fakePort(contentSender());
    handleBytesPort(port as never);
    send({ type: 'begin', key: 'k', meta: meta(3) });
    send({ type: 'chunk', key: 'k', seq: 0, base64: '!!!!' });
    send({ type: 'end', key: 'k' });
    expect(sent).toEqual([{ type: 'rejected', key: 'k', reason: 'bad-encoding' }]);
    expect(submitDocument).not.toHaveBeenCalled();
  });
});

/**
 * Receives document bytes from content scripts as base64 chunks over a port (Chrome
 * messaging is JSON-only: an ArrayBuffer arrives empty). Only our content scripts in a tab
 * may send; the size is capped before anything is assembled. What to do with a document
 * once whole comes in as `submit` (the background's document flow).
 */
import type { Browser } from 'wxt/browser';
import { browser } from 'wxt/browser';
import type { SubmittedDocument } from './document-flow.ts';
import {
  type BytesPortIn,
  type BytesPortOut,
  base64ToBytes,
  type CheckAccepted,
  type ContentDocumentMeta,
  classifySender,
  MAX_DOCUMENT_BYTES,
} from './messages.ts';

interface Pending {
  meta: ContentDocumentMeta;
  /** Decoded as they arrive (never one big base64 string), joined once at the end. */
  chunks: Uint8Array[];
  length: number;
  nextSeq: number;
}

export function receiveBytesPort(
  port: Browser.runtime.Port,
  submit: (doc: SubmittedDocument) => Promise<CheckAccepted>,
): void {
  const sender = port.sender ?? {};
  const ownOrigin = new URL(browser.runtime.getURL('/')).origin;
  const tabId = sender.tab?.id;
  if (classifySender(sender, browser.runtime.id, ownOrigin) !== 'content' || tabId === undefined) {
    port.disconnect();
    return;
  }
  const pending = new Map<string, Pending>();
  const post = (message: BytesPortOut) => {
    try {
      port.postMessage(message);
    } catch {
      // The page went away.
    }
  };
  port.onMessage.addListener((raw: unknown) => {
    const message = raw as BytesPortIn;
    if (typeof message !== 'object' || message === null || typeof message.key !== 'string') return;
    if (message.type === 'begin') {
      if (typeof message.meta?.name !== 'string' || message.meta.size > MAX_DOCUMENT_BYTES) {
        post({ type: 'rejected', key: message.key, reason: 'too-large' });
        return;
      }
      pending.set(message.key, { meta: message.meta, chunks: [], length: 0, nextSeq: 0 });
    } else if (message.type === 'chunk') {
      const p = pending.get(message.key);
      if (!p || message.seq !== p.nextSeq || typeof message.base64 !== 'string') return;
      p.nextSeq++;
      if (p.length + (message.base64.length * 3) / 4 > MAX_DOCUMENT_BYTES) {
        pending.delete(message.key);
        post({ type: 'rejected', key: message.key, reason: 'too-large' });
        return;
      }
      let chunk: Uint8Array;
      try {
        chunk = base64ToBytes(message.base64);
      } catch {
        pending.delete(message.key);
        post({ type: 'rejected', key: message.key, reason: 'bad-encoding' });
        return;
      }
      p.length += chunk.length;
      p.chunks.push(chunk);
    } else if (message.type === 'abort') {
      pending.delete(message.key);
    } else if (message.type === 'end') {
      const p = pending.get(message.key);
      if (!p) return;
      pending.delete(message.key);
      const bytes = new Uint8Array(p.length);
      let at = 0;
      for (const chunk of p.chunks) {
        bytes.set(chunk, at);
        at += chunk.length;
      }
      p.chunks = [];
      // The page URL comes from the browser (sender), not from the message.
      const pageUrl = sender.tab?.url ?? sender.url ?? p.meta.pageUrl;
      void submit({
        tabId,
        pageUrl,
        name: p.meta.name.slice(0, 300),
        url: p.meta.url,
        source: p.meta.source,
        bytes,
        wantsMarker: true,
        visible: p.meta.visible === true,
      }).then(
        (accepted) => post({ type: 'accepted', key: message.key, accepted }),
        () => post({ type: 'rejected', key: message.key, reason: 'internal' }),
      );
    }
  });
  port.onDisconnect.addListener(() => pending.clear());
}

/**
 * Sends document bytes to the background as base64 chunks over one port, yielding between
 * chunks so no task on the page's thread runs long. Reconnects when the service worker
 * was restarted (its port disconnects).
 */
import { browser } from 'wxt/browser';
import {
  BYTES_PORT,
  type BytesPortIn,
  type BytesPortOut,
  bytesToBase64,
  CHUNK_BYTES,
  type CheckAccepted,
  type ContentDocumentMeta,
} from '../../utils/extension/messages.ts';
import { yieldToPage } from './yield.ts';

type Waiter = { resolve: (a: CheckAccepted | null) => void };

export class BytesSender {
  private port: ReturnType<typeof browser.runtime.connect> | null = null;
  private readonly waiters = new Map<string, Waiter>();
  private counter = 0;
  /** One document's chunks at a time: the page never holds two documents' base64 at once. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.port?.disconnect(), { once: true });
  }

  private connect() {
    if (this.port) return this.port;
    const port = browser.runtime.connect({ name: BYTES_PORT });
    port.onMessage.addListener((raw: unknown) => {
      const message = raw as BytesPortOut;
      const waiter = this.waiters.get(message.key);
      if (!waiter) return;
      this.waiters.delete(message.key);
      waiter.resolve(message.type === 'accepted' ? message.accepted : null);
    });
    port.onDisconnect.addListener(() => {
      this.port = null;
      // Anything in flight is lost with the old service worker: the callers retry once.
      for (const waiter of this.waiters.values()) waiter.resolve(null);
      this.waiters.clear();
    });
    this.port = port;
    return port;
  }

  /** Sends one document; resolves with the background's answer, or null when it was refused or lost. */
  async send(meta: ContentDocumentMeta, bytes: Uint8Array): Promise<CheckAccepted | null> {
    for (let attempt = 0; attempt < 2 && !this.signal.aborted; attempt++) {
      const answer = await this.sendOnce(meta, bytes);
      if (answer) return answer;
    }
    return null;
  }

  private async sendOnce(meta: ContentDocumentMeta, bytes: Uint8Array): Promise<CheckAccepted | null> {
    const key = `${Date.now()}-${this.counter++}`;
    const answer = new Promise<CheckAccepted | null>((resolve) => this.waiters.set(key, { resolve }));
    // Documents take turns only while their chunks are encoded and posted; the answers are
    // awaited side by side, so the next document does not wait for the background's reply.
    const posting = this.turn.then(() => this.postChunks(key, meta, bytes));
    this.turn = posting.catch(() => false);
    if (!(await posting)) {
      this.waiters.delete(key);
      return null;
    }
    return answer;
  }

  private async postChunks(key: string, meta: ContentDocumentMeta, bytes: Uint8Array): Promise<boolean> {
    try {
      const post = (message: BytesPortIn) => this.connect().postMessage(message);
      post({ type: 'begin', key, meta });
      for (let offset = 0, seq = 0; offset < bytes.length; offset += CHUNK_BYTES, seq++) {
        if (this.signal.aborted) {
          post({ type: 'abort', key });
          return false;
        }
        post({ type: 'chunk', key, seq, base64: bytesToBase64(bytes.subarray(offset, offset + CHUNK_BYTES)) });
        await yieldToPage();
      }
      post({ type: 'end', key });
      return true;
    } catch {
      this.port = null;
      return false;
    }
  }
}

/**
 * The documents one reader thread has open, by id: what a pool worker (reader-worker.ts)
 * and the in-document fallback (reader-slots.ts) both run. Pages are read one at a time
 * and their pixels dropped at once; a document is closed as soon as the pool says so.
 */
import { type OpenedDocument, openDocument, readFailure } from '../../utils/document/read-document.ts';
import type { ReaderPlatform } from '../../utils/document/reader-platform.ts';
import { EXTENSION_READ_LIMITS } from '../../utils/extension/reader-limits.ts';
import type { PoolCode, SlotAnswer } from '../../utils/extension/reader-pool.ts';

export interface DocumentTable {
  open(docId: string, bytes: Uint8Array, fileName: string): Promise<SlotAnswer<{ kind: string; pages: number }>>;
  readPage(
    docId: string,
    index: number,
  ): Promise<SlotAnswer<{ codes: PoolCode[]; unreadable: number; pixels: number }>>;
  close(docId: string): void;
}

/**
 * `ownsBytes`: each `open` receives bytes nobody else reads (a worker's, moved to it), so a
 * PDF's go on to pdf.js without a copy. The in-document reader shares the pool's bytes: false.
 */
export function createDocumentTable(platform: ReaderPlatform, ownsBytes = false): DocumentTable {
  const open = new Map<string, Promise<OpenedDocument>>();
  return {
    async open(docId, bytes, fileName) {
      const opening = openDocument(bytes, {
        platform,
        fileName,
        handOverBytes: ownsBytes,
        // The offscreen document's memory budget: pages over 24 MP are refused with their own message.
        limits: EXTENSION_READ_LIMITS,
      });
      open.set(docId, opening);
      try {
        const doc = await opening;
        return { ok: true, value: { kind: doc.kind, pages: doc.pages } };
      } catch (error) {
        open.delete(docId);
        return { ok: false, error: readFailure(error) };
      }
    },
    async readPage(docId, index) {
      const opening = open.get(docId);
      if (!opening) return { ok: false, error: readFailure(new Error(`document ${docId} is not open here`)) };
      try {
        const page = await (await opening).readPage(index);
        return {
          ok: true,
          value: {
            codes: page.codes.map(({ text, page }) => ({ text, page })),
            unreadable: page.unreadable.length,
            pixels: page.pixels,
          },
        };
      } catch (error) {
        return { ok: false, error: readFailure(error) };
      }
    },
    close(docId) {
      const opening = open.get(docId);
      open.delete(docId);
      void opening?.then((doc) => doc.close()).catch(() => undefined);
    },
  };
}

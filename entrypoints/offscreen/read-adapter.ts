// Adapts the document reader (utils/document/read-document.ts) to the pipeline's ReadOutcome.
import type { ReadOutcome } from '../../utils/check/check-document.ts';
import { type ReaderPlatform, readDocument } from '../../utils/document/read-document.ts';

export async function readWithReader(
  bytes: Uint8Array,
  options: {
    platform: ReaderPlatform;
    fileName?: string;
    signal?: AbortSignal;
    onProgress?: (progress: { page: number; pages: number }) => void;
  },
): Promise<ReadOutcome> {
  const result = await readDocument(bytes, options);
  if (!result.ok) return { ok: false, error: result.error };
  return { ok: true, texts: result.codes.map(({ text, page }) => ({ text, page })) };
}

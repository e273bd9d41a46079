// Adapts the reader pool (reader-slots.ts) to the pipeline's ReadOutcome.
import type { ReadOutcome } from '../../utils/check/check-document.ts';
import type { Priority } from '../../utils/extension/reader-pool.ts';
import { readerPool } from './reader-slots.ts';

export async function readWithPool(
  bytes: Uint8Array,
  options: { fileName?: string; priority: Priority; onProgress?: (progress: { page: number; pages: number }) => void },
): Promise<ReadOutcome> {
  const { pool } = await readerPool();
  const outcome = await pool.read(bytes, {
    fileName: options.fileName ?? '',
    priority: options.priority,
    onProgress: options.onProgress,
  });
  if (!outcome.ok) return { ok: false, error: outcome.error };
  return { ok: true, texts: outcome.codes, unreadableRegions: outcome.unreadableRegions };
}

/**
 * One file on disk -> one DocumentCheck: read it (within a size limit), find its codes,
 * verify each. Every failure becomes the document's `error` sentence; nothing throws.
 */
import { open, stat } from 'node:fs/promises';
import {
  type CheckedCode,
  type DocumentCheck,
  documentVerdict,
  type LocalizedMessage,
} from '../../utils/check/document-check.ts';
import type { ReadProgress } from '../../utils/document/read-document.ts';
import type { Verdict } from '../../utils/verify/verdict.ts';
import { pageUnit, readInput } from './read-input.ts';
import type { InputFile } from './walk-inputs.ts';

/** Larger files are refused before reading: a scanned PDF of a few letters is far below this. */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

export type VerifyCode = (al1Text: string) => Promise<Verdict>;

/** A checked file: the DocumentCheck, and whether its `page` numbers count lines or pages. */
export interface CheckedFile {
  check: DocumentCheck;
  unit: 'line' | 'page';
}

const MIB = 1024 * 1024;

/**
 * Checks one file. `verify` is the verification core bound to this run's registry,
 * clock, cache and network choice.
 *
 * @example await checkDocument({ path: '/tmp/a.txt', display: 'a.txt' }, verify)
 */
export async function checkDocument(
  file: InputFile,
  verify: VerifyCode,
  maxBytes: number = MAX_INPUT_BYTES,
  onProgress?: (progress: ReadProgress) => void,
): Promise<CheckedFile> {
  const bytes = await readLimited(file.path, maxBytes);
  const unit = 'data' in bytes ? pageUnit(bytes.data) : 'page';
  const failed = (error: LocalizedMessage): CheckedFile => ({
    check: { codes: [], verdict: documentVerdict([], error), error },
    unit,
  });
  if ('error' in bytes) return failed(bytes.error);

  let read: Awaited<ReturnType<typeof readInput>>;
  try {
    read = await readInput(file.display, bytes.data, onProgress ? { onProgress } : {});
  } catch (error) {
    return failed({ key: 'cli.input.internal', params: { detail: describe(error) } });
  }
  if ('error' in read) return failed(read.error);

  const codes: CheckedCode[] = [];
  for (const code of read.codes) {
    try {
      codes.push({ page: code.page, verdict: await verify(code.text) });
    } catch (error) {
      // A bug in the core must never read as a verdict, least of all `valid`.
      return failed({ key: 'cli.input.internal', params: { detail: describe(error) } });
    }
  }
  return { check: { codes, verdict: documentVerdict(codes, null), error: null }, unit };
}

/** Reads a regular file whole, refusing one over `maxBytes` without reading it. */
async function readLimited(
  path: string,
  maxBytes: number,
): Promise<{ data: Uint8Array } | { error: LocalizedMessage }> {
  try {
    // stat before open: opening a named pipe or device for reading could block forever.
    const info = await stat(path);
    if (info.isDirectory()) return { error: { key: 'cli.input.isFolder' } };
    if (!info.isFile()) return { error: { key: 'cli.input.notRegular' } };
    if (info.size > maxBytes) return { error: tooLarge(info.size, maxBytes) };
    const handle = await open(path, 'r');
    try {
      const again = await handle.stat(); // the file may have grown since
      if (again.size > maxBytes) return { error: tooLarge(again.size, maxBytes) };
      return { data: new Uint8Array(await handle.readFile()) };
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch (error) {
    return { error: fileError(error) };
  }
}

const tooLarge = (size: number, maxBytes: number): LocalizedMessage => ({
  key: 'cli.input.tooLarge',
  params: { size: Math.ceil(size / MIB), max: Math.floor(maxBytes / MIB) },
});

function fileError(error: unknown): LocalizedMessage {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { key: 'cli.input.notFound' };
  if (code === 'EACCES' || code === 'EPERM') return { key: 'cli.input.noPermission' };
  if (code === 'EISDIR') return { key: 'cli.input.isFolder' };
  return { key: 'cli.input.readFailed', params: { detail: typeof code === 'string' ? code : describe(error) } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

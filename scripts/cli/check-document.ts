/**
 * One file on disk -> one DocumentCheck: look at its first bytes, then read it the way its
 * kind needs (images and PDFs whole, within a size limit; text files streamed line by
 * line, within a cap on codes), verify each code. Every failure becomes the document's
 * `error` sentence; nothing throws, and the rest of the batch goes on.
 *
 * The verifying is the extension's own pipeline (utils/check/check-document.ts): this file
 * adds only what a file on disk needs (stat before open, size limits, file errors by cause,
 * text files streamed instead of read whole).
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import {
  type CheckedTexts,
  type CheckTextsOptions,
  checkDocument as checkBytes,
  checkTexts,
  type FoundText,
} from '../../utils/check/check-document.ts';
import { type DocumentCheck, documentVerdict, type LocalizedMessage } from '../../utils/check/document-check.ts';
import type { ReadProgress } from '../../utils/document/read-document.ts';
import { AL1_PREFIX, MAX_TOKEN_LENGTH } from '../../utils/verify/al1-text.ts';
import type { Verdict } from '../../utils/verify/verdict.ts';
import { codeOfLine, planInput, readWithNodeReader, SNIFF_BYTES } from './read-input.ts';
import { textLines } from './text-lines.ts';
import type { InputFile } from './walk-inputs.ts';

/** Larger files are refused before reading: a scanned PDF of a few letters is far below this. */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

/**
 * Codes one text file may hold. A county's whole batch of letters is a few thousand; the
 * cap keeps a hostile file (issue 9: 8.3 million `AL1:x` lines) from holding millions of
 * verdicts in memory, and ends it in one clear error instead.
 */
export const MAX_CODES_PER_FILE = 10_000;

/**
 * Characters of a text line kept in memory (after its leading white space). Over the
 * longest code (the prefix and MAX_TOKEN_LENGTH): a line whose code is longer still reaches
 * the core over its size limit (MALFORMED), and a 50 MB line without a break costs 16 KiB.
 */
export const MAX_LINE_CHARS = 2 * (AL1_PREFIX.length + MAX_TOKEN_LENGTH);

/** Stands for the dropped rest of a cut line (see checkTextCodes). */
const DROPPED = '…';

export interface CheckLimits {
  maxBytes: number;
  maxCodes: number;
  maxLineChars: number;
}

export const DEFAULT_LIMITS: CheckLimits = {
  maxBytes: MAX_INPUT_BYTES,
  maxCodes: MAX_CODES_PER_FILE,
  maxLineChars: MAX_LINE_CHARS,
};

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
  options: { limits?: Partial<CheckLimits>; onProgress?: (progress: ReadProgress) => void } = {},
): Promise<CheckedFile> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  let unit: 'line' | 'page' = 'page';
  const failed = (error: LocalizedMessage): CheckedFile => ({
    check: { codes: [], verdict: documentVerdict([], error), error },
    unit,
  });

  if (file.problem) return failed(file.problem);
  let handle: FileHandle;
  try {
    // stat before open: opening a named pipe or device for reading could block forever.
    const info = await stat(file.path);
    if (info.isDirectory()) return failed({ key: 'cli.input.isFolder' });
    if (!info.isFile()) return failed({ key: 'cli.input.notRegular' });
    if (info.size > limits.maxBytes) return failed(tooLarge(info.size, limits.maxBytes));
    handle = await open(file.path, 'r');
  } catch (error) {
    return failed(fileError(error));
  }

  try {
    const again = await handle.stat(); // the file may have grown since
    if (again.size > limits.maxBytes) return failed(tooLarge(again.size, limits.maxBytes));
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    const plan = planInput(head.subarray(0, bytesRead), file.display);
    if ('error' in plan) return failed(plan.error);

    // Every code is listed where it stands (a line, a page), repeats too: the batch summary
    // flags a letter number seen twice, and a text file can hold a county's whole batch.
    const pipeline: CheckTextsOptions & { overCap: LocalizedMessage } = {
      maxCodes: limits.maxCodes,
      overCap: { key: 'cli.input.tooManyCodes', params: { max: limits.maxCodes } },
      keepRepeats: true,
    };
    if (plan.read === 'text') {
      unit = 'line';
      const checked = await checkTextFile(handle, verify, limits, pipeline);
      return checked.ok
        ? { check: { codes: checked.codes, verdict: documentVerdict(checked.codes, null), error: null }, unit }
        : failed(checked.error);
    }
    const bytes = await readWhole(handle, limits.maxBytes);
    if ('error' in bytes) return failed(bytes.error);
    const check = await checkBytes(
      bytes.data,
      { read: readWithNodeReader, verify, internalErrorKey: 'cli.input.internal' },
      { fileName: file.display, ...pipeline, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    return { check: withUnreadCodes(check), unit };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // A read failing half-way (EIO, a file removed under us) is the file's fault, not a bug.
    if (typeof code === 'string') return failed(fileError(error));
    return failed({ key: 'cli.input.internal', params: { detail: describe(error) } });
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The codes of a text file, streamed twice: first counting code lines (stopping at the
 * cap, so a hostile file is refused after reading a few kilobytes, before any verifying),
 * then handing each line to the pipeline as it comes. Only the verdicts are kept.
 */
async function checkTextFile(
  handle: FileHandle,
  verify: VerifyCode,
  limits: CheckLimits,
  pipeline: CheckTextsOptions & { overCap: LocalizedMessage },
): Promise<CheckedTexts> {
  let count = 0;
  for await (const line of textLines(handle, limits.maxLineChars)) {
    if (codeOfLine(line.text) !== null) count += 1;
    if (count > limits.maxCodes) return { ok: false, error: pipeline.overCap };
  }
  // The file may have been appended to between the passes: the pipeline's own cap holds then.
  return checkTexts(
    codeLines(handle, limits.maxLineChars),
    { verify, internalErrorKey: 'cli.input.internal' },
    pipeline,
  );
}

/**
 * The code lines of a text file as the pipeline's found texts. A cut line goes on past what
 * was kept with more than white space, so the code on it is longer than maxLineChars: the
 * core gets the kept part and a character standing for the rest, which keeps it over
 * MAX_TOKEN_LENGTH after trimming (MALFORMED, size) instead of letting
 * "AL1:<token>  <1 MB of spaces>junk" pass for the token alone.
 */
async function* codeLines(handle: FileHandle, maxLineChars: number): AsyncGenerator<FoundText> {
  for await (const line of textLines(handle, maxLineChars)) {
    const code = codeOfLine(line.text);
    if (code === null) continue;
    yield { page: line.number, text: line.cut ? `${line.text}${DROPPED}` : code };
  }
}

/**
 * cli.md: a document is `error` "when a code was seen on it that could not be read", also
 * beside codes that were read: the unread one may be the letter that matters (a second
 * letter, or the real one under a forged sticker), so the file never passes on the codes
 * read alone. Their verdicts stay listed. (The extension shows such a page's cards with a
 * note instead; a batch report has no room for a note, only for the file's verdict.)
 */
export function withUnreadCodes(check: DocumentCheck): DocumentCheck {
  if (!check.unreadableRegions || check.codes.length === 0 || check.error) return check;
  const error: LocalizedMessage = { key: 'cli.input.unreadableBesideCodes' };
  return { ...check, verdict: documentVerdict(check.codes, error), error };
}

/** Reads an open image or PDF whole (its reader needs every byte), refusing one that grew past `maxBytes`. */
async function readWhole(
  handle: FileHandle,
  maxBytes: number,
): Promise<{ data: Uint8Array } | { error: LocalizedMessage }> {
  const data = new Uint8Array(await handle.readFile());
  if (data.length > maxBytes) return { error: tooLarge(data.length, maxBytes) };
  return { data };
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

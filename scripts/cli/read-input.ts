/**
 * Every decision about what kind of file the CLI was given, in one place: images and
 * PDFs go to the document reader, text files are read line by line for `AL1:` codes
 * (streamed, in check-document.ts), anything else is refused with a sentence saying what
 * is accepted (cli.md, Inputs). The kind comes from the file's leading bytes, never from
 * its name: portals rename attachments, and `scan.jpg` holding a PDF is common.
 */

import type { ReadOutcome } from '../../utils/check/check-document.ts';
import type { LocalizedMessage } from '../../utils/check/document-check.ts';
import { type ReadProgress, readDocument } from '../../utils/document/read-document.ts';
import { type DocumentKind, sniffKind } from '../../utils/document/sniff-kind.ts';
import { nodeReaderPlatform } from '../../utils/node/reader-platform.ts';
import { isAl1Text } from '../../utils/verify/al1-text.ts';

export type InputKind = DocumentKind | 'text' | 'binary';

/** How many leading bytes `sniffInput` needs to tell every kind apart. */
export const SNIFF_BYTES = 1024;

const hasUtf16Bom = (bytes: Uint8Array) =>
  (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);

/**
 * The kind of a file from its first bytes (at least `SNIFF_BYTES` of them when the file
 * is that long). Text is what has no NUL byte in that window, or starts with a UTF-16
 * byte order mark: a text file saved as GBK still carries its ASCII `AL1:` lines intact.
 *
 * @example sniffInput(new TextEncoder().encode('AL1:eyJ...')) // 'text'
 */
export function sniffInput(bytes: Uint8Array): InputKind {
  const kind = sniffKind(bytes);
  if (kind) return kind;
  if (hasUtf16Bom(bytes) || isTextWindow(bytes)) return 'text';
  return 'binary';
}

/** No NUL byte in the first SNIFF_BYTES: binary formats are full of them, text never has one. */
function isTextWindow(bytes: Uint8Array): boolean {
  const window = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < window; i += 1) if (bytes[i] === 0) return false;
  return true;
}

/** Names that promise a document kind: such a file whose bytes are not that kind is a damaged one. */
const PDF_NAME = /\.pdf$/i;
const IMAGE_NAME = /\.(png|jpe?g|jpe|webp|gif|bmp|tiff?)$/i;

/** What to do with a file, decided from its first bytes (and, for damage, its name). */
export type InputPlan = { read: DocumentKind | 'text' } | { error: LocalizedMessage };

/**
 * Decides how to read a file from its first `SNIFF_BYTES` bytes and its name. The kind
 * comes from the bytes; the name only tells a damaged file from an unknown one: a file
 * called `scan.pdf` that does not start like a PDF is a damaged PDF (issue 11: "不支持这种
 * 文件类型（.pdf）" sent people looking for another program), even when its bytes look like
 * text (an HTML error page saved under the attachment's name). An empty file says so
 * (issue 11: the CLI called a 0-byte file "无验证码").
 *
 * @example planInput(new Uint8Array(0), 'a.txt') // { error: { key: 'reader.error.empty' } }
 * @example planInput(randomBytes, 'scan.pdf') // { error: { key: 'reader.error.damagedPdf' } }
 */
export function planInput(head: Uint8Array, fileName: string): InputPlan {
  if (head.length === 0) return { error: { key: 'reader.error.empty' } };
  const kind = sniffInput(head);
  if (kind !== 'text' && kind !== 'binary') return { read: kind };
  if (PDF_NAME.test(fileName)) return { error: { key: 'reader.error.damagedPdf' } };
  if (IMAGE_NAME.test(fileName)) return { error: { key: 'reader.error.damagedImage' } };
  if (kind === 'text') return { read: 'text' };
  return { error: { key: 'cli.input.unsupported' } };
}

/**
 * The code on one line of a text file (trimmed), or null when the line is not an `AL1:`
 * code: notes and blank lines are ignored (cli.md, Inputs).
 *
 * @example codeOfLine('   AL1:d.e.f  ') // 'AL1:d.e.f'
 * @example codeOfLine('al1:lowercase') // null
 */
export function codeOfLine(line: string): string | null {
  const trimmed = line.trim();
  return isAl1Text(trimmed) ? trimmed : null;
}

/**
 * Reads an image or a PDF through the document reader for the shared pipeline
 * (utils/check/check-document.ts): every QR text on every page, the count of codes located
 * but not read (the pipeline makes "found a code but cannot read it" the document's error,
 * cli.md), or the reader's one-sentence error.
 *
 * @example await checkDocument(bytes, { read: readWithNodeReader, verify }, { fileName: 'scan.pdf' })
 */
export async function readWithNodeReader(
  bytes: Uint8Array,
  options: { fileName?: string; signal?: AbortSignal; onProgress?: (progress: ReadProgress) => void },
): Promise<ReadOutcome> {
  const read = await readDocument(bytes, {
    platform: nodeReaderPlatform(),
    ...(options.fileName === undefined ? {} : { fileName: options.fileName }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (!read.ok) return { ok: false, error: read.error };
  return {
    ok: true,
    texts: read.codes.map((c) => ({ page: c.page, text: c.text })),
    unreadableRegions: read.unreadable.length,
  };
}

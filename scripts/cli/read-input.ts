/**
 * Every decision about what kind of file the CLI was given, in one place: images and
 * PDFs go to the document reader, text files are read line by line for `AL1:` codes,
 * anything else is refused with a sentence saying what is accepted (cli.md, Inputs).
 * The type comes from the file's leading bytes, never from its name: portals rename
 * attachments, and `scan.jpg` holding a PDF is common.
 */

import type { LocalizedMessage } from '../../utils/check/document-check.ts';
import { type ReadProgress, readDocument } from '../../utils/document/read-document.ts';
import { type DocumentKind, sniffKind } from '../../utils/document/sniff-kind.ts';
import { nodeReaderPlatform } from '../../utils/node/reader-platform.ts';
import { isAl1Text } from '../../utils/verify/al1-text.ts';

export type InputKind = DocumentKind | 'text' | 'binary';

/** How many leading bytes `sniffInput` needs to tell every kind apart. */
export const SNIFF_BYTES = 1024;

export type InputRead = { codes: { page: number; text: string }[] } | { error: LocalizedMessage };

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

/** A text file's characters: UTF-16 when it has that byte order mark, else UTF-8 (lenient). */
function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes); // strips a UTF-8 BOM; bad bytes become U+FFFD
}

/**
 * The `AL1:` codes of a text file, one a line; `page` is the 1-based line number.
 * Lines that are not AL1 codes (notes, blank lines) are ignored (cli.md, Inputs).
 *
 * @example codesFromText('note\nAL1:a.b.c\n') // [{ page: 2, text: 'AL1:a.b.c' }]
 */
export function codesFromText(text: string): { page: number; text: string }[] {
  const codes: { page: number; text: string }[] = [];
  text.split(/\r\n|\n|\r/).forEach((line, index) => {
    const trimmed = line.trim();
    if (isAl1Text(trimmed)) codes.push({ page: index + 1, text: trimmed });
  });
  return codes;
}

/**
 * What `page` counts in a file's codes: lines for text files, pages for PDFs and images
 * (cli.md: "`page` is the 1-based page for PDFs, the line for text files, 1 for images").
 */
export function pageUnit(bytes: Uint8Array): 'line' | 'page' {
  return sniffInput(bytes) === 'text' ? 'line' : 'page';
}

/**
 * Reads the `AL1:` codes of one file, whatever its kind, or says in one sentence why it
 * cannot. The kind comes from `bytes`; the path (`_path`) is for the document reader, which names
 * the file in its own messages.
 *
 * @example await readInput('letters.txt', bytes) // { codes: [{ page: 3, text: 'AL1:...' }] }
 */
export async function readInput(
  _path: string,
  bytes: Uint8Array,
  options: { onProgress?: (progress: ReadProgress) => void } = {},
): Promise<InputRead> {
  const kind = sniffInput(bytes);
  switch (kind) {
    case 'text':
      return { codes: codesFromText(decodeText(bytes)) };
    case 'png':
    case 'jpeg':
    case 'webp':
    case 'gif':
    case 'bmp':
    case 'tiff':
    case 'pdf': {
      // The document reader: every QR code on every page; only AL1 texts are letters (cli.md, Inputs).
      const read = await readDocument(bytes, {
        platform: nodeReaderPlatform(),
        fileName: _path,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      if (!read.ok) return { error: read.error };
      return { codes: read.codes.filter((c) => isAl1Text(c.text)).map((c) => ({ page: c.page, text: c.text })) };
    }
    case 'binary':
      return { error: { key: 'cli.input.unsupported' } };
  }
}

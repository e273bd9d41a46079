/**
 * A text file's lines, read in chunks so memory stays bounded whatever the file holds
 * (issue 9: 8.3 million `AL1:x` lines read whole and split took 4.4 GB before V8 gave up).
 * Only one line is ever held, and of a line only its first `maxLineChars` characters.
 */
import type { FileHandle } from 'node:fs/promises';

/** Bytes read at a time. */
const CHUNK_BYTES = 64 * 1024;

export interface TextLine {
  /** 1-based line number. */
  number: number;
  /** The line without its line break, cut to `maxLineChars`. */
  text: string;
  /** Whether the line was longer than `maxLineChars` (the rest was dropped unread into memory). */
  cut: boolean;
}

/** The encoding of a text file from its first bytes: UTF-16 with a byte order mark, else UTF-8. */
function encodingOf(head: Uint8Array): 'utf-16le' | 'utf-16be' | 'utf-8' {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/**
 * Yields the lines of an open file from its start. Line breaks are `\r\n`, `\n` or a lone
 * `\r` (old Mac editors), as before; a break split across two chunks counts once. Bad
 * UTF-8 becomes U+FFFD, and a UTF-8 or UTF-16 byte order mark is dropped.
 *
 * @example for await (const line of textLines(handle, 8192)) if (line.text.startsWith('AL1:')) …
 */
export async function* textLines(handle: FileHandle, maxLineChars: number): AsyncGenerator<TextLine> {
  const buffer = new Uint8Array(CHUNK_BYTES);
  let decoder: TextDecoder | null = null;
  let position = 0;
  let line = '';
  let cut = false;
  let number = 1;
  let afterCr = false;

  const append = (piece: string) => {
    if (cut) return;
    const room = maxLineChars - line.length;
    if (piece.length > room) {
      line += piece.slice(0, room);
      cut = true;
    } else {
      line += piece;
    }
  };

  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
    position += bytesRead;
    const chunk = buffer.subarray(0, bytesRead);
    decoder ??= new TextDecoder(encodingOf(chunk));
    const text = bytesRead === 0 ? decoder.decode() : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 10 && afterCr && i === start) {
        // The \n of a \r\n whose \r ended the previous piece: the line was already given.
        afterCr = false;
        start = i + 1;
        continue;
      }
      append(text.slice(start, i));
      yield { number, text: line, cut };
      number += 1;
      line = '';
      cut = false;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i += 1;
      afterCr = c === 13 && i === text.length - 1;
      start = i + 1;
    }
    if (start < text.length) {
      append(text.slice(start));
      afterCr = false;
    }
    if (bytesRead === 0) break;
  }
  // A last line without a line break, unless the file ended right after one.
  if (line.length > 0 || cut) yield { number, text: line, cut };
}

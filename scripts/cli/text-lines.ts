/**
 * A text file's lines, read in chunks so memory stays bounded whatever the file holds
 * (issue 9: 8.3 million `AL1:x` lines read whole and split took 4.4 GB before V8 gave up).
 * Only one line is ever held, and of a line only its first `maxLineChars` characters after
 * its leading white space.
 */
import type { FileHandle } from 'node:fs/promises';

/** Bytes read at a time. */
const CHUNK_BYTES = 64 * 1024;

/** Not white space, as String.prototype.trim counts it (WhiteSpace and LineTerminator). */
const NOT_SPACE = /\S/;

export interface TextLine {
  /** 1-based line number. */
  number: number;
  /**
   * The line without its line break and without leading white space (never held, however
   * long), cut to `maxLineChars`.
   */
  text: string;
  /**
   * Whether characters other than white space were dropped after `text`. When false, the
   * line trimmed is exactly `text` trimmed; when true, the line is longer than `maxLineChars`
   * even trimmed, so a code on it is over any size limit below that.
   */
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

  let started = false; // past the leading white space
  let full = false; // maxLineChars kept; the rest is only looked at

  const append = (piece: string) => {
    let rest = piece;
    if (!started) {
      const at = rest.search(NOT_SPACE);
      if (at === -1) return;
      rest = rest.slice(at);
      started = true;
    }
    if (cut) return;
    if (full) {
      cut = NOT_SPACE.test(rest);
      return;
    }
    const room = maxLineChars - line.length;
    if (rest.length <= room) {
      line += rest;
      return;
    }
    line += rest.slice(0, room);
    full = true;
    cut = NOT_SPACE.test(rest.slice(room));
  };
  const next = () => {
    line = '';
    cut = false;
    started = false;
    full = false;
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
      next();
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
  // A last line without a line break, unless the file ended right after one (a last line
  // of white space only is dropped too: it holds nothing).
  if (line.length > 0) yield { number, text: line, cut };
}

/**
 * Everything the CLI writes to standard error, through one writer, so lines never run
 * into each other: progress (files and pages done), notes, and the closing summary.
 *
 * On a terminal, progress is one line redrawn in place (`\r` and erase-line) and cleared
 * before anything else is written to either stream, so a note or a table row never lands
 * after a half-drawn progress line. Elsewhere (a log file, a pipe, CI) each progress step
 * is a line of its own: a batch of 200 files or a 12-page PDF is never minutes of silence
 * (issue 11). Every line goes through escapeUntrusted, since progress names files.
 * A terminal's progress line is cut to its width: a line that wrapped could not be erased.
 */
import { escapeUntrusted } from '../../utils/explain/untrusted-text.ts';
import { displayWidth } from './report-table.ts';

export interface StderrStatus {
  /** A progress step (replaces the previous one on a terminal); silent with `--quiet`. */
  progress(text: string): void;
  /** A note or an error: always written, on a line of its own. */
  line(text: string): void;
  /** Lines of the closing summary; silent with `--quiet`. */
  summary(lines: readonly string[]): void;
  /** Call before writing to stdout: clears a progress line that would share the screen line. */
  clear(): void;
}

/**
 * @example const status = stderrStatus(io.stderr, { tty: io.stderrIsTTY, quiet: options.quiet })
 */
export function stderrStatus(
  write: (text: string) => void,
  options: { tty: boolean; quiet: boolean; columns?: number },
): StderrStatus {
  let shown = false;
  const clear = () => {
    if (!shown) return;
    write('\r\x1b[K');
    shown = false;
  };
  return {
    progress(text) {
      if (options.quiet) return;
      if (options.tty) {
        clear();
        write(fitToWidth(escapeUntrusted(text), options.columns));
        shown = true;
      } else {
        write(`${escapeUntrusted(text)}\n`);
      }
    },
    line(text) {
      clear();
      write(`${escapeUntrusted(text)}\n`);
    },
    summary(lines) {
      clear();
      if (options.quiet) return;
      for (const text of lines) write(`${escapeUntrusted(text)}\n`);
    },
    clear,
  };
}

/** The text cut to fit in `columns - 1` terminal columns (the last one would wrap on some terminals), with "…". */
function fitToWidth(text: string, columns: number | undefined): string {
  if (!columns || columns < 2 || displayWidth(text) <= columns - 1) return text;
  let out = '';
  let width = 0;
  for (const char of text) {
    const next = displayWidth(char);
    if (width + next > columns - 2) break;
    out += char;
    width += next;
  }
  return `${out}…`;
}

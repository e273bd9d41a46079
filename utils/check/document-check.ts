import type { MessageKey, MessageParams } from '../i18n/i18n.ts';
import type { Verdict } from '../verify/verdict.ts';

/** One AL1 code found in a document, with where it was found and what the core said. */
export interface CheckedCode {
  /** 1-based page for PDFs and TIFFs, the line for text files, 1 for images. */
  page: number;
  verdict: Verdict;
}

/** `none`: the document holds no AL1 code; `error`: it could not be read at all. */
export const DOCUMENT_VERDICTS = ['valid', 'warning', 'invalid', 'none', 'error'] as const;
export type DocumentVerdict = (typeof DOCUMENT_VERDICTS)[number];

/** A localizable message: a key and its parameters, translated where it is shown. */
export interface LocalizedMessage {
  key: MessageKey;
  params?: MessageParams;
}

/** The result for one document (an attachment, an upload, a file on disk). */
export interface DocumentCheck {
  codes: CheckedCode[];
  verdict: DocumentVerdict;
  /** Why the document could not be read, when `verdict` is `error`. */
  error: LocalizedMessage | null;
  /**
   * QR codes found in the document that could not be read (too small or blurred), when
   * there are any. With `verdict` `none` the document is not without a code: show
   * `reader.unreadableCode` ("找到了二维码但无法读取…") rather than "no code"; beside read
   * codes it says another code on the document went unread.
   */
  unreadableRegions?: number;
}

const RANK = { valid: 0, warning: 1, invalid: 2 } as const;

/**
 * The worst verdict among a document's codes (`invalid` > `warning` > `valid`),
 * `none` when it holds no code, `error` when reading failed (cli.md, JSON report).
 */
export function documentVerdict(codes: readonly CheckedCode[], error: LocalizedMessage | null): DocumentVerdict {
  if (error) return 'error';
  if (codes.length === 0) return 'none';
  let worst: keyof typeof RANK = 'valid';
  for (const { verdict } of codes) if (RANK[verdict.verdict] > RANK[worst]) worst = verdict.verdict;
  return worst;
}

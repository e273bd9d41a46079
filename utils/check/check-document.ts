/**
 * The document pipeline: bytes → the reader's QR texts → keep `AL1:` texts → verify each →
 * one {@link DocumentCheck}. Pure: the reader and the verifier come in through the context
 * (the extension passes `readDocument` with its browser platform and `verifyLetter` with the
 * cached registry; tests pass fakes).
 */
import { isAl1Text } from '../verify/al1-text.ts';
import type { Verdict } from '../verify/verdict.ts';
import { type CheckedCode, type DocumentCheck, documentVerdict, type LocalizedMessage } from './document-check.ts';

/** One QR text the reader found, with its 1-based page. */
export interface FoundText {
  text: string;
  page: number;
}

/**
 * What the reader gives back: every QR text, or why the document could not be read.
 * `unreadableRegions` counts QR codes the reader located but could not read (optional:
 * readers that cannot tell leave it out, which means none).
 */
export type ReadOutcome =
  | { ok: true; texts: FoundText[]; unreadableRegions?: number }
  | { ok: false; error: LocalizedMessage };

export interface CheckDocumentContext {
  read(
    bytes: Uint8Array,
    options: {
      fileName?: string;
      signal?: AbortSignal;
      onProgress?: (progress: { page: number; pages: number }) => void;
    },
  ): Promise<ReadOutcome>;
  /** Verifies one `AL1:` text (verifyLetter with the registry, store and fetcher bound). */
  verify(al1Text: string): Promise<Verdict>;
}

/** Letters on one document beyond this many are not verified (a sheet of stickers is not a letter). */
export const MAX_CODES_PER_DOCUMENT = 20;

/**
 * Checks one document. QR codes that are not `AL1:` texts (a payment code, a web link) are
 * ignored, so a document with only those is `none`; the same `AL1:` text printed twice (two
 * pages) is verified once, on the page where it first appears. Never throws for a bad
 * document: an unexpected failure of the reader or verifier becomes `error` with its text.
 *
 * @example
 * const check = await checkDocument(bytes, { read, verify }, { fileName: 'letter.pdf' });
 * check.verdict; // 'valid' | 'warning' | 'invalid' | 'none' | 'error'
 */
export async function checkDocument(
  bytes: Uint8Array,
  context: CheckDocumentContext,
  options: {
    fileName?: string;
    signal?: AbortSignal;
    onProgress?: (progress: { page: number; pages: number }) => void;
  } = {},
): Promise<DocumentCheck> {
  let outcome: ReadOutcome;
  try {
    outcome = await context.read(bytes, options);
  } catch (error) {
    return failed({ key: 'extension.error.internal', params: { detail: describe(error) } });
  }
  if (!outcome.ok) return failed(outcome.error);
  const seen = new Set<string>();
  const codes: CheckedCode[] = [];
  for (const found of outcome.texts) {
    if (!isAl1Text(found.text.trim()) || seen.has(found.text.trim())) continue;
    seen.add(found.text.trim());
    if (codes.length >= MAX_CODES_PER_DOCUMENT) break;
    try {
      codes.push({ page: found.page, verdict: await context.verify(found.text.trim()) });
    } catch (error) {
      return failed({ key: 'extension.error.internal', params: { detail: describe(error) } });
    }
  }
  const unreadable = outcome.unreadableRegions ?? 0;
  // A code that is there but could not be read is not "no code" (cli.md: `error` when a code
  // was seen that could not be read): the person is asked to scan again, never told the
  // document carries no signature. Codes that were read keep their own verdicts.
  const error: LocalizedMessage | null = unreadable > 0 && codes.length === 0 ? { key: 'reader.unreadableCode' } : null;
  const check: DocumentCheck = { codes, verdict: documentVerdict(codes, error), error };
  if (unreadable > 0) check.unreadableRegions = unreadable;
  return check;
}

function failed(error: LocalizedMessage): DocumentCheck {
  return { codes: [], verdict: 'error', error };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

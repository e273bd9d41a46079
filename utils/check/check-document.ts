/**
 * The document pipeline: bytes → the reader's QR texts → keep `AL1:` texts → verify each →
 * one {@link DocumentCheck}. Pure: the reader and the verifier come in through the context
 * (the extension passes `readDocument` with its browser platform and `verifyLetter` with the
 * cached registry; tests pass fakes).
 */
import type { MessageKey } from '../i18n/i18n.ts';
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
  /**
   * The sentence for a failure of the reader or the core (a bug): each front end words it
   * for its own users (the extension asks for the county IT office, the CLI names the file).
   */
  internalErrorKey?: MessageKey;
}

/**
 * Letters on one document beyond this many are not verified (a sheet of stickers is not a
 * letter): such a document is an error, never judged on its first letters.
 */
export const MAX_CODES_PER_DOCUMENT = 20;

/** How the found texts of one document become verdicts. */
export interface CheckTextsOptions {
  /** Letters verified at most (default MAX_CODES_PER_DOCUMENT). */
  maxCodes?: number;
  /**
   * The error of a document with more letters than `maxCodes` (default
   * `reader.error.tooManyCodes`): the CLI refuses a text file of millions of codes by name
   * (issue 9); nobody judges a document on its first letters only.
   */
  overCap?: LocalizedMessage;
  /**
   * Verify a text again wherever it reappears. The extension shows one card per letter, so
   * a letter printed on two pages is one; the CLI lists every line of a text file, and the
   * batch summary flags a letter number seen twice.
   */
  keepRepeats?: boolean;
}

/** The verdicts of a document's letters, or why there are none to trust. */
export type CheckedTexts = { ok: true; codes: CheckedCode[] } | { ok: false; error: LocalizedMessage };

/**
 * The second half of the pipeline, for readers that yield texts as they go (the CLI streams a
 * text file's lines, never holding the file): keeps `AL1:` texts, verifies each in order, and
 * turns a failure of the core into the document's error, never a verdict.
 *
 * @example await checkTexts(lines, { verify }, { maxCodes: 10_000, overCap, keepRepeats: true })
 */
export async function checkTexts(
  texts: Iterable<FoundText> | AsyncIterable<FoundText>,
  context: Pick<CheckDocumentContext, 'verify' | 'internalErrorKey'>,
  options: CheckTextsOptions = {},
): Promise<CheckedTexts> {
  const maxCodes = options.maxCodes ?? MAX_CODES_PER_DOCUMENT;
  const seen = new Set<string>();
  const codes: CheckedCode[] = [];
  for await (const found of texts) {
    const text = found.text.trim();
    if (!isAl1Text(text)) continue;
    if (!options.keepRepeats) {
      if (seen.has(text)) continue;
      seen.add(text);
    }
    if (codes.length >= maxCodes) {
      // Never a verdict from the first letters only: the one past the cap may be the forgery.
      return { ok: false, error: options.overCap ?? { key: 'reader.error.tooManyCodes', params: { max: maxCodes } } };
    }
    try {
      codes.push({ page: found.page, verdict: await context.verify(text) });
    } catch (error) {
      return { ok: false, error: internal(context, error) };
    }
  }
  return { ok: true, codes };
}

/**
 * Checks one document. QR codes that are not `AL1:` texts (a payment code, a web link) are
 * ignored, so a document with only those is `none`; the same `AL1:` text printed twice (two
 * pages) is verified once, on the page where it first appears (unless `keepRepeats`). Never
 * throws for a bad document: an unexpected failure of the reader or verifier becomes `error`
 * with its text.
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
  } & CheckTextsOptions = {},
): Promise<DocumentCheck> {
  const { maxCodes, overCap, keepRepeats, ...readOptions } = options;
  let outcome: ReadOutcome;
  try {
    outcome = await context.read(bytes, readOptions);
  } catch (error) {
    return failed(internal(context, error));
  }
  if (!outcome.ok) return failed(outcome.error);
  const checked = await checkTexts(outcome.texts, context, {
    ...(maxCodes === undefined ? {} : { maxCodes }),
    ...(overCap === undefined ? {} : { overCap }),
    ...(keepRepeats === undefined ? {} : { keepRepeats }),
  });
  if (!checked.ok) return failed(checked.error);
  const { codes } = checked;
  const unreadable = outcome.unreadableRegions ?? 0;
  // A code that is there but could not be read is not "no code" (cli.md: `error` when a code
  // was seen that could not be read): the person is asked to scan again, never told the
  // document carries no signature. Codes that were read keep their own verdicts.
  const error: LocalizedMessage | null = unreadable > 0 && codes.length === 0 ? { key: 'reader.unreadableCode' } : null;
  const check: DocumentCheck = { codes, verdict: documentVerdict(codes, error), error };
  if (unreadable > 0) check.unreadableRegions = unreadable;
  return check;
}

function internal(context: Pick<CheckDocumentContext, 'internalErrorKey'>, error: unknown): LocalizedMessage {
  return { key: context.internalErrorKey ?? 'extension.error.internal', params: { detail: describe(error) } };
}

function failed(error: LocalizedMessage): DocumentCheck {
  return { codes: [], verdict: 'error', error };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

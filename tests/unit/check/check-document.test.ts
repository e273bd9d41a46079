import { describe, expect, it } from 'vitest';
import {
  type CheckDocumentContext,
  checkDocument,
  checkTexts,
  type ReadOutcome,
} from '../../../utils/check/check-document.ts';
import type { Verdict } from '../../../utils/verify/verdict.ts';

const context = (outcome: ReadOutcome): CheckDocumentContext => ({
  read: async () => outcome,
  verify: async () => {
    throw new Error('no AL1 text in these documents: verify is never called');
  },
});

describe('checkDocument and codes the reader could not read', () => {
  it.each([
    ['is an error asking for a new scan when codes were found but none read', { texts: [], unreadableRegions: 2 }, 2],
    ['is no code, with no count, when every code found was read', { texts: [], unreadableRegions: 0 }, undefined],
    ['is no code for a reader that cannot tell', { texts: [] }, undefined],
    [
      'is an error beside codes that are not letters, keeping the count',
      { texts: [{ text: 'https://example.com', page: 1 }], unreadableRegions: 1 },
      1,
    ],
  ] as const)('%s', async (_, read, expected) => {
    const check = await checkDocument(new Uint8Array([1]), context({ ok: true, ...read, texts: [...read.texts] }));
    expect(check.verdict).toBe(expected ? 'error' : 'none');
    expect(check.error).toEqual(expected ? { key: 'reader.unreadableCode' } : null);
    expect(check.unreadableRegions).toBe(expected);
    expect('unreadableRegions' in check).toBe(expected !== undefined);
  });
});

describe('checkTexts: the verifying half, shared by the extension and the CLI', () => {
  const found = (...texts: string[]) => texts.map((text, i) => ({ text, page: i + 1 }));
  const verdictOf = (text: string) => ({ verdict: 'valid', reasons: [], letter: null, text }) as unknown as Verdict;
  const verify = async (text: string) => verdictOf(text);
  async function* lines(...texts: string[]) {
    for (const item of found(...texts)) yield item;
  }

  it.each([
    ['keeps only AL1 texts, trimmed, in order', found('https://x', ' AL1:a ', 'AL1:b'), {}, ['AL1:a@2', 'AL1:b@3']],
    ['verifies a repeated letter once by default (one card per letter)', found('AL1:a', 'AL1:a'), {}, ['AL1:a@1']],
    ['lists every repeat when asked (the CLI)', found('AL1:a', 'AL1:a'), { keepRepeats: true }, ['AL1:a@1', 'AL1:a@2']],
    ['takes exactly the cap', found('AL1:a', 'AL1:b'), { maxCodes: 2 }, ['AL1:a@1', 'AL1:b@2']],
  ] as const)('%s', async (_, texts, options, expected) => {
    const checked = await checkTexts(texts, { verify }, options);
    expect(
      checked.ok && checked.codes.map((c) => `${(c.verdict as unknown as { text: string }).text}@${c.page}`),
    ).toEqual(expected);
  });

  it('turns more letters than the cap into the overCap error when given, from a streamed source too', async () => {
    const overCap = { key: 'cli.input.tooManyCodes', params: { max: 2 } } as const;
    const checked = await checkTexts(lines('AL1:a', 'AL1:b', 'AL1:c'), { verify }, { maxCodes: 2, overCap });
    expect(checked).toEqual({ ok: false, error: overCap });
  });

  it('never judges a document on its first letters: one past the cap (forged or not) is an error, not a verdict', async () => {
    const forged = async (text: string) =>
      ({ ...verdictOf(text), verdict: text === 'AL1:x' ? 'invalid' : 'valid' }) as unknown as Verdict;
    const many = found(...Array.from({ length: 20 }, (_, i) => `AL1:${i}`), 'AL1:x');
    expect(await checkTexts(many, { verify: forged })).toEqual({
      ok: false,
      error: { key: 'reader.error.tooManyCodes', params: { max: 20 } },
    });
    const check = await checkDocument(new Uint8Array([1]), {
      read: async () => ({ ok: true, texts: many }),
      verify: forged,
    });
    expect(check.verdict).toBe('error');
  });

  it('words a failure of the core with the caller key, never as a verdict', async () => {
    const broken = async (): Promise<Verdict> => {
      throw new TypeError('boom');
    };
    expect(await checkTexts(found('AL1:a'), { verify: broken, internalErrorKey: 'cli.input.internal' })).toEqual({
      ok: false,
      error: { key: 'cli.input.internal', params: { detail: 'TypeError: boom' } },
    });
    const check = await checkDocument(new Uint8Array([1]), {
      read: async () => ({ ok: true, texts: found('AL1:a') }),
      verify: broken,
    });
    expect(check).toEqual({
      codes: [],
      verdict: 'error',
      error: { key: 'extension.error.internal', params: { detail: 'TypeError: boom' } },
    });
  });
});

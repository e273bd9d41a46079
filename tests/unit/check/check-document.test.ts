import { describe, expect, it } from 'vitest';
import { type CheckDocumentContext, checkDocument, type ReadOutcome } from '../../../utils/check/check-document.ts';

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

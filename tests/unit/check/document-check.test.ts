import { describe, expect, it } from 'vitest';
import { type CheckedCode, documentVerdict } from '../../../utils/check/document-check.ts';
import type { Verdict } from '../../../utils/verify/verdict.ts';

const code = (verdict: Verdict['verdict']): CheckedCode => ({ page: 1, verdict: { verdict } as Verdict });

describe('documentVerdict', () => {
  it.each([
    [['valid', 'valid'], 'valid'],
    [['valid', 'warning'], 'warning'],
    [['warning', 'invalid', 'valid'], 'invalid'],
    [[], 'none'],
  ] as const)('reduces %j to %s', (verdicts, expected) => {
    expect(documentVerdict(verdicts.map(code), null)).toBe(expected);
  });

  it('reports error when the document could not be read, whatever codes it had', () => {
    expect(documentVerdict([code('valid')], { key: 'core.verdict.error' })).toBe('error');
  });
});

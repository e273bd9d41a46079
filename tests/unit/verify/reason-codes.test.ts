import { describe, expect, it } from 'vitest';
import { overallVerdict, REASON_CODES, sortReasons } from '../../../utils/verify/reason-codes.ts';

describe('reason codes', () => {
  it.each([
    [[], 'valid'],
    [['REGION_MISMATCH'], 'warning'],
    [['NO_REGISTRY', 'STATUS_UNKNOWN'], 'warning'],
    [['STATUS_UNKNOWN', 'EXPIRED'], 'invalid'],
  ] as const)('combines %j into %s', (codes, verdict) => {
    expect(overallVerdict(codes)).toBe(verdict);
  });

  it('sorts reasons into the order the spec runs its checks, without repeats', () => {
    expect(sortReasons(['EXPIRED', 'MALFORMED', 'EXPIRED', 'REGION_MISMATCH'])).toEqual([
      'MALFORMED',
      'EXPIRED',
      'REGION_MISMATCH',
    ]);
  });

  it('lists the eighteen codes of letter-format.md section 5', () => {
    expect(REASON_CODES).toHaveLength(18);
  });
});

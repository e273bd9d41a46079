import { describe, expect, it } from 'vitest';
import { regionContains, regionPrefix } from '../../../utils/verify/region.ts';
import { isValidUscc, usccCheckCharacter } from '../../../utils/verify/uscc.ts';

describe('isValidUscc (GB 32100-2015)', () => {
  it.each([['91350100M000100Y43'], ['91110000600037341L']])('accepts %s', (code) => {
    expect(isValidUscc(code)).toBe(true);
  });

  it.each([
    ['a wrong check character', '91350100M000100Y44'],
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
    ['a lowercase letter', '91350100m000100Y43'],
    ['the letter I, not in the alphabet', '91350100I000100Y43'],
    ['the letter O', '91350100O000100Y43'],
    ['an empty string', ''],
  ])('refuses %s', (_, code) => {
    expect(isValidUscc(code)).toBe(false);
  });

  it('computes check character 0 when the weighted sum is a multiple of 31', () => {
    const first17 = '00000000000000000';
    expect(usccCheckCharacter(first17)).toBe('0');
  });
});

describe('regionContains', () => {
  it.each([
    ['410000', '411300', true],
    ['410000', '411381107', true],
    ['411300', '411381', true],
    ['411381', '411381107', true],
    ['411381', '411381', true],
    ['411381000', '411381107', true],
    ['411381107', '411381107', true],
    ['411381', '411302', false],
    ['411300', '410100', false],
    ['411381107', '411381', false],
    ['411381107', '411381108', false],
    ['000000', '411381', false],
    ['41138', '411381', false],
    ['411381', '4113811', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(regionContains(outer, inner)).toBe(expected);
  });

  it.each([
    ['410000', '41'],
    ['411300', '4113'],
    ['411381', '411381'],
    ['411381000', '411381'],
    ['411381107', '411381107'],
    ['410001', '410001'],
  ])('drops the trailing zero groups of %s to %s', (code, prefix) => {
    expect(regionPrefix(code)).toBe(prefix);
  });
});

import { describe, expect, it } from 'vitest';
import { holdsAt, parseTestFaultPlan } from '../../../utils/extension/test-fault-point.ts';

describe('the test build fault point', () => {
  it.each([
    ['no plan', null, null],
    ['an empty plan', '', null],
    ['not JSON', '{fileNames:', null],
    ['not an object', '"a.png"', null],
    ['names not a list', '{"fileNames":"a.png","page":0}', null],
    ['a name not a string', '{"fileNames":[1],"page":0}', null],
    ['no page', '{"fileNames":["a.png"]}', null],
    ['a negative page', '{"fileNames":["a.png"],"page":-1}', null],
    ['a fractional page', '{"fileNames":["a.png"],"page":0.5}', null],
    ['a plan', '{"fileNames":["a.png","b.pdf"],"page":2}', { fileNames: ['a.png', 'b.pdf'], page: 2 }],
    [
      'a full disk',
      '{"fileNames":[],"page":0,"failCacheWrites":true}',
      { fileNames: [], page: 0, failCacheWrites: true },
    ],
    ['a full disk not said plainly', '{"fileNames":[],"page":0,"failCacheWrites":1}', null],
  ])('reads %s as %j', (_what, text, plan) => {
    expect(parseTestFaultPlan(text)).toEqual(plan);
  });

  it.each([
    ['before reading a named file', 'a.pdf', 0, 0, true],
    ['a named file once its page is read', 'a.pdf', 1, 1, true],
    ['a named file at another page', 'a.pdf', 1, 2, false],
    ['a file not named', 'c.pdf', 0, 0, false],
  ])('holds %s: %s', (_what, name, page, pagesRead, held) => {
    expect(holdsAt({ fileNames: ['a.pdf', 'b.png'], page }, name, pagesRead)).toBe(held);
  });

  it('holds nothing without a plan (disarmed)', () => {
    expect(holdsAt(null, 'a.pdf', 0)).toBe(false);
  });
});

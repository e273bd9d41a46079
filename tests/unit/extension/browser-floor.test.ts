// The Chromium floor read from what the browsers clinics run actually send. 360 Secure
// Browser sends a plain Chrome user agent with its core's number (13 → 86, 14 → 108,
// 15.0 → 114, 15.3 → 122, 16 → 132) and, from Chromium 90, the same number in
// userAgentData; QQ Browser 12 and 13 add `Core/1.N` (the engine) and `QQBrowser/N` (its
// own version); Sogou adds `SE 2.X MetaSr 1.0`.
import { describe, expect, it } from 'vitest';
import { CHROMIUM_FLOOR, checkBrowserFloor, chromiumMajor } from '../../../utils/extension/browser-floor.ts';

const WIN10 = 'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko)';
const WIN7 = 'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)';
const brands = (chromium: string, own?: [string, string]) => ({
  brands: [
    { brand: 'Not_A Brand', version: '8' },
    { brand: 'Chromium', version: chromium },
    ...(own ? [{ brand: own[0], version: own[1] }] : []),
  ],
});

const CASES: Array<[string, { userAgent: string; userAgentData?: ReturnType<typeof brands> }, number | null]> = [
  ['360 Secure Browser 13 (Chromium 86)', { userAgent: `${WIN10} Chrome/86.0.4240.198 Safari/537.36` }, 86],
  [
    '360 Secure Browser 14 (Chromium 108)',
    { userAgent: `${WIN10} Chrome/108.0.5359.95 Safari/537.36`, userAgentData: brands('108') },
    108,
  ],
  [
    '360 Secure Browser 15.0 (Chromium 114)',
    { userAgent: `${WIN10} Chrome/114.0.5735.289 Safari/537.36`, userAgentData: brands('114') },
    114,
  ],
  [
    '360 Secure Browser 15.3 (Chromium 122)',
    { userAgent: `${WIN10} Chrome/122.0.6261.95 Safari/537.36`, userAgentData: brands('122') },
    122,
  ],
  [
    '360 Secure Browser 16 (Chromium 132)',
    { userAgent: `${WIN10} Chrome/132.0.6834.83 Safari/537.36`, userAgentData: brands('132') },
    132,
  ],
  [
    'an old 360 Secure Browser that names itself (QIHU 360SE)',
    {
      userAgent:
        'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/63.0.3239.132 Safari/537.36 QIHU 360SE',
    },
    63,
  ],
  [
    'QQ Browser 12.2 (Core 1.94)',
    { userAgent: `${WIN10} Chrome/94.0.4606.71 Safari/537.36 Core/1.94.225.400 QQBrowser/12.2.5544.400` },
    94,
  ],
  [
    'QQ Browser 13.5 (Core 1.116)',
    {
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.5845.97 Safari/537.36 Core/1.116.475.400 QQBrowser/13.5.6267.400',
    },
    116,
  ],
  [
    'a QQ Browser whose Chrome token claims more than its core (constructed)',
    { userAgent: `${WIN10} Chrome/107.0.0.0 Safari/537.36 Core/1.94.197.400 QQBrowser/12.0.5443.400` },
    94,
  ],
  [
    'Sogou Explorer 13 (Chromium 116)',
    {
      userAgent: `${WIN10} Chrome/116.0.0.0 Safari/537.36 SE 2.X MetaSr 1.0`,
      userAgentData: brands('116', ['Sogou Explorer', '13']),
    },
    116,
  ],
  [
    'an old Sogou Explorer (Chromium 65)',
    { userAgent: `${WIN10} Chrome/65.0.3314.0 Safari/537.36 SE 2.X MetaSr 1.0` },
    65,
  ],
  [
    'Chrome 109 on Windows 7',
    { userAgent: `${WIN7} Chrome/109.0.0.0 Safari/537.36`, userAgentData: brands('109', ['Google Chrome', '109']) },
    109,
  ],
  [
    'Edge 109 on Windows 7',
    {
      userAgent: `${WIN7} Chrome/109.0.0.0 Safari/537.36 Edg/109.0.1518.140`,
      userAgentData: brands('109', ['Microsoft Edge', '109']),
    },
    109,
  ],
  ['Firefox ESR 140', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' }, null],
  ['no user agent at all', { userAgent: '' }, null],
];

describe('chromiumMajor', () => {
  it.each(CASES)('reads %s as %s', (_label, nav, expected) => {
    expect(chromiumMajor(nav)).toBe(expected);
  });

  it('trusts the lower number when userAgentData and the user agent disagree', () => {
    expect(chromiumMajor({ userAgent: `${WIN10} Chrome/120.0.0.0 Safari/537.36`, userAgentData: brands('108') })).toBe(
      108,
    );
  });
});

describe('checkBrowserFloor', () => {
  it('needs Chromium 109, the manifest minimum', () => {
    expect(CHROMIUM_FLOOR).toBe(109);
  });

  it.each([
    ['360 Secure Browser 13', CASES[0]?.[1], { kind: 'too-old', chromium: 86, needed: 109 }],
    ['360 Secure Browser 14', CASES[1]?.[1], { kind: 'too-old', chromium: 108, needed: 109 }],
    ['360 Secure Browser 15.0', CASES[2]?.[1], { kind: 'ok', chromium: 114 }],
    ['360 Secure Browser 16', CASES[4]?.[1], { kind: 'ok', chromium: 132 }],
    ['QQ Browser 12.2', CASES[6]?.[1], { kind: 'too-old', chromium: 94, needed: 109 }],
    ['QQ Browser 13.5', CASES[7]?.[1], { kind: 'ok', chromium: 116 }],
    ['Chrome 109', CASES[11]?.[1], { kind: 'ok', chromium: 109 }],
    ['Edge 109', CASES[12]?.[1], { kind: 'ok', chromium: 109 }],
    ['Firefox', CASES[13]?.[1], { kind: 'not-chromium' }],
  ])('judges %s', (_label, nav, expected) => {
    expect(checkBrowserFloor(nav)).toEqual(expected);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeUntrusted, lookalikeHint, showUntrusted } from '../../../utils/explain/untrusted-text.ts';

/** Every code point that must never reach a screen or terminal as itself. */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Cn}\p{Default_Ignorable_Code_Point}]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/u;

/** Undoes the markers, to show that escaping loses nothing (for texts without a literal "⟨"). */
function decodeMarkers(text: string): string {
  return text.replace(/⟨U\+([0-9A-F]{4,6})⟩/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)));
}

/**
 * Random text weighted towards the characters that matter: any code point, plus controls,
 * bidi controls, line breaks, lone surrogate halves, combining marks and ANSI sequences.
 */
const hostileUnit = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 1 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '\u202A',
      '\u202E',
      '\u2066',
      '\u2069',
      '\u200E',
      '\u200F',
      '\u061C',
      '\u200B',
      '\u200D',
      '\uFEFF',
      '\u2028',
      '\u2029',
      '\u0085',
      '\u001B[1A',
      '\u001B[2K',
      '\u001B[8m',
      '\u009B31m',
      '\uD800',
      '\uDFFF',
      '\u0301',
      '\u3164',
      '\uFE0F',
      '⟨U+',
    ),
    weight: 2,
  },
);
const hostileText = fc.string({ unit: hostileUnit, maxLength: 40 });

const plainUnit = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('（', '）', '，', '。', '、', '：', '\u3000', '·', '—'),
);
const plainText = fc.string({ unit: plainUnit, maxLength: 40 });

describe('escapeUntrusted', () => {
  it.each([
    ['a bidi override', '邓州市\u202E诊所', '邓州市⟨U+202E⟩诊所'],
    ['ANSI cursor-up and erase-line', 'DZ-1\u001B[1A\u001B[2K有效', 'DZ-1⟨U+001B⟩[1A⟨U+001B⟩[2K有效'],
    ['ANSI conceal', '\u001B[8m隐藏', '⟨U+001B⟩[8m隐藏'],
    ['a C1 CSI', '\u009B2K', '⟨U+009B⟩2K'],
    ['a carriage return and a newline', '第一行\r\n第二行', '第一行⟨U+000D⟩⟨U+000A⟩第二行'],
    ['a tab and DEL', 'a\tb\u007F', 'a⟨U+0009⟩b⟨U+007F⟩'],
    ['line and paragraph separators and NEL', 'a\u2028b\u2029c\u0085', 'a⟨U+2028⟩b⟨U+2029⟩c⟨U+0085⟩'],
    ['isolates and marks', '\u2066x\u2069\u200E\u200F\u061C', '⟨U+2066⟩x⟨U+2069⟩⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩'],
    ['zero-width characters and a BOM', '支\u200B付\u200D宝\uFEFF', '支⟨U+200B⟩付⟨U+200D⟩宝⟨U+FEFF⟩'],
    ['a Hangul filler and a variation selector', '支\u3164付\uFE0F', '支⟨U+3164⟩付⟨U+FE0F⟩'],
    [
      'an ideographic variation selector and a combining grapheme joiner',
      '葛\u{E0100}a\u034Fb',
      '葛⟨U+E0100⟩a⟨U+034F⟩b',
    ],
    ['a blank Braille cell', '支\u2800付', '支⟨U+2800⟩付'],
    ['a tag character (astral)', 'a\u{E0041}', 'a⟨U+E0041⟩'],
    ['a lone surrogate half', 'a\uD800b', 'a⟨U+D800⟩b'],
    ['an unassigned code point', 'a\u{10FFFF}', 'a⟨U+10FFFF⟩'],
    ['a long run of combining marks', `e${'\u0301'.repeat(6)}`, `e${'\u0301'.repeat(4)}⟨U+0301⟩⟨U+0301⟩`],
  ])('makes %s visible', (_, input, expected) => {
    expect(escapeUntrusted(input)).toBe(expected);
  });

  it.each([
    ['邓州市人民医院'],
    ['DZ-2026-0017'],
    ['河南某某科技有限公司（邓州分公司）'],
    ['Tiếng Việt'],
    ['张\u3000三'],
    ['😀 emoji'],
  ])('keeps %s as it is', (text) => {
    expect(escapeUntrusted(text)).toBe(text);
  });

  it('never lets a control, bidi, format, line-break or unassigned code point through', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const out = escapeUntrusted(text);
        expect(out).not.toMatch(FORBIDDEN);
        expect(out).not.toMatch(BIDI);
        expect(out).not.toMatch(LINE_BREAK);
        expect(out).not.toContain('\u001B');
      }),
      { numRuns: 2000 },
    );
  });

  it('changes nothing when run on its own output', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const once = escapeUntrusted(text);
        expect(escapeUntrusted(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('loses nothing: the markers decode back to the input', () => {
    fc.assert(
      fc.property(
        hostileText.filter((t) => !t.includes('⟨')),
        (text) => {
          expect(decodeMarkers(escapeUntrusted(text))).toBe(text);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('passes plain Chinese and ASCII text unchanged, with no lookalike hint', () => {
    fc.assert(
      fc.property(plainText, (text) => {
        expect(escapeUntrusted(text)).toBe(text);
        expect(lookalikeHint(text)).toBeNull();
        expect(showUntrusted(text)).toEqual({ text, escaped: false, hint: null });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('lookalikeHint', () => {
  it.each([
    ['邓州市人民医院'],
    ['TCL科技有限公司'],
    ['支付宝（中国）网络技术有限公司'],
    ['Alipay'],
    ['Москва'],
    ['ㄅㄆㄇ注音'],
    ['邓州市第3人民医院'],
  ])('gives no hint for %s', (name) => {
    expect(lookalikeHint(name)).toBeNull();
  });

  it.each([
    ['Cyrillic letters in a Han name', '支付宝сервис', ['MIXED_SCRIPTS'], ['Han', 'Cyrillic']],
    ['one Cyrillic letter among Latin ones', 'Alipаy', ['MIXED_SCRIPTS'], ['Latin', 'Cyrillic']],
    ['a Greek letter in a Han name', '支付宝ο', ['MIXED_SCRIPTS'], ['Han', 'Greek']],
    ['Katakana passing for 汉字 (エ for 工)', '邓州市人民医院エ会', ['MIXED_SCRIPTS'], ['Han', 'Katakana']],
    ['a Kangxi radical passing for 支', '⽀付宝', ['COMPATIBILITY_FORMS'], ['Han']],
    ['a compatibility ideograph', '\uF900园', ['COMPATIBILITY_FORMS'], ['Han']],
    ['fullwidth Latin letters', 'ＴＣＬ科技', ['COMPATIBILITY_FORMS'], ['Latin', 'Han']],
    ['fullwidth digits', '第３人民医院', ['COMPATIBILITY_FORMS'], ['Han']],
    ['both', 'Ａlipаy', ['MIXED_SCRIPTS', 'COMPATIBILITY_FORMS'], ['Latin', 'Cyrillic']],
    // NFKC leaves these as they are: the compatibility check alone missed them.
    ['a radicals-supplement sign passing for 阝 (⻏)', '邓州市⻏医院', ['COMPATIBILITY_FORMS'], ['Han']],
    ['a radicals-supplement sign passing for 食 (⻝)', '⻝品公司', ['COMPATIBILITY_FORMS'], ['Han']],
    ['a Hangzhou numeral passing for 丨 (〡)', '中〡医院', ['COMPATIBILITY_FORMS'], ['Han']],
    ['a CJK stroke (㇀)', '邓州㇀医院', ['COMPATIBILITY_FORMS'], ['Han']],
  ])('hints at %s', (_, name, reasons, scripts) => {
    expect(lookalikeHint(name)).toEqual({ reasons, scripts });
  });

  it('hints on the original text, so escaping does not hide a lookalike', () => {
    expect(showUntrusted('支付宝\u202Eсервис')).toEqual({
      text: '支付宝⟨U+202E⟩сервис',
      escaped: true,
      hint: { reasons: ['MIXED_SCRIPTS'], scripts: ['Han', 'Cyrillic'] },
    });
  });
});

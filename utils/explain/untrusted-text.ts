/**
 * The one way to show text that came from outside: a letter's `sub_name`, `jti`, `agents`
 * and `purpose`, labels an issuer put in the registry, file names. Whoever signs a letter
 * (or names an attachment) chooses these characters, so they must never steer how the
 * screen, the terminal or a CSV line looks.
 *
 * Threats this stops (issue 9, "output spoofing"): ANSI escape sequences (ESC[1A ESC[2K
 * erase the real row and print a fake "有效" one, ESC[8m hides the rest), `\r` and `\n`
 * that start a fake row, bidi overrides (U+202E) that reorder what is shown, invisible
 * characters that make two different names look the same, and lookalike letters from other
 * scripts or compatibility forms that make a name read as "支付宝" when it is not.
 *
 * Pure: no DOM, no `node:*`; the CLI, the side panel, markers, history and CSV all call it.
 */

/** How an escaped code point is shown: visible, unambiguous, and itself made only of safe characters. */
function marker(codePoint: number): string {
  return `⟨U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/**
 * Code points never shown as themselves:
 * - `Cc`: C0 controls (ESC, `\r`, `\n`, tab…), DEL and C1 controls (U+0085 NEL, U+009B CSI);
 * - `Cf`: format characters: bidi embeddings, overrides and isolates (U+202A-202E,
 *   U+2066-2069), marks (U+200E/200F, U+061C), zero-width space and joiners, soft hyphen,
 *   BOM, tag characters;
 * - `Zl`, `Zp`: U+2028 and U+2029, which break lines in browsers and some terminals;
 * - `Cs`: a lone surrogate half, which no font draws and which breaks UTF-8 output;
 * - `Cn`: unassigned code points and noncharacters, which a later Unicode may make format
 *   characters, and which no font draws today;
 * - Default_Ignorable_Code_Point: what fonts draw as nothing although it is a letter or a
 *   mark, so it can pad a name to look like another: Hangul fillers (U+115F, U+1160,
 *   U+3164, U+FFA0), the combining grapheme joiner, Khmer inherent vowels, Mongolian and
 *   ordinary variation selectors (U+FE00-FE0F, U+E0100-E01EF).
 */
const ALWAYS_ESCAPED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Cn}\p{Default_Ignorable_Code_Point}]/u;

/** The blank Braille pattern: a symbol, not default-ignorable, yet drawn as an empty cell. */
const BRAILLE_BLANK = 0x2800;

const COMBINING_MARK = /\p{M}/u;

/**
 * Combining marks kept on one base character. Vietnamese needs 2, Tibetan stacks a few
 * more; a long run ("Zalgo" text) draws over the rows above and below, so the rest are escaped.
 */
const MAX_MARKS_PER_BASE = 4;

/**
 * Shows untrusted text on one line with nothing hidden: every control, bidi, line-break,
 * invisible or unassigned code point becomes a visible `⟨U+XXXX⟩`, and combining marks past
 * {@link MAX_MARKS_PER_BASE} on one character are escaped too. Everything else (Chinese,
 * Latin, digits, punctuation, ordinary and ideographic spaces) is kept as it is.
 *
 * Escaping an already escaped text changes nothing, so layers may call it twice safely.
 *
 * @example escapeUntrusted('邓州市\u202E诊所') // '邓州市⟨U+202E⟩诊所'
 * @example escapeUntrusted('DZ-1\u001B[1A\u001B[2K有效') // 'DZ-1⟨U+001B⟩[1A⟨U+001B⟩[2K有效'
 * @example escapeUntrusted('第一行\r\n第二行') // '第一行⟨U+000D⟩⟨U+000A⟩第二行'
 */
export function escapeUntrusted(text: string): string {
  let out = '';
  let marks = 0;
  // for…of walks code points, and yields a lone surrogate half on its own.
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (ALWAYS_ESCAPED.test(char) || codePoint === BRAILLE_BLANK) {
      out += marker(codePoint);
      marks = 0;
      continue;
    }
    if (COMBINING_MARK.test(char)) {
      marks += 1;
      if (marks > MAX_MARKS_PER_BASE) {
        out += marker(codePoint);
        continue;
      }
    } else {
      marks = 0;
    }
    out += char;
  }
  return out;
}

/** Why a name may not be what it looks like. */
export type LookalikeReason =
  /** Letters of scripts that a Chinese name does not mix, e.g. Cyrillic "а" or Katakana "エ" among 汉字. */
  | 'MIXED_SCRIPTS'
  /**
   * Compatibility forms that look like ordinary characters: fullwidth "Ａ", Kangxi radical "⽀" for 支,
   * compatibility ideographs; and radical, stroke and numeral signs drawn like 汉字 ("⻏" for 阝).
   */
  | 'COMPATIBILITY_FORMS';

/** What {@link lookalikeHint} found: the reasons, and the scripts of the name's letters in order of first use. */
export type LookalikeHint = {
  reasons: LookalikeReason[];
  scripts: string[];
};

/**
 * Scripts told apart, in the order checked. A letter of none of these counts as "Other",
 * which is a script of its own for mixing.
 */
const SCRIPTS = [
  'Han',
  'Latin',
  'Bopomofo',
  'Cyrillic',
  'Greek',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Armenian',
  'Georgian',
  'Cherokee',
  'Coptic',
  'Arabic',
  'Hebrew',
  'Mongolian',
  'Tibetan',
  'Yi',
  'Lisu',
  'Thai',
  'Lao',
  'Devanagari',
] as const;

const SCRIPT_PATTERNS = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);

/**
 * Script sets a Chinese name may use without a hint: 汉字 with Latin letters (company names
 * such as "TCL科技") and Bopomofo. Any letter of another script beside these, or two other
 * scripts together (Latin with Cyrillic, the classic "раураl"), gets a hint. Japanese kana
 * and Korean Hangul beside 汉字 are hinted too, since "エ", "ロ", "カ", "ニ" pass for 工, 口, 力, 二.
 */
const UNHINTED_MIX: ReadonlySet<string> = new Set(['Han', 'Latin', 'Bopomofo']);

const LETTER = /\p{L}/u;

/**
 * Characters that may be compatibility lookalikes: letters, numbers and other symbols (the
 * Kangxi radicals are symbols). Punctuation and spaces are left out: fullwidth "（）" and the
 * ideographic space are ordinary in Chinese names.
 */
const LOOKALIKE_CANDIDATE = /[\p{L}\p{N}\p{So}]/u;

/**
 * Signs drawn like 汉字 but not ideographs, which NFKC leaves as they are: CJK radicals
 * supplement (⻏ passes for 阝, ⻝ for 食), ideographic description characters, Hangzhou
 * numerals (〡 for 丨) and CJK strokes (㇀). No organization's registered name
 * holds one; a forger's may, to look like a known name while differing from it.
 */
const IDEOGRAPH_LOOKALIKE = /[\u2E80-\u2EFF\u2FF0-\u2FFF\u3021-\u3029\u31C0-\u31EF]/u;

function scriptOf(char: string): string {
  for (const [name, pattern] of SCRIPT_PATTERNS) if (pattern.test(char)) return name;
  return 'Other';
}

/**
 * Tells when a name mixes scripts or compatibility forms in a way that can hide lookalikes,
 * so the UI can show a hint beside it ("名称中混有其他文字的字母"); `null` when it does not.
 * A hint is not a verdict: the letter's signature still decides whether it is valid.
 *
 * @example lookalikeHint('邓州市人民医院') // null
 * @example lookalikeHint('TCL科技有限公司') // null
 * @example lookalikeHint('支付宝（中国）有限公司') // null
 * @example lookalikeHint('支付宝сервис') // { reasons: ['MIXED_SCRIPTS'], scripts: ['Han', 'Cyrillic'] }
 * @example lookalikeHint('⽀付宝') // { reasons: ['COMPATIBILITY_FORMS'], scripts: ['Han'] }
 */
export function lookalikeHint(text: string): LookalikeHint | null {
  const scripts: string[] = [];
  let compatibility = false;
  for (const char of text) {
    if (LETTER.test(char)) {
      const script = scriptOf(char);
      if (!scripts.includes(script)) scripts.push(script);
    }
    if (!compatibility && LOOKALIKE_CANDIDATE.test(char) && char.normalize('NFKC') !== char) compatibility = true;
    if (!compatibility && IDEOGRAPH_LOOKALIKE.test(char)) compatibility = true;
  }
  const mixed = scripts.length > 1 && !scripts.every((s) => UNHINTED_MIX.has(s));
  const reasons: LookalikeReason[] = [];
  if (mixed) reasons.push('MIXED_SCRIPTS');
  if (compatibility) reasons.push('COMPATIBILITY_FORMS');
  return reasons.length > 0 ? { reasons, scripts } : null;
}

/** Untrusted text ready to show: the escaped text, whether anything was escaped, and the lookalike hint. */
export type ShownText = {
  text: string;
  escaped: boolean;
  hint: LookalikeHint | null;
};

/**
 * Both checks at once, for a UI that shows a name with its hint.
 *
 * @example showUntrusted('支付宝\u202E') // { text: '支付宝⟨U+202E⟩', escaped: true, hint: null }
 */
export function showUntrusted(text: string): ShownText {
  const escaped = escapeUntrusted(text);
  return { text: escaped, escaped: escaped !== text, hint: lookalikeHint(text) };
}

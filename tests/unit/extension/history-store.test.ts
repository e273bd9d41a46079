import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addHistory,
  clearHistory,
  csvField,
  findRepeatedLetters,
  historyEntryFromRecord,
  historyForLetter,
  historyToCsv,
  MAX_ROW_PAGE_URL,
  matchesHistory,
  reasonWords,
  recordFromHistory,
  repeatedLetters,
  rowOfCheck,
  searchHistory,
} from '../../../utils/extension/history-store.ts';
import type { HistoryEntry, YanzhenDatabase } from '../../../utils/extension/idb-schema.ts';
import { openYanzhenDb } from '../../../utils/extension/idb-store.ts';
import { t } from '../../../utils/i18n/i18n.ts';
import { LETTER, NOW, record, verdict } from '../ui/fixtures.ts';

function entry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    checkedAt: NOW,
    pageUrl: 'https://portal.gov.cn/review/17',
    fileName: '授权书.png',
    source: 'img',
    verdict: 'valid',
    reasons: [],
    letterNumber: 'DZ-2026-0001',
    issuer: 'cn-hsa-411381',
    issuerName: { 'zh-CN': '邓州市医疗保障局', en: 'Dengzhou Healthcare Security Administration' },
    organization: '邓州市惠民数字服务有限公司',
    organizationCode: '91411381MA9XXXXX0K',
    ...overrides,
  };
}

let db: YanzhenDatabase;
let dbCount = 0;
beforeEach(async () => {
  db = await openYanzhenDb(`yanzhen-test-${++dbCount}`);
});
afterEach(() => db.close());

describe('historyEntryFromRecord against a hostile page', () => {
  it('keeps the start of a page address pushed to 2 MB, not all of it', () => {
    const pageUrl = `https://portal.example.gov.cn/review?${'a'.repeat(2 * 1024 * 1024)}`;
    const row = historyEntryFromRecord(record({ pageUrl }));
    expect(row.pageUrl.length).toBe(MAX_ROW_PAGE_URL + 1);
    expect(row.pageUrl.startsWith('https://portal.example.gov.cn/review?aaa')).toBe(true);
    expect(row.pageUrl.endsWith('…')).toBe(true);
    expect(historyEntryFromRecord(record({ pageUrl: 'https://a.example/1' })).pageUrl).toBe('https://a.example/1');
  });
});

describe('rowOfCheck', () => {
  it('finds the row one check of one document wrote, and none for another check or document', async () => {
    const source = { fromCache: false, fetchedAt: 2, problem: null };
    const done = record({ checkedAt: 200, registrySource: source });
    await addHistory(db, historyEntryFromRecord(done, { documentId: 'doc-a', startedAt: 100 }));
    await addHistory(db, historyEntryFromRecord(record({ checkedAt: 300 }), { documentId: 'doc-a', startedAt: 250 }));
    await addHistory(db, historyEntryFromRecord(record({ checkedAt: 210 })));
    expect((await rowOfCheck(db, 'doc-a', 100))?.check).toEqual({
      documentId: 'doc-a',
      startedAt: 100,
      registrySource: source,
    });
    expect((await rowOfCheck(db, 'doc-a', 250))?.checkedAt).toBe(300);
    expect(await rowOfCheck(db, 'doc-a', 120)).toBeNull();
    expect(await rowOfCheck(db, 'doc-b', 100)).toBeNull();
  });
});

describe('historyEntryFromRecord', () => {
  it('keeps the letter’s facts and every reason in spec order, and never the bytes', () => {
    const row = historyEntryFromRecord(
      record({
        codes: [
          { page: 1, verdict: verdict(['EXPIRED', 'ISSUER_UNKNOWN']) },
          { page: 2, verdict: verdict(['SCOPE_NOT_PERMITTED']) },
        ],
      }),
    );
    expect(row).toMatchObject({
      fileName: '授权书.pdf',
      verdict: 'invalid',
      letterNumber: LETTER.jti,
      issuer: LETTER.iss,
      organization: LETTER.sub_name,
      organizationCode: LETTER.sub,
    });
    expect(row.reasons).toEqual(['ISSUER_UNKNOWN', 'SCOPE_NOT_PERMITTED', 'EXPIRED']);
    expect(Object.values(row).some((v) => v instanceof Uint8Array || v instanceof ArrayBuffer)).toBe(false);
  });

  it('keeps the verdicts so the row can open its card again', () => {
    const checked = record({ codes: [{ page: 1, verdict: verdict(['EXPIRED']) }] });
    const back = recordFromHistory({ ...historyEntryFromRecord(checked), id: 9 });
    expect(back).toMatchObject({ id: 'history-9', name: checked.name, verdict: 'invalid', state: 'done' });
    expect(back.codes).toEqual(checked.codes);
  });

  it('opens a row written before the verdicts were kept as a card with no codes', () => {
    const { codes: _c, error: _e, ...old } = historyEntryFromRecord(record({ codes: [], verdict: 'none' }));
    expect(recordFromHistory(old)).toMatchObject({ codes: [], error: null, verdict: 'none' });
  });

  it('leaves the letter number out for a document with no code (so it stays out of the index)', () => {
    const row = historyEntryFromRecord(record({ codes: [], verdict: 'none' }));
    expect('letterNumber' in row).toBe(false);
    expect(row).toMatchObject({ verdict: 'none', issuer: null, organization: null, reasons: [] });
  });
});

describe('history in IndexedDB', () => {
  it('adds checks and finds them newest first, by any field, verdict and time', async () => {
    await addHistory(db, entry({ checkedAt: NOW - 2000, fileName: 'a.png' }));
    await addHistory(db, entry({ checkedAt: NOW, fileName: 'b.pdf', verdict: 'invalid', reasons: ['REVOKED'] }));
    await addHistory(db, entry({ checkedAt: NOW - 1000, fileName: 'c.png', letterNumber: undefined, verdict: 'none' }));
    const names = async (q: Parameters<typeof searchHistory>[1]) => (await searchHistory(db, q)).map((e) => e.fileName);
    expect(await names({})).toEqual(['b.pdf', 'c.png', 'a.png']);
    expect(await names({ text: 'revoked' })).toEqual(['b.pdf']);
    expect(await names({ text: '医疗保障局' })).toEqual(['b.pdf', 'c.png', 'a.png']);
    expect(await names({ text: 'dengzhou healthcare' })).toHaveLength(3);
    expect(await names({ verdict: 'none' })).toEqual(['c.png']);
    expect(await names({ from: NOW - 1500, to: NOW - 500 })).toEqual(['c.png']);
    expect(await names({ limit: 1 })).toEqual(['b.pdf']);
    expect(await names({ text: '   ' })).toHaveLength(3);
  });

  it('gives every added check its own id, ignoring an id passed in', async () => {
    const a = await addHistory(db, entry({ id: 99 }));
    const b = await addHistory(db, entry({ id: 99 }));
    expect(a).not.toBe(b);
  });

  it('finds every check of one letter number, newest first, and clears everything', async () => {
    await addHistory(db, entry({ checkedAt: NOW - 10 }));
    await addHistory(db, entry({ checkedAt: NOW }));
    await addHistory(db, entry({ letterNumber: 'OTHER-1' }));
    expect((await historyForLetter(db, 'DZ-2026-0001')).map((e) => e.checkedAt)).toEqual([NOW, NOW - 10]);
    await clearHistory(db);
    expect(await searchHistory(db)).toEqual([]);
  });

  it('points out a letter number seen on several pages', async () => {
    await addHistory(db, entry({ pageUrl: 'https://a.gov.cn/1' }));
    await addHistory(db, entry({ pageUrl: 'https://b.gov.cn/2', checkedAt: NOW + 5 }));
    await addHistory(db, entry({ letterNumber: 'ONCE-1' }));
    expect(await repeatedLetters(db)).toEqual([
      {
        letterNumber: 'DZ-2026-0001',
        issuer: 'cn-hsa-411381',
        count: 2,
        pages: ['https://a.gov.cn/1', 'https://b.gov.cn/2'],
        firstSeen: NOW,
        lastSeen: NOW + 5,
      },
    ]);
  });
});

describe('findRepeatedLetters', () => {
  it.each([
    ['seen twice on one page', [entry(), entry()], []],
    ['seen three times on one page', [entry(), entry(), entry()], ['DZ-2026-0001']],
    ['seen on two pages', [entry(), entry({ pageUrl: 'https://other.gov.cn/' })], ['DZ-2026-0001']],
    ['the same number from two issuers', [entry(), entry({ issuer: 'x', pageUrl: 'https://o/' })], []],
    [
      'no letter number',
      [entry({ letterNumber: undefined }), entry({ letterNumber: undefined, pageUrl: 'https://o/' })],
      [],
    ],
  ])('a letter %s is pointed out: %j', (_what, entries, expected) => {
    expect(findRepeatedLetters(entries).map((r) => r.letterNumber)).toEqual(expected);
  });

  it('lists the most repeated first', () => {
    const many = [entry({ letterNumber: 'A' }), entry({ letterNumber: 'A' }), entry({ letterNumber: 'A' })];
    const more = [...many, ...many].map((e) => ({ ...e, letterNumber: 'B' }));
    expect(findRepeatedLetters([...many, ...more]).map((r) => [r.letterNumber, r.count])).toEqual([
      ['B', 6],
      ['A', 3],
    ]);
  });
});

describe('matchesHistory', () => {
  it('matches reason codes case-insensitively', () => {
    expect(matchesHistory(entry({ reasons: ['ISSUER_UNKNOWN'] }), { text: 'issuer_unknown' })).toBe(true);
  });
});

describe('CSV export', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1+1', "'+1+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['授权书.png', '授权书.png'],
  ])('writes the field %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('starts with a BOM, heads columns in the user’s language, writes Beijing time and ends rows with CRLF', () => {
    const rows = [
      entry({
        checkedAt: Date.UTC(2026, 2, 10, 2, 30),
        fileName: '=cmd|calc',
        verdict: 'invalid',
        reasons: ['REVOKED'],
      }),
    ];
    const zh = historyToCsv(rows, 'zh-CN');
    expect(zh.startsWith('\uFEFF时间,网页,文件名,结论')).toBe(true);
    expect(zh.endsWith('\r\n')).toBe(true);
    const line = zh.split('\r\n')[1] ?? '';
    expect(line).toContain('2026-03-10 10:30:00');
    expect(line).toContain("'=cmd|calc");
    expect(line).toContain('无效');
    expect(line).toContain('REVOKED');
    // Reasons in words, their codes in a column of their own.
    const header = zh.slice(1).split('\r\n')[0]?.split(',') ?? [];
    const cells = line.split(',');
    expect(cells[header.indexOf('原因')]).toBe('已被撤销');
    expect(cells[header.indexOf('原因代码')]).toBe('REVOKED');
    expect(line).toContain('邓州市医疗保障局');
    const en = historyToCsv(rows, 'en');
    expect(en.split('\r\n')[1]).toContain('Dengzhou Healthcare Security Administration');
    expect(en.split('\r\n')[0]).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('writes every reason of a row in words, in order, and keeps Excel from splitting or running them', () => {
    const csv = historyToCsv(
      [entry({ verdict: 'invalid', reasons: ['ISSUER_UNKNOWN', 'EXPIRED'], fileName: '@SUM(1)' })],
      'zh-CN',
    );
    const [header = '', row = ''] = csv.slice(1).split('\r\n');
    expect(header.split(',')).toContain('原因');
    expect(row).toContain('签发机关未登记；已过期');
    expect(row).toContain('ISSUER_UNKNOWN EXPIRED');
    expect(row).toContain("'@SUM(1)");
    expect(csv.split('\n').every((l, i, all) => i === all.length - 1 || l.endsWith('\r'))).toBe(true);
  });

  it('escapes control and bidi characters of page- and letter-given text before quoting it', () => {
    const csv = historyToCsv(
      [
        entry({
          fileName: 'a\u202Efdp.exe',
          organization: '惠民\r\n公司',
          issuerName: { 'zh-CN': '邓州市\u202E局', en: 'Dengzhou' },
        }),
      ],
      'zh-CN',
    );
    const row = csv.slice(1).split('\r\n')[1] ?? '';
    expect(row).toContain('a⟨U+202E⟩fdp.exe');
    expect(row).toContain('惠民⟨U+000D⟩⟨U+000A⟩公司');
    // The registry's issuer name too: signed, but typed by people.
    expect(row).toContain('邓州市⟨U+202E⟩局');
    expect(csv.slice(1).split('\r\n')).toHaveLength(3);
  });

  it('exports an empty history as its header line alone', () => {
    expect(historyToCsv([], 'zh-CN').split('\r\n')).toHaveLength(2);
  });
});

describe('reasonWords', () => {
  it.each([
    [[], 'zh-CN', ''],
    [['EXPIRED', 'REVOKED'], 'zh-CN', '已过期；已被撤销'],
    [['EXPIRED', 'REVOKED'], 'en', `${t('en', 'core.reasonShort.EXPIRED')}; ${t('en', 'core.reasonShort.REVOKED')}`],
  ] as const)('says %j in %s as %j', (reasons, locale, words) => {
    expect(reasonWords(reasons, locale)).toBe(words);
    expect(reasonWords(reasons, locale)).not.toMatch(/[A-Z_]{5,}/);
  });
});

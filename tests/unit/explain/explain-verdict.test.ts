import { beforeAll, describe, expect, it } from 'vitest';
import { explainReason, explainRegistryProblem, verdictHeadline } from '../../../utils/explain/explain-verdict.ts';
import { parseRegionTable } from '../../../utils/explain/region-names.ts';
import { LOCALES } from '../../../utils/i18n/i18n.ts';
import { REGISTRY_PROBLEMS } from '../../../utils/verify/registry.ts';
import type { Verdict } from '../../../utils/verify/verdict.ts';
import { verifyLetter } from '../../../utils/verify/verify-letter.ts';
import { context, DAY, getWorld, issue, NOW, type World } from '../../support/fixtures.ts';
import { REASON_FIXTURES } from '../../support/fixtures-reasons.ts';

let world: World;
const verdicts: [string, Verdict][] = [];
beforeAll(async () => {
  world = await getWorld();
  for (const fixture of REASON_FIXTURES) {
    const { text, options } = await fixture.build(world);
    verdicts.push([fixture.name, await verifyLetter(text, await context(options))]);
  }
});

describe('explainReason', () => {
  it.each([...LOCALES])(
    'writes a complete sentence, placeholders filled, for every code of every fixture in %s',
    (locale) => {
      let explained = 0;
      for (const [name, verdict] of verdicts) {
        for (const code of verdict.reasons) {
          const sentence = explainReason(code, verdict, locale);
          expect(sentence, `${name} ${code}`).not.toMatch(/[{}]|core\.|undefined|NaN/);
          expect(sentence.length, `${name} ${code}`).toBeGreaterThan(10);
          explained++;
        }
      }
      expect(explained).toBeGreaterThan(50);
    },
  );

  it('tells clinic staff when an expired letter ran out, as a Chinese date', async () => {
    const exp = Date.UTC(2026, 1, 28, 16, 30) / 1000; // 1 March 2026 in Beijing
    const verdict = await verifyLetter(
      await issue(world.issuerKey, { nbf: exp - 20 * DAY, exp }),
      await context({ currentDate: new Date((exp + DAY) * 1000) }),
    );
    expect(verdict.reasons).toContain('EXPIRED');
    expect(explainReason('EXPIRED', verdict, 'zh-CN')).toBe('此授权书已过期（有效期至 2026年3月1日）。');
    expect(explainReason('EXPIRED', verdict, 'en')).toBe('This letter has expired (it was valid until March 1, 2026).');
    expect(verdictHeadline(verdict, 'zh-CN')).toBe('此授权书无效：已过期');
  });

  it("names the issuer from the registry, not from the letter's own words", async () => {
    const verdict = await verifyLetter(
      await issue(world.issuerKey, {
        status: { status_list: { idx: 3, uri: 'https://dengzhou.example.gov.cn/status/1' } },
      }),
      await context(),
    );
    expect(explainReason('REVOKED', verdict, 'zh-CN')).toBe('此授权书已被“邓州市医疗保障局”撤销，不能再使用。');
  });

  it('says suspended, not revoked, for a suspended entry', async () => {
    const verdict = await verifyLetter(
      await issue(world.issuerKey, {
        status: { status_list: { idx: 5, uri: 'https://dengzhou.example.gov.cn/status/2' } },
      }),
      await context(),
    );
    expect(verdictHeadline(verdict, 'zh-CN')).toBe('此授权书无效：已被暂停使用');
  });

  it('lists exactly the regions outside the jurisdiction', async () => {
    const verdict = await verifyLetter(
      await issue(world.issuerKey, { region: ['411381121', '411302001'] }),
      await context(),
    );
    expect(explainReason('REGION_NOT_PERMITTED', verdict, 'zh-CN')).toBe(
      '授权地区（411302001）超出了“邓州市医疗保障局”的管辖范围。',
    );
  });
});

describe('explainReason with a region table', () => {
  it('names the regions so people need not read codes', async () => {
    const table = parseRegionTable('41河南省\n\t13南阳市\n\t\t02宛城区\n\t\t81邓州市\n\t\t\t121陶营镇');
    const verdict = await verifyLetter(await issue(world.issuerKey), await context({ localRegion: '411302001' }));
    expect(explainReason('REGION_MISMATCH', verdict, 'zh-CN', { regionTable: table })).toBe(
      '此授权书只适用于 河南省南阳市邓州市陶营镇（411381121），不包括您所在的地区。',
    );
    // With the local region from settings, the place it does not cover is named too.
    expect(explainReason('REGION_MISMATCH', verdict, 'zh-CN', { regionTable: table, localRegion: '411302' })).toBe(
      '此授权书只适用于 河南省南阳市邓州市陶营镇（411381121），不包括您所在的河南省南阳市宛城区（411302）。',
    );
    expect(explainReason('REGION_MISMATCH', verdict, 'zh-CN')).toBe('此授权书只适用于 411381121，不包括您所在的地区。');
  });
});

describe('explainReason for a wrong USCC', () => {
  it('names the code people can compare with the paper', async () => {
    const verdict = await verifyLetter(await issue(world.issuerKey, { sub: '91350100M000100Y44' }), await context());
    expect(verdict.reasons).toEqual(['MALFORMED']);
    expect(explainReason('MALFORMED', verdict, 'zh-CN')).toBe(
      '此授权书上的统一社会信用代码“91350100M000100Y44”不正确（最后一位校验码对不上），不能当作授权书使用。',
    );
  });
});

describe('explainReason for a validity that ends before it starts', () => {
  it('names both dates, which people can compare with the paper', async () => {
    const verdict = await verifyLetter(
      await issue(world.issuerKey, { nbf: NOW + 200, exp: NOW - 200 }),
      await context(),
    );
    expect(verdict.reasons).toEqual(['MALFORMED']);
    expect(explainReason('MALFORMED', verdict, 'zh-CN')).toMatch(
      /^此授权书的有效期结束时间（2026年1月1日）早于开始时间（2026年1月1日）/,
    );
    expect(explainReason('MALFORMED', verdict, 'en')).toMatch(/^This letter's validity ends \(.+\) before it begins/);
  });
});

describe('verdictHeadline', () => {
  it('heads an invalid letter with why it is invalid, not with a warning that came first', async () => {
    const verdict = await verifyLetter(
      await issue(world.issuerKey, { exp: NOW - DAY, nbf: NOW - 10 * DAY }),
      await context({ registry: null }),
    );
    expect(verdict.reasons).toEqual(['NO_REGISTRY', 'EXPIRED']);
    expect(verdictHeadline(verdict, 'en')).toBe('This letter is not valid: expired');
  });

  it('says valid plainly', async () => {
    const verdict = await verifyLetter(await issue(world.issuerKey), await context());
    expect(verdictHeadline(verdict, 'zh-CN')).toBe('此授权书有效');
  });

  it('heads a warning with its first reason', async () => {
    const verdict = await verifyLetter(await issue(world.issuerKey), await context({ registry: null }));
    expect(verdictHeadline(verdict, 'zh-CN')).toBe('此授权书需核实：没有签发机关名单');
  });
});

describe('explainRegistryProblem', () => {
  it.each([...REGISTRY_PROBLEMS, 'REGISTRY_UNREACHABLE' as const].flatMap((p) => LOCALES.map((l) => [p, l] as const)))(
    'explains %s in %s',
    (problem, locale) => {
      expect(explainRegistryProblem(problem, locale)).not.toMatch(/core\.|[{}]/);
    },
  );
});

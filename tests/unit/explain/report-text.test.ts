import { describe, expect, it } from 'vitest';
import { explainReason } from '../../../utils/explain/explain-verdict.ts';
import { parseRegionTable } from '../../../utils/explain/region-names.ts';
import { buildReportText } from '../../../utils/explain/report-text.ts';
import { LETTER, record, verdict } from '../ui/fixtures.ts';

const REGIONS = parseRegionTable('41河南省\n\t13南阳市\n\t\t81邓州市\n\t\t\t121陶营镇');

describe('buildReportText', () => {
  const bad = verdict(['SIGNATURE_INVALID', 'EXPIRED']);
  const seen = record({ codes: [{ page: 1, verdict: bad }] });
  const text = buildReportText(bad, seen, 'zh-CN', REGIONS);
  const lines = text.split('\n');

  it('starts with a title and the verdict in words', () => {
    expect(lines.slice(0, 2)).toEqual(['可疑授权书举报信息', '检查结果：无效']);
  });

  it('explains every reason on its own line', () => {
    for (const code of bad.reasons) expect(lines).toContain(`- ${explainReason(code, bad, 'zh-CN')}`);
  });

  it.each([
    '授权书编号：DZ-2026-0001',
    '自称签发机关：邓州市医疗保障局',
    '被授权单位：邓州市惠民数字服务有限公司（统一社会信用代码 91411381MA9XXXXX0K）',
    '被授权人员：张三（身份证号后四位 1234）',
    '授权事项：指导群众激活医保电子凭证',
    '适用地区：河南省南阳市邓州市陶营镇（411381121）、河南省南阳市邓州市（411381）',
    '有效期：2026年3月1日 至 2026年5月29日',
    '发现时间：2026年3月10日 10:30',
    '发现位置：https://portal.example.gov.cn/review/17',
    '文件：授权书.pdf',
    '签发机关官方电话（来自签发机关名单）：0377-62150000',
    '签发机关官方网站：https://ybj.dengzhou.gov.cn',
  ])('has the line %s', (line) => {
    expect(lines).toContain(line);
  });

  it('names the local region from settings in a region reason, as the card does', () => {
    const outside = verdict(['REGION_MISMATCH']);
    const out = buildReportText(
      outside,
      record({ codes: [{ page: 1, verdict: outside }] }),
      'zh-CN',
      REGIONS,
      '411381',
    );
    expect(out).toContain('不包括您所在的河南省南阳市邓州市（411381）。');
    expect(out).toContain(
      explainReason('REGION_MISMATCH', outside, 'zh-CN', { regionTable: REGIONS, localRegion: '411381' }),
    );
  });

  it('never carries a phone number written in the letter', () => {
    const sneaky = verdict(['SIGNATURE_INVALID'], {
      letter: { ...LETTER, sub_name: '服务中心 13800000000', purpose: '电话 13900000000' },
    });
    const out = buildReportText(sneaky, seen, 'zh-CN', REGIONS);
    expect(out).not.toMatch(/13[89]00000000/);
  });

  it('says to report to the county office when the registry has no contact for the issuer', () => {
    const unknown = verdict(['ISSUER_UNKNOWN'], { facts: { issuerName: null, issuerContact: null } });
    const out = buildReportText(unknown, seen, 'zh-CN', REGIONS);
    expect(out).toContain('自称签发机关：未登记的机关（代码 cn-hsa-411381）');
    expect(out).toContain('签发机关名单中没有这个签发机关，请向县医保局举报。');
  });

  it('reports a letter that could not be decoded with where and when it was seen', () => {
    const malformed = verdict(['MALFORMED'], { letter: null, facts: { issuerName: null, issuerContact: null } });
    const out = buildReportText(malformed, { ...seen, pageUrl: '' }, 'en', null).split('\n');
    expect(out[0]).toBe('Suspicious authorization letter report');
    expect(out).toContain('Where: https://portal.example.gov.cn/files/letter.pdf');
    expect(out.some((l) => l.startsWith('Letter number'))).toBe(false);
  });
});

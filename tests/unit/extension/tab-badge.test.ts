import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DocumentVerdict } from '../../../utils/check/document-check.ts';
import type { DocumentRecord, TabDocuments, TabPage } from '../../../utils/check/document-record.ts';
import { iconPaths, tabBadge } from '../../../utils/extension/tab-badge.ts';
import type { Locale } from '../../../utils/i18n/i18n.ts';

function doc(verdict: DocumentVerdict, state: DocumentRecord['state'] = 'done'): DocumentRecord {
  return {
    id: `${verdict}-${Math.random()}`,
    name: 'a.png',
    url: null,
    source: 'img',
    pageUrl: 'https://portal.gov.cn/review',
    checkedAt: 0,
    state,
    progress: null,
    codes: [],
    verdict,
    error: null,
  };
}

const tab = (...documents: DocumentRecord[]): TabDocuments => ({ tabId: 1, pageUrl: '', documents });
const page = (p: Partial<TabPage>): TabPage => ({
  generation: 1,
  scanned: false,
  pending: {},
  dropped: [],
  blockedOrigins: [],
  ...p,
});

describe('tabBadge', () => {
  it.each<[string, Locale, TabDocuments | null, { icon: string; text: string; title: string }]>([
    ['an unchecked tab', 'zh-CN', null, { icon: 'idle', text: '', title: '验真：本页未检查' }],
    ['an unchecked tab', 'en', null, { icon: 'idle', text: '', title: 'Yanzhen: this page has not been checked' }],
    [
      'a page with no documents',
      'zh-CN',
      tab(),
      { icon: 'idle', text: '', title: '验真：本页没有找到带授权二维码的授权文件' },
    ],
    [
      'one valid, one invalid, one warning',
      'zh-CN',
      tab(doc('valid'), doc('invalid'), doc('warning')),
      { icon: 'invalid', text: '2', title: '3 份授权文件：1 份有效，1 份无效，1 份需核实' },
    ],
    [
      'the same in English',
      'en',
      tab(doc('valid'), doc('invalid'), doc('warning')),
      { icon: 'invalid', text: '2', title: '3 authorization documents: 1 valid, 1 invalid, 1 to check' },
    ],
    [
      'only valid letters',
      'zh-CN',
      tab(doc('valid'), doc('valid')),
      { icon: 'valid', text: '', title: '2 份授权文件：2 份有效' },
    ],
    [
      'a warning and a valid letter',
      'zh-CN',
      tab(doc('warning'), doc('valid')),
      { icon: 'warning', text: '1', title: '2 份授权文件：1 份有效，1 份需核实' },
    ],
    [
      'a paper letter with no code and an unreadable file',
      'zh-CN',
      tab(doc('none'), doc('error')),
      { icon: 'none', text: '', title: '2 份授权文件：1 份没有授权二维码，1 份无法读取' },
    ],
    [
      'a check still running',
      'zh-CN',
      tab(doc('valid'), doc('none', 'checking')),
      { icon: 'valid', text: '', title: '2 份授权文件：1 份有效，1 份正在检查' },
    ],
    [
      'a new page not yet looked at',
      'zh-CN',
      { ...tab(), page: page({ scanned: false }) },
      { icon: 'idle', text: '', title: '验真：本页未检查' },
    ],
    [
      'a page looked at, with nothing found',
      'zh-CN',
      { ...tab(), page: page({ scanned: true }) },
      { icon: 'idle', text: '', title: '验真：本页没有找到带授权二维码的授权文件' },
    ],
    [
      'documents found in two frames and not yet handed over, counted as being checked',
      'zh-CN',
      { ...tab(doc('invalid')), page: page({ scanned: true, pending: { '0': 2, '5': 1 } }) },
      { icon: 'invalid', text: '1', title: '4 份授权文件：1 份无效，3 份正在检查' },
    ],
    [
      'a frame that found documents before the top frame reported',
      'zh-CN',
      { ...tab(), page: page({ scanned: false, pending: { '3': 1 } }) },
      { icon: 'none', text: '', title: '1 份授权文件：1 份正在检查' },
    ],
  ])('shows %s (%s)', (_what, locale, documents, expected) => {
    expect(tabBadge(documents, locale)).toMatchObject(expected);
  });

  it('counts only invalid and warning documents in the badge, whatever else the tab holds', () => {
    const docs = tab(doc('invalid'), doc('invalid'), doc('warning'), doc('valid'), doc('none'), doc('error'));
    expect(tabBadge(docs, 'zh-CN').text).toBe('3');
  });

  it('colours the badge by the worst verdict, and each state differently', () => {
    const colours = new Set(
      [tab(doc('valid')), tab(doc('warning')), tab(doc('invalid')), tab(doc('none')), null].map(
        (t) => tabBadge(t, 'zh-CN').color,
      ),
    );
    expect(colours.size).toBe(5);
    expect(tabBadge(tab(doc('valid'), doc('invalid')), 'zh-CN').color).toBe(
      tabBadge(tab(doc('invalid')), 'zh-CN').color,
    );
  });

  it.each(['valid', 'warning', 'invalid', 'none', 'idle'] as const)('has every icon file of the %s state', (state) => {
    for (const path of Object.values(iconPaths(state))) expect(existsSync(`public${path}`)).toBe(true);
  });

  it('points at the icon files of the state in every size', () => {
    expect(iconPaths('warning')).toEqual({
      '16': '/icons/warning-16.png',
      '32': '/icons/warning-32.png',
      '48': '/icons/warning-48.png',
      '128': '/icons/warning-128.png',
    });
  });
});

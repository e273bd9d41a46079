// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { dayRange, HistoryView, type HistoryViewProps, NO_FILTER } from '../../../components/history-view.tsx';
import { PopupStatus } from '../../../components/popup-status.tsx';
import { findRepeatedLetters } from '../../../utils/extension/history-store.ts';
import type { HistoryEntry } from '../../../utils/extension/idb-schema.ts';
import { NOW, verdict } from './fixtures.ts';

afterEach(cleanup);

const counts = { valid: 1, warning: 1, invalid: 2, none: 0, error: 0, checking: 0 };
const noop = () => {};

describe('PopupStatus', () => {
  it("counts this tab's documents by state, in words", () => {
    const { container } = render(
      <PopupStatus
        locale="zh-CN"
        counts={counts}
        site={{ origin: 'https://portal.example.gov.cn', enabled: false }}
        onEnable={noop}
        onScan={noop}
        onDetails={noop}
        onSettings={noop}
        status={null}
      />,
    );
    expect(container.textContent).toContain('4 份授权文件');
    const items = [...container.querySelectorAll('li[data-state]')].map((li) => li.textContent);
    expect(items).toEqual(['✗无效 × 2', '!需核实 × 1', '✓有效 × 1']);
  });

  it.each([
    [{ origin: 'https://portal.example.gov.cn', enabled: false }, '在此网站启用', true],
    [{ origin: 'https://portal.example.gov.cn', enabled: true }, '已在此网站启用', false],
    [null, '这个页面不能启用', false],
  ])('offers to enable the site %j only when it can', (site, words, button) => {
    let clicked = 0;
    const { container } = render(
      <PopupStatus
        locale="zh-CN"
        counts={{ ...counts, valid: 0, warning: 0, invalid: 0 }}
        site={site}
        onEnable={() => clicked++}
        onScan={noop}
        onDetails={noop}
        onSettings={noop}
        status={null}
      />,
    );
    expect(container.textContent).toContain(words);
    expect(container.textContent).toContain('此页还没有找到授权文件');
    const enable = screen.queryByRole('button', { name: '在此网站启用' });
    expect(enable !== null).toBe(button);
    if (enable) fireEvent.click(enable);
    expect(clicked).toBe(button ? 1 : 0);
  });
});

function entry(over: Partial<HistoryEntry>): HistoryEntry {
  return {
    checkedAt: NOW,
    pageUrl: 'https://a.example/1',
    fileName: 'a.pdf',
    source: 'link',
    verdict: 'valid',
    reasons: [],
    letterNumber: 'DZ-2026-0001',
    issuer: 'cn-hsa-411381',
    issuerName: { 'zh-CN': '邓州市医疗保障局', en: 'Dengzhou HSA' },
    organization: '惠民公司',
    organizationCode: '91411381MA9XXXXX0K',
    ...over,
  };
}

describe('HistoryView', () => {
  const entries = [
    entry({ id: 1 }),
    entry({ id: 2, pageUrl: 'https://b.example/2', checkedAt: NOW - 1000 }),
    entry({ id: 3, letterNumber: 'X-1', verdict: 'invalid', reasons: ['SIGNATURE_INVALID'] }),
  ];
  const props = (over: Partial<HistoryViewProps> = {}): HistoryViewProps => ({
    locale: 'zh-CN',
    entries,
    repeated: findRepeatedLetters(entries),
    query: '',
    onQuery: noop,
    onExport: noop,
    onClear: noop,
    status: null,
    ...over,
  });

  it('points out a letter number seen on several pages', () => {
    const { container } = render(<HistoryView {...props()} />);
    expect(container.textContent).toContain('编号 DZ-2026-0001 已出现 2 次，在 2 个不同网页上');
    expect(container.textContent).not.toContain('编号 X-1 已出现');
    expect(container.textContent).toContain('共 3 条记录');
  });

  it("shows a repeated letter number through the untrusted-text rule: a forged jti's bidi override and line break stay visible", () => {
    const hostile = 'DZ-1\u202E1000-6202\n有效';
    const twice = [
      entry({ id: 1, letterNumber: hostile }),
      entry({ id: 2, letterNumber: hostile, pageUrl: 'https://b.example/2' }),
    ];
    const { container } = render(<HistoryView {...props({ entries: twice, repeated: findRepeatedLetters(twice) })} />);
    const warning = container.querySelector('.yz-repeated li')?.textContent ?? '';
    expect(warning).toContain('编号 DZ-1⟨U+202E⟩1000-6202⟨U+000A⟩有效 已出现 2 次');
    expect(container.textContent).not.toMatch(/[\u202E\n]/);
  });

  it.each([
    [true, 1],
    [false, 0],
  ])('clears only after the user confirms (%s)', (answer, clears) => {
    let cleared = 0;
    render(<HistoryView {...props({ onClear: () => cleared++, confirm: () => answer })} />);
    fireEvent.click(screen.getByRole('button', { name: '清空记录' }));
    expect(cleared).toBe(clears);
  });

  it('says when nothing matches the search', () => {
    const { container } = render(<HistoryView {...props({ entries: [], repeated: [], query: 'zzz' })} />);
    expect(container.textContent).toContain('没有符合条件的记录');
    expect((screen.getByRole('button', { name: '导出 CSV' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('HistoryView rows', () => {
  const bad = entry({
    id: 5,
    verdict: 'invalid',
    reasons: ['EXPIRED'],
    codes: [{ page: 1, verdict: verdict(['EXPIRED']) }],
  });
  const props = (over: Partial<HistoryViewProps> = {}): HistoryViewProps => ({
    locale: 'zh-CN',
    entries: [bad],
    repeated: [],
    query: '',
    onQuery: noop,
    onExport: noop,
    onClear: noop,
    status: null,
    ...over,
  });

  it('shows each row with its reasons in words, and opens its card on a click', () => {
    const { container } = render(<HistoryView {...props()} />);
    expect(container.querySelector('[data-reasons]')?.textContent).toBe('已过期');
    const row = container.querySelector('button.yz-history__row') as HTMLButtonElement;
    expect(row.getAttribute('aria-expanded')).toBe('false');
    expect(container.querySelector('article')).toBeNull();
    fireEvent.click(row);
    expect(row.getAttribute('aria-expanded')).toBe('true');
    const card = container.querySelector(`#${row.getAttribute('aria-controls')} article`);
    expect(card?.getAttribute('data-state')).toBe('invalid');
    expect(card?.textContent).toContain('此授权书已过期');
    fireEvent.click(row);
    expect(container.querySelector('article')).toBeNull();
  });

  it('names an issuer the registry did not know as unregistered, with its code', () => {
    const { container } = render(
      <HistoryView {...props({ entries: [entry({ issuerName: null, issuer: 'cn-pay-x' })] })} />,
    );
    expect(container.textContent).toContain('未登记的机关（代码 cn-pay-x）');
  });

  it('filters by verdict and day through its controls', () => {
    const seen: unknown[] = [];
    const { container } = render(<HistoryView {...props({ onFilter: (f) => seen.push(f) })} />);
    fireEvent.change(container.querySelector('[name="history-verdict"]')!, { target: { value: 'invalid' } });
    fireEvent.input(container.querySelector('[name="history-from"]')!, { target: { value: '2026-03-01' } });
    expect(seen).toEqual([
      { ...NO_FILTER, verdict: 'invalid' },
      { ...NO_FILTER, fromDay: '2026-03-01' },
    ]);
  });

  it('says nothing matches when a filter leaves no rows', () => {
    const { container } = render(
      <HistoryView {...props({ entries: [], filter: { ...NO_FILTER, verdict: 'valid' } })} />,
    );
    expect(container.textContent).toContain('没有符合条件的记录');
  });
});

describe('dayRange', () => {
  it.each([
    [{ ...NO_FILTER, fromDay: '2026-03-10' }, { from: Date.UTC(2026, 2, 9, 16) }],
    [{ ...NO_FILTER, toDay: '2026-03-10' }, { to: Date.UTC(2026, 2, 10, 15, 59, 59, 999) }],
    [{ ...NO_FILTER, fromDay: 'yesterday' }, {}],
    [NO_FILTER, {}],
  ])('takes %j as the whole days in China time %j', (filter, range) => {
    expect(dayRange(filter)).toEqual(range);
  });
});

// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { RecentChecks } from '../../../components/recent-checks.tsx';
import { VerdictCard } from '../../../components/verdict-card.tsx';
import { record, verdict } from './fixtures.ts';

afterEach(cleanup);

describe('RecentChecks', () => {
  it('lists what was just checked in the order given (newest first), valid ones included, not by severity', () => {
    const docs = [
      record({ id: 'scan', source: 'camera' }),
      record({ id: 'file', source: 'manual-file', codes: [{ page: 1, verdict: verdict(['EXPIRED']) }] }),
    ];
    const { container } = render(<RecentChecks documents={docs} locale="zh-CN" regions={null} />);
    expect(container.querySelector('h2')?.textContent).toBe('刚才检查的文件');
    expect([...container.querySelectorAll('article')].map((a) => a.dataset.docId)).toEqual(['scan', 'file']);
  });

  it('shows nothing before the first manual check', () => {
    const { container } = render(<RecentChecks documents={[]} locale="zh-CN" regions={null} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('page progress of a multi-page PDF', () => {
  it.each([
    [{ page: 3, pages: 12 }, '第 3/12 页'],
    [{ page: 1, pages: 1 }, null],
    [null, null],
  ])('shows %j as %s', (progress, words) => {
    const doc = record({ state: 'checking', codes: [], verdict: 'none', progress });
    const { container } = render(<VerdictCard record={doc} locale="zh-CN" regions={null} />);
    expect(container.querySelector('.yz-progress')?.textContent ?? null).toBe(words);
    expect(container.querySelector('progress') !== null).toBe(words !== null);
  });
});

// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentList } from '../../../components/document-list.tsx';
import { record, verdict } from './fixtures.ts';

afterEach(cleanup);

describe('DocumentList', () => {
  it('summarizes only the states present, problems first, in a polite live region', () => {
    const docs = [
      record({ id: 'a' }),
      record({ id: 'b', codes: [{ page: 1, verdict: verdict(['REVOKED']) }] }),
      record({ id: 'c', state: 'checking', codes: [], verdict: 'none', progress: { page: 3, pages: 12 } }),
    ];
    const { container } = render(<DocumentList documents={docs} locale="zh-CN" regions={null} />);
    const live = container.querySelector('[aria-live="polite"]');
    expect(live?.textContent).toBe('3 份授权文件：1 份无效，1 份正在检查，1 份有效');
    const order = [...container.querySelectorAll('article')].map((a) => a.dataset.state);
    expect(order).toEqual(['invalid', 'checking', 'valid']);
  });

  it('says so when the tab has no documents and points to the manual checks', () => {
    const { container } = render(<DocumentList documents={[]} locale="zh-CN" regions={null} />);
    expect(container.textContent).toContain('这个标签页上还没有找到授权文件');
    expect(container.textContent).toContain('手动检查');
  });

  it('shows region codes bare while the region table loads', () => {
    const { container } = render(<DocumentList documents={[record()]} locale="zh-CN" regions={null} />);
    expect(container.textContent).toContain('411381121');
    expect(container.textContent).not.toContain('陶营镇');
  });
});

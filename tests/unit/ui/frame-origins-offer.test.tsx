// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameOriginsOffer } from '../../../components/frame-origins-offer.tsx';

afterEach(cleanup);

describe('FrameOriginsOffer', () => {
  it('names every origin in one button, and asks once when clicked', () => {
    let clicks = 0;
    render(
      <FrameOriginsOffer
        locale="zh-CN"
        origins={['https://files.example.cn', 'http://127.0.0.2:8080']}
        onEnable={() => clicks++}
      />,
    );
    const button = screen.getByRole('button');
    expect(button.textContent).toBe('也检查来自 files.example.cn、127.0.0.2:8080 的附件');
    fireEvent.click(button);
    expect(clicks).toBe(1);
  });

  it('shows nothing when every frame can be read', () => {
    const { container } = render(<FrameOriginsOffer locale="zh-CN" origins={[]} onEnable={() => undefined} />);
    expect(container.textContent).toBe('');
  });

  it('speaks English too', () => {
    render(<FrameOriginsOffer locale="en" origins={['https://files.example.cn']} onEnable={() => undefined} />);
    expect(screen.getByRole('button').textContent).toBe('Also check attachments from files.example.cn');
  });
});

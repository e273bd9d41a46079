// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { SecurityMarkChooser, securityMarkProblem } from '../../../components/security-mark-chooser.tsx';
import { SECURITY_MARK_PICTURES } from '../../../utils/extension/security-mark-pictures.ts';
import type { SecurityMark } from '../../../utils/extension/settings.ts';

afterEach(cleanup);

describe('SecurityMarkChooser', () => {
  it('offers every bundled picture as a named choice', () => {
    const { container } = render(
      <SecurityMarkChooser locale="zh-CN" value={null} pictureUrl={(id) => `/m/${id}.svg`} onSave={() => {}} />,
    );
    const radios = [...container.querySelectorAll('input[type=radio]')].map((r) => (r as HTMLInputElement).value);
    expect(radios).toEqual([...SECURITY_MARK_PICTURES]);
    expect(SECURITY_MARK_PICTURES.length).toBeGreaterThanOrEqual(12);
    expect(container.textContent).toContain('钥匙');
  });

  it('saves the picture and the trimmed word', async () => {
    const saved: SecurityMark[] = [];
    const { container } = render(
      <SecurityMarkChooser locale="zh-CN" value={null} pictureUrl={(id) => id} onSave={(m) => void saved.push(m)} />,
    );
    fireEvent.click(container.querySelector('input[value="fish"]')!);
    fireEvent.input(container.querySelector('[name="security-mark-word"]')!, { target: { value: ' 红枣 ' } });
    fireEvent.submit(container.querySelector('form')!);
    await waitFor(() => expect(saved).toEqual([{ picture: 'fish', word: '红枣' }]));
  });

  it.each([
    [null, '红枣', 'ui.mark.pictureRequired'],
    ['unicorn', '红枣', 'ui.mark.pictureRequired'],
    ['fish', '  ', 'ui.mark.wordRequired'],
    ['fish', '一二三四五六七八九十一二三四五六七八九十一', 'ui.mark.wordTooLong'],
    ['fish', '红枣', null],
  ])('checks picture %j and word %j', (picture, word, problem) => {
    expect(securityMarkProblem(picture, word)).toBe(problem);
  });
});

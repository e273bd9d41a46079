// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { TextSizeToggle } from '../../../components/text-size-toggle.tsx';
import {
  applyDisplayPrefs,
  DISPLAY_KEY,
  loadDisplayPrefs,
  parseDisplayPrefs,
  saveDisplayPrefs,
} from '../../../utils/extension/display-prefs.ts';

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

describe('display preferences', () => {
  it.each([
    [undefined, false],
    [{ largeText: true }, true],
    [{ largeText: 'yes' }, false],
    ['large', false],
  ])('reads %j as largeText %s', (value, large) => {
    expect(parseDisplayPrefs(value)).toEqual({ largeText: large });
  });

  it('saves and loads them from storage.local', async () => {
    expect(await loadDisplayPrefs()).toEqual({ largeText: false });
    await saveDisplayPrefs({ largeText: true });
    expect((await fakeBrowser.storage.local.get(DISPLAY_KEY))[DISPLAY_KEY]).toEqual({ largeText: true });
    expect(await loadDisplayPrefs()).toEqual({ largeText: true });
  });

  it('marks the page for the larger type and takes the mark away again', () => {
    const root = document.createElement('html');
    applyDisplayPrefs({ largeText: true }, root);
    expect(root.dataset.textSize).toBe('large');
    applyDisplayPrefs({ largeText: false }, root);
    expect(root.dataset.textSize).toBeUndefined();
  });
});

describe('TextSizeToggle', () => {
  it('is a toggle button that says whether large text is on', () => {
    const seen: boolean[] = [];
    render(<TextSizeToggle locale="zh-CN" large={false} onChange={(v) => seen.push(v)} />);
    const button = screen.getByRole('button', { name: '大字' });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(button);
    expect(seen).toEqual([true]);
  });
});

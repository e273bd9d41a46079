import { describe, expect, it } from 'vitest';
import { ignoreBrowserShutdown, isBrowserShutdown } from '../../../utils/extension/browser-shutdown.ts';

describe('isBrowserShutdown', () => {
  it.each([
    [new Error('The browser is shutting down.'), true],
    ['The browser is shutting down.', true],
    [new Error('No tab with id: 7.'), false],
    [new Error('The browser is shutting down. Or is it?'), false],
    [new TypeError('cannot read properties of undefined'), false],
    [null, false],
    [{ message: 'The browser is shutting down.' }, false],
  ])('takes %s as shutdown: %s', (reason, expected) => {
    expect(isBrowserShutdown(reason)).toBe(expected);
  });
});

describe('ignoreBrowserShutdown', () => {
  it('quiets only the shutdown rejection', () => {
    const target = new EventTarget();
    ignoreBrowserShutdown(target as unknown as typeof globalThis);
    const event = (reason: unknown) => {
      const e = new Event('unhandledrejection', { cancelable: true }) as Event & { reason: unknown };
      e.reason = reason;
      target.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(event(new Error('The browser is shutting down.'))).toBe(true);
    expect(event(new Error('a real bug'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { messageText } from '../../../components/message-text.ts';

describe('messageText', () => {
  it.each([
    ['ui.manual.readFailed', '读不到这个文件。'],
    ['REGISTRY_UNREACHABLE', '取不到签发机关名单（网络不通）。'],
    ['something the runtime said', 'something the runtime said'],
  ])('turns %j into words', (input, words) => {
    expect(messageText('zh-CN', input)).toBe(words);
  });
});

/**
 * The side panel's status line after a manual check names the file the user chose: a name
 * made by a hostile portal goes through the untrusted-text rule (utils/extension/manual-file.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { checkUserFile } from '../../../utils/extension/manual-file.ts';

beforeEach(() => fakeBrowser.reset());

describe('checkUserFile status line', () => {
  it.each([
    ['a bidi override', '授权书\u202Egnp.exe', '授权书⟨U+202E⟩gnp.exe'],
    ['a line break', '授权书.png\n已验真：有效', '授权书.png⟨U+000A⟩已验真：有效'],
  ])('shows a file name with %s visibly, on one line', async (_what, name, shown) => {
    // No runtime answers here: the check cannot be sent, and the status says so with the name.
    const outcome = await checkUserFile(new File([new Uint8Array([1, 2, 3])], name), 'manual-file', null, 'zh-CN');
    expect(outcome.docId).toBeNull();
    expect(outcome.status).toContain(shown);
    expect(outcome.status).not.toMatch(/[\u202E\n]/);
  });
});

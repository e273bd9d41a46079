import { describe, expect, it } from 'vitest';
import { PendingClick, resendUntilAnswered } from '../../../utils/extension/marker-click.ts';

describe('resendUntilAnswered', () => {
  const noWait = () => Promise.resolve();
  it.each([
    ['answered at once', ['ok'], 'ok', 1],
    ['rejected once, then answered', [new Error('Could not establish connection'), 'ok'], 'ok', 2],
    ['unanswered (undefined) once, then answered', [undefined, 'ok'], 'ok', 2],
    ['a refusal is an answer, not sent again', [{ ok: false }], { ok: false }, 1],
    [
      'never through: tried 1 + 3 times, then undefined',
      [undefined, new Error('x'), undefined, new Error('y')],
      undefined,
      4,
    ],
  ] as const)('%s', async (_, outcomes, expected, tries) => {
    let sent = 0;
    const waits: number[] = [];
    const answer = await resendUntilAnswered(
      async () => {
        const outcome = outcomes[sent++];
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
      [150, 400, 1000],
      (ms) => {
        waits.push(ms);
        return noWait();
      },
    );
    expect(answer).toEqual(expected);
    expect(sent).toBe(tries);
    expect(waits).toEqual([150, 400, 1000].slice(0, tries - 1));
  });
});

describe('PendingClick', () => {
  it('acts at once when the marker knows its document', () => {
    const acted: string[] = [];
    const clicks = new PendingClick<string>((doc) => acted.push(doc));
    clicks.ready('d1');
    clicks.click();
    clicks.click();
    expect(acted).toEqual(['d1', 'd1']);
  });

  it('keeps clicks made before, and acts once for them when it knows its document', () => {
    const acted: string[] = [];
    const clicks = new PendingClick<string>((doc) => acted.push(doc));
    clicks.click();
    clicks.click();
    expect(acted).toEqual([]);
    clicks.ready('d1');
    expect(acted).toEqual(['d1']);
  });

  it('never acts for a marker that gets no document (spent or foreign token)', () => {
    const acted: string[] = [];
    const clicks = new PendingClick<string>((doc) => acted.push(doc));
    clicks.click();
    expect(acted).toEqual([]);
  });

  it('does nothing when ready without a click', () => {
    const acted: string[] = [];
    new PendingClick<string>((doc) => acted.push(doc)).ready('d1');
    expect(acted).toEqual([]);
  });
});

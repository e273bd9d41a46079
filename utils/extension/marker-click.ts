/**
 * What a marker does with a click, kept apart from the marker page so it can be tested.
 *
 * A click must never be lost. Two ways it was:
 * - the marker listened for clicks only once it had claimed its token and read its record
 *   (two round trips to the background, a second or more on a slow clinic PC with forty
 *   markers loading), so a click on a marker still saying "正在检查…" did nothing;
 * - the request to the background was sent once and its failure swallowed, so a message
 *   that did not get through (the service worker being started or stopped: "Could not
 *   establish connection", "message port closed") left the verdict view on the last card
 *   with no sign that anything went wrong.
 * So clicks are taken from the first moment, a click before the marker knows its document
 * is acted on as soon as it does, and the request is sent again when it did not arrive.
 */

/** Waits between tries of a message that did not reach the background (ms). */
export const RESEND_DELAYS_MS = [150, 400, 1000] as const;

/**
 * Sends with `send` until an answer comes back: a rejection or `undefined` (nobody answered)
 * is tried again after each of `delays`; the last failure is returned as `undefined`.
 * Only for requests that are safe to repeat (showing a card twice shows it once).
 *
 * @example await resendUntilAnswered(() => sendMessage('verdict.show', req)) // the answer, or undefined
 */
export async function resendUntilAnswered<T>(
  send: () => Promise<T | undefined>,
  delays: readonly number[] = RESEND_DELAYS_MS,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    const answer = await send().catch(() => undefined);
    if (answer !== undefined) return answer;
    const delay = delays[attempt];
    if (delay === undefined) return undefined;
    await wait(delay);
  }
}

/**
 * Holds the marker's clicks until it knows its document. `click()` runs the action at once
 * when the marker is ready (inside the click's user gesture, which `sidePanel.open` needs),
 * or remembers that the user clicked; `ready()` then runs it once for all the clicks made
 * meanwhile. A marker that never gets its document (a spent or foreign token) never acts.
 */
export class PendingClick<T> {
  private target: T | null = null;
  private clicked = false;

  constructor(private readonly act: (target: T) => void) {}

  click(): void {
    if (this.target !== null) this.act(this.target);
    else this.clicked = true;
  }

  ready(target: T): void {
    this.target = target;
    if (!this.clicked) return;
    this.clicked = false;
    this.act(target);
  }
}

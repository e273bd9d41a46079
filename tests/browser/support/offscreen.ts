// Evaluates an expression in the extension's offscreen document, which is not a Playwright
// page: over the DevTools protocol, through a nested session from any page of the context.
import type { Page } from 'playwright-core';

export async function evaluateInOffscreen<T>(page: Page, expression: string): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { targetId: string; url: string }[];
    };
    const offscreen = targetInfos.find((t) => t.url.endsWith('/offscreen.html'));
    if (!offscreen) throw new Error('no offscreen document');
    const { sessionId } = (await cdp.send('Target.attachToTarget', {
      targetId: offscreen.targetId,
      flatten: false,
    })) as { sessionId: string };
    const answer = new Promise<string>((resolve) => {
      cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
        const message = JSON.parse(event.message) as { id?: number; result?: { result: { value: string } } };
        if (event.sessionId === sessionId && message.id === 1) resolve(message.result?.result.value ?? 'null');
      });
    });
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({
        id: 1,
        method: 'Runtime.evaluate',
        params: { expression: `JSON.stringify(${expression})`, returnByValue: true },
      }),
    });
    return JSON.parse(await answer) as T;
  } finally {
    await cdp.detach();
  }
}

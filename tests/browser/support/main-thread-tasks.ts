/**
 * Tasks on the main threads of web pages, from a Chromium trace (CDP `Tracing`): which of
 * them ran JavaScript, and for how long of the thread's own time (`tdur`: on a 2-core test
 * machine other processes pre-empt the page's thread, and wall time would count their work).
 * Page threads are those that parsed a document of `pageOrigins`; extension pages (marker
 * frames, the offscreen document) are not among them.
 */
import type { CDPSession } from 'playwright-core';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { url?: string }; beginData?: { url?: string } };
}

/** Events that mean JavaScript ran inside a task. */
const JS_EVENTS = new Set(['FunctionCall', 'EvaluateScript', 'RunMicrotasks', 'TimerFire', 'EventDispatch']);

export interface PageTask {
  cpuMs: number;
  wallMs: number;
  /** Some event in the task names a script of the extension. */
  ours: boolean;
}

export async function traceWhile(cdp: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const collected: TraceEvent[] = [];
  const onData = (e: { value: unknown[] }) => collected.push(...(e.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', onData);
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'v8.execute'],
      excludedCategories: ['*'],
    },
  } as never);
  try {
    await run();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', onData);
  }
  return collected;
}

/** Top-level tasks that ran JavaScript on the main thread of every page of `pageOrigins` in the trace. */
export function pageJsTasks(events: TraceEvent[], pageOrigins: string[], extensionId: string): PageTask[] {
  const threads = new Set<string>();
  for (const e of events) {
    const url = e.args?.beginData?.url ?? e.args?.data?.url ?? '';
    if (e.name === 'ParseHTML' && pageOrigins.some((o) => url.startsWith(o))) threads.add(`${e.pid}:${e.tid}`);
  }
  const out: PageTask[] = [];
  for (const key of threads) {
    const thread = events.filter((e) => `${e.pid}:${e.tid}` === key && e.ph === 'X').sort((a, b) => a.ts - b.ts);
    let i = 0;
    for (const task of thread.filter((e) => e.name === 'RunTask')) {
      const end = task.ts + (task.dur ?? 0);
      while (i < thread.length && (thread[i] as TraceEvent).ts < task.ts) i++;
      let js = false;
      let ours = false;
      for (let j = i; j < thread.length && (thread[j] as TraceEvent).ts <= end; j++) {
        const e = thread[j] as TraceEvent;
        if (JS_EVENTS.has(e.name)) js = true;
        if (e.args?.data?.url?.startsWith(`chrome-extension://${extensionId}/`)) ours = true;
      }
      if (js) out.push({ cpuMs: (task.tdur ?? task.dur ?? 0) / 1000, wallMs: (task.dur ?? 0) / 1000, ours });
    }
  }
  return out;
}

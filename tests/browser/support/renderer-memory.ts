/**
 * Resident memory of Chromium's extension renderer processes (the offscreen document, its
 * reader workers and pdf.js workers, our extension pages: one process per extension), read
 * from /proc: Linux only, 0 elsewhere. For benchmarks; tests never measure.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** MiB resident in the processes started with `--type=renderer --extension-process`. */
export function extensionRendererRss(): number {
  let total = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer') || !cmdline.includes('--extension-process')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += Number(rss?.[1] ?? 0) / 1024;
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

/** Samples every 50 ms until stopped; returns the figure at the start and the peak. */
export function watchRendererMemory(): { stop(): { start: number; peak: number } } {
  const start = extensionRendererRss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, extensionRendererRss());
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return { start, peak: Math.max(peak, extensionRendererRss()) };
    },
  };
}

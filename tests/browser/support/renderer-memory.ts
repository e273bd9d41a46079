/**
 * Resident memory of Chromium's extension renderer processes (the offscreen document, its
 * reader workers and pdf.js workers, our extension pages: one process per extension), read
 * from /proc: Linux only, 0 elsewhere. For benchmarks; tests never measure.
 *
 * Only processes started by this Node process count (the browser it launched, its zygote,
 * their renderers): the machine is shared, and other runs' browsers have extension processes
 * too; counting them made a bench's "before" figure hold 650-700 MiB of other people's tabs.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface RendererProcess {
  pid: number;
  /** Resident memory, MiB. */
  rssMiB: number;
  /** Proportional set size (shared pages split between the processes sharing them), MiB; 0 when unreadable. */
  pssMiB: number;
}

/** Parent of each process (field 4 of /proc/<pid>/stat; the name in field 2 may hold spaces and parentheses). */
function parents(pids: string[]): Map<number, number> {
  const parent = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(pid), ppid);
    } catch {
      // Gone.
    }
  }
  return parent;
}

function descendsFrom(pid: number, root: number, parent: Map<number, number>): boolean {
  for (let p = parent.get(pid), hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) {
    if (p === root) return true;
  }
  return false;
}

/** This Node process's extension renderers (`--type=renderer --extension-process`), with their memory. */
export function extensionRendererProcesses(): RendererProcess[] {
  const found: RendererProcess[] = [];
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid));
  } catch {
    return found;
  }
  const parent = parents(pids);
  for (const pid of pids) {
    if (!descendsFrom(Number(pid), process.pid, parent)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer') || !cmdline.includes('--extension-process')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      let pss = 0;
      try {
        pss = Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      } catch {
        // smaps_rollup needs a newer kernel or the same user: the resident figure still stands.
      }
      found.push({ pid: Number(pid), rssMiB: Number(rss?.[1] ?? 0) / 1024, pssMiB: pss / 1024 });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** MiB resident in the processes started with `--type=renderer --extension-process`. */
export function extensionRendererRss(): number {
  return extensionRendererProcesses().reduce((n, p) => n + p.rssMiB, 0);
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

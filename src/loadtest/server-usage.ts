// CPU and memory of a local server, from /proc (Linux): CPU seconds from utime+stime in
// /proc/<pid>/stat, resident memory from VmRSS in /proc/<pid>/status. A server with worker
// processes (serve --workers) is measured as its whole process tree: the primary and every
// descendant, including workers that started (or were replaced) during the run.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ProcSample {
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

/** Parses the two files' text; undefined when they do not look like /proc. Pure. */
export function parseProc(stat: string, status: string): ProcSample | undefined {
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || !rss) return undefined;
  return { cpuSeconds: (utime + stime) / TICKS_PER_SECOND, rssBytes: Number(rss[1]) * 1024 };
}

/** The parent pid in a /proc/<pid>/stat text; pure. */
export function parsePpid(stat: string): number | undefined {
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** `root` and its descendants now alive (one scan of /proc). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [root];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = parsePpid(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (ppid === undefined) continue;
      const siblings = children.get(ppid);
      if (siblings) siblings.push(Number(name));
      else children.set(ppid, [Number(name)]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    return parseProc(readFileSync(`/proc/${pid}/stat`, 'utf8'), readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Follows a process tree during a run: CPU used between start and end, peak and baseline RSS. */
export class UsageWatch {
  readonly #root: number;
  /** Per process: CPU seconds when first seen (0 for one born during the run) and last seen. */
  readonly #cpu = new Map<number, { first: number; last: number }>();
  #baselineRss = 0;
  #peakRss = 0;
  #processes = 0;
  #started = false;
  #timer: NodeJS.Timeout;

  constructor(pid: number, intervalMs = 1000) {
    this.#root = pid;
    this.#baselineRss = this.#sample() ?? 0;
    this.#started = true;
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  /** Samples the tree; returns its total RSS, or undefined when the root is gone. */
  #sample(): number | undefined {
    let rss = 0;
    let alive = false;
    const tree = processTree(this.#root);
    for (const pid of tree) {
      const s = sampleProcess(pid);
      if (!s) continue;
      if (pid === this.#root) alive = true;
      rss += s.rssBytes;
      const seen = this.#cpu.get(pid);
      if (seen) seen.last = s.cpuSeconds;
      else this.#cpu.set(pid, { first: this.#started ? 0 : s.cpuSeconds, last: s.cpuSeconds });
    }
    if (!alive) return undefined;
    this.#processes = Math.max(this.#processes, tree.length);
    this.#peakRss = Math.max(this.#peakRss, rss);
    return rss;
  }

  /** Stops watching; undefined when the process could not be read. */
  finish(): { cpuSeconds: number; baselineRssBytes: number; peakRssBytes: number; processes: number } | undefined {
    clearInterval(this.#timer);
    if (this.#sample() === undefined || !this.#cpu.has(this.#root)) return undefined;
    let cpuSeconds = 0;
    for (const { first, last } of this.#cpu.values()) cpuSeconds += last - first;
    return { cpuSeconds, baselineRssBytes: this.#baselineRss, peakRssBytes: this.#peakRss, processes: this.#processes };
  }
}

// CPU and memory of a local server process, from /proc (Linux): CPU seconds from utime+stime in
// /proc/<pid>/stat, resident memory from VmRSS in /proc/<pid>/status.
import { readFileSync } from 'node:fs';

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

export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    return parseProc(readFileSync(`/proc/${pid}/stat`, 'utf8'), readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Follows a process during a run: CPU used between start and end, peak and baseline RSS. */
export class UsageWatch {
  readonly #pid: number;
  readonly #start: ProcSample | undefined;
  #peakRss = 0;
  #timer: NodeJS.Timeout;

  constructor(pid: number, intervalMs = 1000) {
    this.#pid = pid;
    this.#start = sampleProcess(pid);
    this.#peakRss = this.#start?.rssBytes ?? 0;
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  #sample(): ProcSample | undefined {
    const s = sampleProcess(this.#pid);
    if (s) this.#peakRss = Math.max(this.#peakRss, s.rssBytes);
    return s;
  }

  /** Stops watching; undefined when the process could not be read. */
  finish(): { cpuSeconds: number; baselineRssBytes: number; peakRssBytes: number } | undefined {
    clearInterval(this.#timer);
    const end = this.#sample();
    if (!this.#start || !end) return undefined;
    return { cpuSeconds: end.cpuSeconds - this.#start.cpuSeconds, baselineRssBytes: this.#start.rssBytes, peakRssBytes: this.#peakRss };
  }
}

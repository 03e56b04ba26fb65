// The load test: starts N calls against one server, R per second, mixing fixtures round-robin,
// each a real-time scripted caller; stops by itself at the duration cap or when every call has
// ended (each call also has its own timeout). Returns the report; printing is the CLI's job.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LoadedFixture } from '../replay/load-fixture.js';
import { startLoadCall, type CallControl, type CallMeasure, type CallTarget } from './load-call.js';
import { UsageWatch } from './server-usage.js';
import { summarize, tally, type Summary } from './stats.js';

export interface LoadtestOptions {
  readonly target: CallTarget;
  readonly calls: number;
  /** Calls started per second. */
  readonly rate: number;
  /** Hard cap on the whole run; calls still running then are stopped and count as failed. */
  readonly durationSeconds: number;
  readonly callTimeoutSeconds: number;
  readonly fixtures: readonly LoadedFixture[];
  readonly serverPid?: number;
  /** Caller audio per message, ms (20-200, multiple of 20); default 20. */
  readonly frameMs?: number;
  readonly onProgress?: (progress: Progress) => void;
}

export interface Progress {
  readonly elapsedSeconds: number;
  readonly started: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
}

export interface LoadtestReport {
  readonly target: string;
  readonly calls: number;
  readonly rate: number;
  readonly wallSeconds: number;
  readonly peakConcurrent: number;
  readonly completed: number;
  readonly failed: number;
  readonly failures: Record<string, number>;
  readonly outcomes: Record<string, number>;
  /** Client protocol complaints after the call's disconnect (calls still counted completed). */
  readonly lateViolations: Record<string, number>;
  /** Caller-side timelines of the first few failed calls. */
  readonly failedTraces: Array<{ readonly failure: string; readonly trace: string }>;
  readonly fixtures: Record<string, number>;
  /** Last key of an entry to the first audio of the bot's answer, ms. */
  readonly digitToResponseMs: Summary;
  readonly openToOpenedMs: Summary;
  readonly outboundAudio: { readonly underruns: number; readonly gapMs: Summary; readonly leadMs: Summary };
  readonly server?: {
    readonly pid: number;
    /** Processes in the server's tree at most (the primary and its workers). */
    readonly processes: number;
    readonly cpuSeconds: number;
    readonly cpuPercentOfOneCore: number;
    readonly cpuMsPerCallSecond: number;
    readonly baselineRssMB: number;
    readonly peakRssMB: number;
    readonly rssPerConcurrentCallKB: number;
  };
  /** The load generator itself: if it is saturated, the latencies above are its own lag. */
  readonly generator: { readonly cpuPercentOfOneCore: number; readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number } };
  readonly node: string;
}

export async function runLoadtest(options: LoadtestOptions): Promise<LoadtestReport> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const watch = options.serverPid === undefined ? undefined : new UsageWatch(options.serverPid);
  const controls = new Set<CallControl>();
  const measures: CallMeasure[] = [];
  const running: Array<Promise<void>> = [];
  let active = 0;
  let peak = 0;
  let capped = false;
  const progress = () =>
    options.onProgress?.({
      elapsedSeconds: (performance.now() - t0) / 1000,
      started: running.length,
      active,
      completed: measures.filter((m) => m.ok).length,
      failed: measures.filter((m) => !m.ok).length,
    });
  const ticker = setInterval(progress, 500);
  const cap = setTimeout(() => {
    capped = true;
    for (const c of controls) c.stop();
  }, options.durationSeconds * 1000);
  const callSeconds = { total: 0 };

  for (let i = 0; i < options.calls && !capped; i++) {
    const due = t0 + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (capped) break;
    const fixture = options.fixtures[i % options.fixtures.length]!;
    let control: CallControl | undefined;
    active++;
    peak = Math.max(peak, active);
    const startedAt = performance.now();
    running.push(
      startLoadCall(fixture, options.target, options.callTimeoutSeconds * 1000, options.frameMs ?? 20, (c) => {
        control = c;
        controls.add(c);
        if (capped) c.stop();
      }).then((m) => {
        active--;
        if (control) controls.delete(control);
        callSeconds.total += (performance.now() - startedAt) / 1000;
        measures.push(m);
      }),
    );
  }
  await Promise.all(running);
  clearTimeout(cap);
  clearInterval(ticker);
  progress();
  const wallSeconds = (performance.now() - t0) / 1000;
  const usage = watch?.finish();
  loopDelay.disable();
  const cpu = process.cpuUsage(cpu0);
  // The histogram holds whole sampling intervals; the lag is what exceeds the 10 ms resolution.
  const ms = (ns: number) => Math.max(0, Math.round(ns / 1e5 - 100) / 10);
  const failedMeasures = measures.filter((m) => !m.ok);
  const gaps = measures.flatMap((m) => m.gapsMs);
  return {
    target: options.target.url,
    calls: measures.length,
    rate: options.rate,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    peakConcurrent: peak,
    completed: measures.length - failedMeasures.length,
    failed: failedMeasures.length,
    failures: tally(failedMeasures.map((m) => (m.detail ? `${m.failure}:${m.detail}` : m.failure!))),
    outcomes: tally(measures.map((m) => m.result ?? '(none)')),
    failedTraces: failedMeasures.slice(0, 3).flatMap((m) => (m.trace ? [{ failure: `${m.failure}${m.detail ? `:${m.detail}` : ''}`, trace: m.trace }] : [])),
    lateViolations: tally(measures.flatMap((m) => (m.lateViolation ? [m.lateViolation] : []))),
    fixtures: tally(measures.map((m) => m.fixture)),
    digitToResponseMs: summarize(measures.flatMap((m) => m.responseMs)),
    openToOpenedMs: summarize(measures.flatMap((m) => (m.openMs === undefined ? [] : [m.openMs]))),
    outboundAudio: { underruns: gaps.length, gapMs: summarize(gaps), leadMs: summarize(measures.flatMap((m) => m.leadMs)) },
    ...(usage && options.serverPid !== undefined
      ? {
          server: {
            pid: options.serverPid,
            processes: usage.processes,
            cpuSeconds: Math.round(usage.cpuSeconds * 100) / 100,
            cpuPercentOfOneCore: Math.round((usage.cpuSeconds / wallSeconds) * 1000) / 10,
            // CPU time per second of call held: comparable across call lengths.
            cpuMsPerCallSecond: callSeconds.total > 0 ? Math.round((usage.cpuSeconds * 1000 * 100) / callSeconds.total) / 100 : 0,
            baselineRssMB: Math.round(usage.baselineRssBytes / 1048576),
            peakRssMB: Math.round(usage.peakRssBytes / 1048576),
            rssPerConcurrentCallKB: peak > 0 ? Math.round((usage.peakRssBytes - usage.baselineRssBytes) / 1024 / peak) : 0,
          },
        }
      : {}),
    generator: {
      cpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1e6 / wallSeconds) * 1000) / 10,
      eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    },
    node: process.version,
  };
}

/** The summary table for humans. Pure. */
export function formatLoadtest(r: LoadtestReport): string {
  const row = (k: string, v: string | number) => `  ${k.padEnd(30)} ${v}`;
  const lat = (s: Summary) => `p50 ${s.p50}  p95 ${s.p95}  p99 ${s.p99}  max ${s.max}  (n=${s.count})`;
  const lines = [
    `load test against ${r.target}`,
    row('calls (completed / failed)', `${r.calls} (${r.completed} / ${r.failed})`),
    row('rate, peak concurrent', `${r.rate}/s, ${r.peakConcurrent}`),
    row('wall time', `${r.wallSeconds} s`),
    row('failures', Object.entries(r.failures).map(([k, v]) => `${k}=${v}`).join(' ') || 'none'),
    row('outcomes', Object.entries(r.outcomes).map(([k, v]) => `${k}=${v}`).join(' ')),
    row('client complaints after disconnect', Object.entries(r.lateViolations).map(([k, v]) => `${k}=${v}`).join(' ') || 'none'),
    row('digit to response, ms', lat(r.digitToResponseMs)),
    row('open to opened, ms', lat(r.openToOpenedMs)),
    row('outbound audio underruns', `${r.outboundAudio.underruns}${r.outboundAudio.underruns ? `  gap ${lat(r.outboundAudio.gapMs)}` : ''}`),
    row('outbound audio lead, ms', lat(r.outboundAudio.leadMs)),
  ];
  const g = r.generator;
  lines.push(row('load generator', `${g.cpuPercentOfOneCore}% of one core, event loop delay p50 ${g.eventLoopDelayMs.p50} p99 ${g.eventLoopDelayMs.p99} max ${g.eventLoopDelayMs.max} ms`));
  if (r.server) {
    const s = r.server;
    lines.push(
      row('server CPU', `${s.cpuSeconds} s (${s.cpuPercentOfOneCore}% of one core${s.processes > 1 ? `, ${s.processes} processes` : ''}), ${s.cpuMsPerCallSecond} ms per call-second`),
      row('server RSS', `${s.baselineRssMB} MB -> peak ${s.peakRssMB} MB, ${s.rssPerConcurrentCallKB} KB per concurrent call`),
    );
  }
  return lines.join('\n');
}

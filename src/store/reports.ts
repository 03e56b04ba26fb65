// Report aggregates (per hour or day, per connector) computed from compact session rows. The
// aggregation is pure and shared by both stores, so SQLite and PostgreSQL report identically;
// the stores only select the rows of the window.
import type { DeclineReason, DurationStats, ReportBucket, ReportRow, ResultKind, Segment, SegmentKind } from './types.js';

/** What a report needs of one session. */
export interface ReportInput {
  connectorId: string;
  startedAt: number;
  endedAt?: number;
  result?: ResultKind;
  nextAction?: string;
  segments: readonly Segment[];
  declineReasons: readonly DeclineReason[];
}

const BUCKET_MS: Record<ReportBucket, number> = { hour: 3_600_000, day: 86_400_000 };

/** Start of the UTC hour or day holding `t`. Pure. */
export function bucketStart(t: number, bucket: ReportBucket): number {
  const size = BUCKET_MS[bucket];
  return Math.floor(t / size) * size;
}

/** Count, mean and nearest-rank 95th percentile; undefined for no samples. Pure. */
export function durationStats(samples: readonly number[]): DurationStats | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    avgMs: Math.round(sum / sorted.length),
    p95Ms: sorted[Math.ceil(0.95 * sorted.length) - 1]!,
  };
}

/** Time spent in each segment kind, over the segments that ended. */
function segmentTotals(segments: readonly Segment[]): Map<SegmentKind, number> {
  const totals = new Map<SegmentKind, number>();
  for (const s of segments) {
    if (s.endedAt === undefined) continue;
    totals.set(s.kind, (totals.get(s.kind) ?? 0) + Math.max(0, s.endedAt - s.startedAt));
  }
  return totals;
}

interface Acc {
  row: ReportRow;
  durations: Map<'session' | SegmentKind, number[]>;
}

/** Groups sessions by (bucket, connector) and aggregates each group; rows sorted by both. Pure. */
export function aggregateReport(inputs: Iterable<ReportInput>, bucket: ReportBucket): ReportRow[] {
  const groups = new Map<string, Acc>();
  for (const s of inputs) {
    const start = bucketStart(s.startedAt, bucket);
    const key = `${start}\u0000${s.connectorId}`;
    let acc = groups.get(key);
    if (!acc) {
      acc = {
        row: {
          bucketStart: start, connectorId: s.connectorId, sessions: 0, approved: 0, declinesByReason: {}, results: {},
          abandoned: 0, unfinished: 0, transfers: { queue: 0, agent: 0 }, durations: {},
        },
        durations: new Map(),
      };
      groups.set(key, acc);
    }
    const row = acc.row;
    row.sessions++;
    for (const reason of s.declineReasons) row.declinesByReason[reason] = (row.declinesByReason[reason] ?? 0) + 1;
    if (s.result === undefined) {
      row.unfinished++;
    } else {
      row.results[s.result] = (row.results[s.result] ?? 0) + 1;
      if (s.result === 'approved') row.approved++;
      if (s.result === 'hung_up') row.abandoned++;
      if (s.nextAction === 'queue') row.transfers.queue++;
      if (s.nextAction === 'agent') row.transfers.agent++;
    }
    const push = (k: 'session' | SegmentKind, ms: number) => {
      const list = acc.durations.get(k) ?? [];
      list.push(ms);
      acc.durations.set(k, list);
    };
    if (s.endedAt !== undefined) push('session', Math.max(0, s.endedAt - s.startedAt));
    for (const [kind, ms] of segmentTotals(s.segments)) push(kind, ms);
  }
  const rows = [...groups.values()].map(({ row, durations }) => {
    for (const [k, samples] of durations) {
      const stats = durationStats(samples);
      if (stats) row.durations[k] = stats;
    }
    return row;
  });
  return rows.sort((a, b) => a.bucketStart - b.bucketStart || (a.connectorId < b.connectorId ? -1 : a.connectorId > b.connectorId ? 1 : 0));
}

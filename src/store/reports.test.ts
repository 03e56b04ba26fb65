import { describe, expect, it } from 'vitest';
import { aggregateReport, bucketStart, durationStats, type ReportInput } from './reports.js';

const DAY0 = Date.UTC(2026, 10, 26);
const H = 3_600_000;

describe('bucketStart', () => {
  it('floors to the UTC hour or day', () => {
    expect(bucketStart(DAY0 + 5 * H + 59 * 60_000, 'hour')).toBe(DAY0 + 5 * H);
    expect(bucketStart(DAY0 + 23 * H + 1, 'day')).toBe(DAY0);
    expect(bucketStart(DAY0 + 24 * H, 'day')).toBe(DAY0 + 24 * H);
  });
});

describe('durationStats', () => {
  it('gives the mean and the nearest-rank 95th percentile', () => {
    const samples = Array.from({ length: 100 }, (_, i) => (i + 1) * 10); // 10..1000
    expect(durationStats(samples)).toEqual({ count: 100, avgMs: 505, p95Ms: 950 });
    expect(durationStats([7])).toEqual({ count: 1, avgMs: 7, p95Ms: 7 });
    expect(durationStats([3, 1, 2])).toEqual({ count: 3, avgMs: 2, p95Ms: 3 });
    expect(durationStats([])).toBeUndefined();
  });
});

describe('aggregateReport', () => {
  const session = (over: Partial<ReportInput>): ReportInput => ({ connectorId: 'pay', startedAt: DAY0, segments: [], declineReasons: [], ...over });

  it('sums the segments of one kind within a session before taking statistics', () => {
    const [row] = aggregateReport(
      [
        session({
          endedAt: DAY0 + 10_000, result: 'approved', nextAction: 'continue',
          segments: [
            { kind: 'gateway', startedAt: DAY0 + 1000, endedAt: DAY0 + 1500 },
            { kind: 'gateway', startedAt: DAY0 + 3000, endedAt: DAY0 + 4500 },
            { kind: 'secure_capture', startedAt: DAY0 + 5000 }, // never ended: not counted
          ],
        }),
      ],
      'day',
    );
    expect(row!.durations).toEqual({ session: { count: 1, avgMs: 10_000, p95Ms: 10_000 }, gateway: { count: 1, avgMs: 2000, p95Ms: 2000 } });
  });

  it('counts unfinished sessions without an outcome or a session duration', () => {
    const [row] = aggregateReport([session({}), session({ result: 'hung_up', nextAction: 'queue', endedAt: DAY0 + 1 })], 'hour');
    expect(row).toMatchObject({ sessions: 2, unfinished: 1, abandoned: 1, results: { hung_up: 1 }, transfers: { queue: 1, agent: 0 } });
    expect(row!.durations.session?.count).toBe(1);
  });

  it('sorts rows by bucket, then connector, and counts every decline by reason', () => {
    const rows = aggregateReport(
      [
        session({ connectorId: 'b', startedAt: DAY0 + H, declineReasons: ['generic', 'generic', 'expired_card'] }),
        session({ connectorId: 'b', startedAt: DAY0 }),
        session({ connectorId: 'a', startedAt: DAY0 + 30 * 60_000 }),
      ],
      'hour',
    );
    expect(rows.map((r) => [r.bucketStart - DAY0, r.connectorId])).toEqual([[0, 'a'], [0, 'b'], [H, 'b']]);
    expect(rows[2]!.declinesByReason).toEqual({ generic: 2, expired_card: 1 });
  });
});

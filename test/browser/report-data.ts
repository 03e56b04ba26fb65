// Generated payment sessions for the reports page test: a fixed, varied 12-hour day on two
// connectors, written through the store API, with the figures the charts must show computed
// here from the generator (not from the store), so the test checks the whole path.
import type { SessionStore } from '../../src/store/session-store.js';
import type { DeclineReason, NextAction, ResultKind } from '../../src/store/types.js';

export const REPORT_FROM = Date.UTC(2026, 10, 25, 6);
export const REPORT_HOURS = 12;
export const REPORT_TO = REPORT_FROM + REPORT_HOURS * 3_600_000;

const RESULTS: Array<ResultKind | undefined> = ['approved', 'approved', 'declined', 'hung_up', 'approved', 'too_many_attempts', 'approved', 'cancelled', undefined];
const NEXT: Record<ResultKind, NextAction> = {
  approved: 'continue', declined: 'queue', hung_up: 'continue', too_many_attempts: 'agent', cancelled: 'queue',
  not_identified: 'queue', gateway_error: 'queue', invalid_request: 'queue',
};
const REASONS: DeclineReason[] = ['insufficient_funds', 'generic', 'expired_card', 'insufficient_funds'];

export interface GeneratedSession {
  hour: number;
  connectorId: string;
  startedAt: number;
  endedAt?: number;
  result?: ResultKind;
  nextAction?: NextAction;
  declines: DeclineReason[];
}

export function generateSessions(): GeneratedSession[] {
  const out: GeneratedSession[] = [];
  let n = 0;
  for (let hour = 0; hour < REPORT_HOURS; hour++) {
    const perConnector: Array<[string, number]> = [['payments', 2 + ((hour * 7) % 5)], ['donations', hour % 2 === 0 ? 1 + (hour % 3) : 0]];
    for (const [connectorId, count] of perConnector) {
      for (let j = 0; j < count; j++, n++) {
        const startedAt = REPORT_FROM + hour * 3_600_000 + j * 240_000 + 5_000;
        const result = RESULTS[n % RESULTS.length];
        const declines: DeclineReason[] = [];
        if (result === 'declined') declines.push(REASONS[n % REASONS.length]!, REASONS[(n + 1) % REASONS.length]!);
        else if (result === 'approved' && n % 4 === 0) declines.push(REASONS[n % REASONS.length]!);
        const s: GeneratedSession = { hour, connectorId, startedAt, declines };
        if (result) {
          s.result = result;
          s.nextAction = NEXT[result];
          s.endedAt = startedAt + 60_000 + ((n * 13_000) % 120_000);
        }
        out.push(s);
      }
    }
  }
  return out;
}

/** Writes the sessions through the store's API, segments and declines included. */
export async function fillStore(store: SessionStore, sessions: readonly GeneratedSession[]): Promise<void> {
  let i = 0;
  for (const s of sessions) {
    const id = `gen-${String(++i).padStart(4, '0')}`;
    await store.startSession({ sessionId: id, conversationId: `conv-${id}`, organizationId: 'org-test', connectorId: s.connectorId, mode: 'automated', startedAt: s.startedAt });
    await store.startSegment(id, 'ivr', s.startedAt);
    await store.endSegment(id, 'ivr', s.startedAt + 15_000);
    await store.startSegment(id, 'secure_capture', s.startedAt + 15_000);
    if (!s.endedAt) continue; // unfinished: still in card capture when the report runs
    await store.endSegment(id, 'secure_capture', s.startedAt + 45_000 + (i % 7) * 5_000);
    let attempt = 0;
    for (const reason of s.declines) {
      attempt++;
      await store.recordCharge(id, { attempt, idempotencyKey: `${id}-${attempt}`, at: s.startedAt + 50_000 });
      await store.recordDecline(id, { attempt, reason, at: s.startedAt + 52_000 });
    }
    if (s.result === 'approved') {
      await store.startSegment(id, 'gateway', s.endedAt - 8_000);
      await store.endSegment(id, 'gateway', s.endedAt - 8_000 + 1_500 + (i % 5) * 400);
    }
    await store.finishSession(id, { result: s.result!, nextAction: s.nextAction!, failureReason: s.result === 'approved' ? '' : 'test', endedAt: s.endedAt });
  }
}

export interface Expected {
  sessions: number;
  perHour: Array<{ approved: number; declined: number; abandoned: number; failed: number; unfinished: number; sessionAvgMs?: number; single: boolean }>;
  declinesByReason: Record<string, number>;
  transfers: { queue: number; agent: number };
}

export function expectedFigures(sessions: readonly GeneratedSession[]): Expected {
  const perHour = Array.from({ length: REPORT_HOURS }, () => ({ approved: 0, declined: 0, abandoned: 0, failed: 0, unfinished: 0, durations: [] as number[], connectors: new Set<string>() }));
  const declinesByReason: Record<string, number> = {};
  const transfers = { queue: 0, agent: 0 };
  for (const s of sessions) {
    const h = perHour[s.hour]!;
    h.connectors.add(s.connectorId);
    if (!s.result) h.unfinished++;
    else if (s.result === 'approved') h.approved++;
    else if (s.result === 'declined') h.declined++;
    else if (s.result === 'hung_up') h.abandoned++;
    else h.failed++;
    if (s.endedAt) h.durations.push(s.endedAt - s.startedAt);
    for (const r of s.declines) declinesByReason[r] = (declinesByReason[r] ?? 0) + 1;
    if (s.nextAction === 'queue') transfers.queue++;
    if (s.nextAction === 'agent') transfers.agent++;
  }
  return {
    sessions: sessions.length,
    perHour: perHour.map(({ durations, connectors, ...counts }) => ({
      ...counts,
      single: connectors.size === 1,
      ...(durations.length > 0 ? { sessionAvgMs: Math.round(durations.reduce((a, b) => a + b, 0) / durations.length) } : {}),
    })),
    declinesByReason,
    transfers,
  };
}

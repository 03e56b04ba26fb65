// After a crash or a kill, some sessions of this instance are left open in the store. At start
// they are closed with what really happened: a session whose last charge went out is settled by
// asking the gateway about its idempotency key, so an approved payment is never recorded as lost
// and a payment that never reached the gateway is never recorded as taken.
import type { Logger } from '../core/log.js';
import type { ResultKind } from '../payment/dialog/types.js';
import type { SessionStore } from '../store/session-store.js';
import type { ConnectorSetup } from './connectors.js';

export interface ReconcileReport {
  sessionId: string;
  result: ResultKind;
  failureReason: string;
}

export async function reconcileInterrupted(
  store: SessionStore,
  connectors: ReadonlyMap<string, ConnectorSetup>,
  logger: Logger,
  /** Whose sessions to close: this store's instance by default; a cluster primary passes its workers' too. */
  owns: (instanceId: string) => boolean = (id) => id === store.instanceId,
): Promise<ReconcileReport[]> {
  const reports: ReconcileReport[] = [];
  const open = await store.listSessions({ unfinished: true, limit: 10_000 });
  for (const s of open) {
    // With a shared database, another live instance may own the session.
    if (!owns(s.instanceId)) continue;
    let result: ResultKind = 'hung_up';
    let failureReason = 'interrupted';
    let transactionRef: string | undefined;
    const last = s.charges.at(-1);
    if (last) {
      const gateway = connectors.get(s.connectorId)?.gateway;
      const found = gateway ? await gateway.lookup(last.idempotencyKey) : { status: 'unknown' as const };
      if (found.status === 'found' && found.result.status === 'approved') {
        result = 'approved';
        transactionRef = found.result.transactionRef;
      } else if (found.status === 'found' && found.result.status === 'declined') {
        result = 'declined';
        failureReason = found.result.reason;
      } else if (found.status !== 'not_found') {
        result = 'gateway_error';
        failureReason = 'gateway_outcome_unknown';
      }
    }
    try {
      await store.finishSession(s.sessionId, {
        result,
        // The caller is gone: nothing reached the flow, which routes on its own failure path.
        nextAction: 'continue',
        failureReason: result === 'approved' ? '' : failureReason,
        disconnectReason: 'interrupted',
        ...(transactionRef ? { transactionRef } : {}),
      });
      await store.appendAudit({
        type: 'session.reconciled',
        actor: { type: 'component', id: 'reconciler' },
        success: true,
        resource: { type: 'session', id: s.sessionId },
        detail: { result },
      });
      reports.push({ sessionId: s.sessionId, result, failureReason });
      logger.warn({ sessionId: s.sessionId, result }, 'interrupted session reconciled');
    } catch (err) {
      const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'unknown';
      logger.error({ code: 'ERR_CALL_RECORD_WRITE', sessionId: s.sessionId, cause: code }, 'could not reconcile an interrupted session');
    }
  }
  return reports;
}

// Keeps the durable, card-free record of one payment call in the store: started, segments,
// each charge attempt (written BEFORE the gateway is asked, so a crash mid-charge can be
// reconciled by idempotency key), declines, and the outcome (written BEFORE the session reports
// it to Genesys). Store failures are logged with a code and never break the call.
import { createHash } from 'node:crypto';
import type { Logger } from '../core/log.js';
import type { Outcome } from '../payment/dialog/types.js';
import type { ChargeOptions, ChargeRequest, ChargeResult, GatewayClient } from '../payment/gateway/types.js';
import type { CallContext as PaymentContext } from '../payment/input-variables.js';
import type { SessionStore } from '../store/session-store.js';
import type { AttemptField, SegmentKind } from '../store/types.js';

export interface CallRecordIds {
  sessionId: string;
  organizationId: string;
  connectorId: string;
  apiKey?: string;
}

const ATTEMPT_OUTPUTS: ReadonlyArray<[string, AttemptField]> = [
  ['PAYHOOK_ATTEMPTS_AMOUNT', 'amount'],
  ['PAYHOOK_ATTEMPTS_CARD_NUMBER', 'cardNumber'],
  ['PAYHOOK_ATTEMPTS_EXPIRY', 'expiry'],
  ['PAYHOOK_ATTEMPTS_SECURITY_CODE', 'securityCode'],
];

export class CallRecord {
  readonly #store: SessionStore;
  readonly #ids: CallRecordIds;
  readonly #log: Logger;
  /** Writes of one call happen in order; each link swallows (and logs) its own failure. */
  #chain: Promise<unknown> = Promise.resolve();
  #started = false;
  #attempt = 0;

  constructor(store: SessionStore, ids: CallRecordIds, logger: Logger) {
    this.#store = store;
    this.#ids = ids;
    this.#log = logger;
  }

  start(context: PaymentContext): void {
    this.#started = true;
    const amountMinor = context.amount.kind === 'keyed' ? undefined : context.amount.minor;
    this.#enqueue('start', async () => {
      await this.#store.startSession({
        sessionId: this.#ids.sessionId,
        conversationId: context.conversationId,
        organizationId: this.#ids.organizationId,
        connectorId: this.#ids.connectorId,
        mode: context.mode,
        currency: context.currency,
        ...(amountMinor === undefined ? {} : { amountMinor }),
        ...(this.#ids.apiKey ? { actor: { type: 'api_key' as const, id: keyId(this.#ids.apiKey) } } : {}),
      });
      await this.#store.startSegment(this.#ids.sessionId, 'ivr');
    });
  }

  segment(kind: SegmentKind, open: boolean): void {
    if (!this.#started) return;
    this.#enqueue(`segment ${kind}`, () =>
      open ? this.#store.startSegment(this.#ids.sessionId, kind) : this.#store.endSegment(this.#ids.sessionId, kind),
    );
  }

  /** Wraps the connector's gateway so every charge is recorded first and its answer after. */
  gateway(inner: GatewayClient): GatewayClient {
    return {
      charge: async (request: ChargeRequest, options: ChargeOptions): Promise<ChargeResult> => {
        const attempt = ++this.#attempt;
        const id = this.#ids.sessionId;
        const recorded = await this.#enqueue('charge', async () => {
          await this.#store.updateSession(id, { brand: request.brand, last4: request.last4, amountMinor: request.amountMinor, currency: request.currency });
          await this.#store.recordCharge(id, { attempt, idempotencyKey: options.idempotencyKey });
          await this.#store.startSegment(id, 'gateway');
        });
        // No durable record, no charge: a crash afterwards could not be reconciled.
        if (!recorded) return { status: 'failed', failure: 'unreachable' };
        const result = await inner.charge(request, options);
        this.#enqueue('charge answer', async () => {
          await this.#store.endSegment(id, 'gateway');
          if (result.status === 'declined') await this.#store.recordDecline(id, { attempt, reason: result.reason });
          if (result.status === 'approved') await this.#store.updateSession(id, { transactionRef: result.transactionRef });
        });
        return result;
      },
      lookup: (key) => inner.lookup(key),
    };
  }

  /** Resolves once the outcome is durable (or its write failed and was logged). */
  finish(outcome: Outcome, outputVariables: Record<string, string>): Promise<boolean> {
    if (!this.#started) return Promise.resolve(false);
    return this.#enqueue('finish', async () => {
      const id = this.#ids.sessionId;
      for (const [name, field] of ATTEMPT_OUTPUTS) {
        const n = Number(outputVariables[name] ?? 0);
        for (let i = 0; i < n && i < 20; i++) await this.#store.recordAttempt(id, field);
      }
      await this.#store.finishSession(id, {
        result: outcome.result,
        nextAction: outcome.nextAction,
        failureReason: outcome.failureReason,
        disconnectReason: 'completed',
        ...(outcome.transactionRef ? { transactionRef: outcome.transactionRef } : {}),
      });
    });
  }

  /** Waits for every write queued so far. */
  settled(): Promise<unknown> {
    return this.#chain;
  }

  #enqueue(what: string, write: () => Promise<unknown>): Promise<boolean> {
    const next = this.#chain.then(write).then(
      () => true,
      (err: unknown) => {
        const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'unknown';
        this.#log.error({ code: 'ERR_CALL_RECORD_WRITE', write: what, cause: code }, 'call record write failed');
        return false;
      },
    );
    this.#chain = next;
    return next;
  }
}

/** A stable id for an API key in audit records that does not reveal the key. */
function keyId(apiKey: string): string {
  return `key-sha256:${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`;
}

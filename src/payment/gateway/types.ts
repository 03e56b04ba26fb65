// The one interface every gateway client implements, and the result union the dialog branches on.
import type { Brand } from '../card-rules.js';
import type { CardData } from '../card-data.js';

export interface ChargeRequest {
  amountMinor: number;
  currency: string;
  /** The caller's payment reference (invoice, account), if the flow passed one. */
  reference?: string;
  customerId?: string;
  brand: Brand;
  last4: string;
  card: CardData;
}

export interface ChargeOptions {
  /** Same key for every try of one payment attempt: the gateway charges it at most once. */
  idempotencyKey: string;
  signal?: AbortSignal;
}

export const DECLINE_REASONS = [
  'generic', 'insufficient_funds', 'expired_card', 'incorrect_cvc', 'incorrect_number', 'processing_error', 'lost_or_stolen',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export type GatewayFailure =
  /** No try reached the gateway or every try failed before it processed anything. */
  | 'unreachable'
  /** A try may have been processed and the lookup could not tell: a person must check. */
  | 'outcome_unknown'
  /** The gateway refused the request itself (4xx other than a decline, e.g. idempotency conflict). */
  | 'rejected'
  /** Credentials refused (401/403). */
  | 'misconfigured';

export type ChargeResult =
  | { status: 'approved'; transactionRef: string }
  | { status: 'declined'; reason: DeclineReason; transactionRef?: string }
  | { status: 'failed'; failure: GatewayFailure };

export type LookupResult =
  | { status: 'found'; result: ChargeResult }
  | { status: 'not_found' }
  | { status: 'unknown' };

export interface GatewayClient {
  /** Charges once per idempotency key; never throws for gateway or network faults. */
  charge(request: ChargeRequest, options: ChargeOptions): Promise<ChargeResult>;
  /** What the gateway recorded under an idempotency key (reconciliation). */
  lookup(idempotencyKey: string, options?: { signal?: AbortSignal }): Promise<LookupResult>;
}

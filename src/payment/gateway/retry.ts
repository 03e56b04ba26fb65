// The no-double-charge policy shared by every connector: retry a try that may not have been
// answered with the SAME idempotency key (bounded, exponential backoff), and before giving up
// ask the gateway what it recorded under that key.
import type { ChargeResult, LookupResult } from './types.js';

export type TryOutcome =
  /** The gateway answered with a definite result. */
  | { kind: 'answer'; result: ChargeResult }
  /** Worth another try with the same key; `mayBeInFlight` if the gateway may still process it. */
  | { kind: 'retry'; mayBeInFlight: boolean }
  /** A definite refusal (credentials, request rejected): retrying cannot help. */
  | { kind: 'stop'; failure: 'rejected' | 'misconfigured' };

export interface RetryPolicy {
  maxRetries: number;
  backoffMs: number;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Runs tries until one answers or the retries run out, then reconciles with a lookup. Never
 * reports "unreachable" when a try may still be in flight: that is "outcome_unknown".
 */
export async function chargeWithRetries(
  tryOnce: () => Promise<TryOutcome>,
  lookup: () => Promise<LookupResult>,
  policy: RetryPolicy,
  wait: Sleep = sleep,
  signal?: AbortSignal,
): Promise<ChargeResult> {
  let mayBeInFlight = false;
  for (let i = 0; i <= policy.maxRetries; i++) {
    const outcome = await tryOnce();
    if (outcome.kind === 'answer') return outcome.result;
    if (outcome.kind === 'stop') return { status: 'failed', failure: outcome.failure };
    mayBeInFlight ||= outcome.mayBeInFlight;
    if (signal?.aborted) break;
    if (i < policy.maxRetries) await wait(policy.backoffMs * 2 ** i, signal);
  }
  const found = await lookup();
  if (found.status === 'found') return found.result;
  return { status: 'failed', failure: mayBeInFlight ? 'outcome_unknown' : 'unreachable' };
}

/** How a connector classifies an HTTP status that carries no definite result. */
export function retryableStatus(status: number): boolean {
  return status === 409 || status === 429 || status >= 500;
}

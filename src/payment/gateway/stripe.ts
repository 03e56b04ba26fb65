// A Stripe-style connector: PaymentIntents created and confirmed in one form-encoded POST with
// raw card data (MOTO), an Idempotency-Key header, and reconciliation through the search API on
// metadata['payhook_key']. Works against Stripe itself (raw card data APIs must be enabled for
// the account) and against the sandbox gateway.
import { PayhookError } from '../../core/errors.js';
import type { StripeGatewayConfig } from '../config.js';
import { PAYMENT_ERRORS } from '../errors.js';
import { declineReason, STRIPE_DECLINE_CODES } from './decline-codes.js';
import { exchange, readPath, type FetchLike, type HttpOutcome } from './http.js';
import { chargeWithRetries, retryableStatus, sleep, type Sleep, type TryOutcome } from './retry.js';
import type { ChargeOptions, ChargeRequest, ChargeResult, GatewayClient, LookupResult } from './types.js';
import { isSecureGatewayUrl } from './url-policy.js';

export interface ClientDeps {
  fetch?: FetchLike;
  sleep?: Sleep;
}

function stripeResult(status: number, body: unknown): TryOutcome {
  if (status >= 200 && status < 300) {
    const s = readPath(body, 'status');
    const id = readPath(body, 'id');
    if ((s === 'succeeded' || s === 'processing') && typeof id === 'string') return { kind: 'answer', result: { status: 'approved', transactionRef: id } };
    const code = readPath(body, 'last_payment_error.decline_code') ?? readPath(body, 'last_payment_error.code');
    return { kind: 'answer', result: { status: 'declined', reason: declineReason(code, STRIPE_DECLINE_CODES) } };
  }
  if (status === 402) {
    const code = readPath(body, 'error.decline_code') ?? readPath(body, 'error.code');
    const ref = readPath(body, 'error.payment_intent.id');
    const result: ChargeResult = { status: 'declined', reason: declineReason(code, STRIPE_DECLINE_CODES) };
    if (typeof ref === 'string') result.transactionRef = ref;
    return { kind: 'answer', result };
  }
  if (status === 401 || status === 403) return { kind: 'stop', failure: 'misconfigured' };
  if (retryableStatus(status)) return { kind: 'retry', mayBeInFlight: status === 409 };
  return { kind: 'stop', failure: 'rejected' };
}

export function classify(outcome: HttpOutcome, onResponse: (status: number, body: unknown) => TryOutcome): TryOutcome {
  switch (outcome.kind) {
    case 'response':
      return onResponse(outcome.status, outcome.body);
    case 'timeout':
      return { kind: 'retry', mayBeInFlight: true };
    case 'network':
      return { kind: 'retry', mayBeInFlight: outcome.maybeSent };
    case 'aborted':
      return { kind: 'retry', mayBeInFlight: true };
  }
}

export class StripeGatewayClient implements GatewayClient {
  readonly #config: StripeGatewayConfig;
  readonly #apiKey: string;
  readonly #fetch: FetchLike;
  readonly #sleep: Sleep;

  constructor(config: StripeGatewayConfig, apiKey: string, deps: ClientDeps = {}) {
    if (!isSecureGatewayUrl(config.baseUrl)) throw new PayhookError('ERR_PAYMENT_GATEWAY_INSECURE_URL', PAYMENT_ERRORS.ERR_PAYMENT_GATEWAY_INSECURE_URL);
    this.#config = config;
    this.#apiKey = apiKey;
    this.#fetch = deps.fetch ?? fetch;
    this.#sleep = deps.sleep ?? sleep;
  }

  #url(path: string): string {
    return this.#config.baseUrl.replace(/\/+$/, '') + path;
  }

  async charge(request: ChargeRequest, options: ChargeOptions): Promise<ChargeResult> {
    const tryOnce = async (): Promise<TryOutcome> => {
      // The form is rebuilt for every try so the PAN string lives only as long as one request.
      const form = new URLSearchParams({
        amount: String(request.amountMinor),
        currency: request.currency.toLowerCase(),
        confirm: 'true',
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': request.card.pan.reveal(),
        'payment_method_options[card][moto]': 'true',
        'metadata[payhook_key]': options.idempotencyKey,
      });
      const expiry = request.card.expiry;
      if (expiry) {
        form.set('payment_method_data[card][exp_month]', String(expiry.month));
        form.set('payment_method_data[card][exp_year]', String(expiry.year));
      }
      if (request.card.securityCode) form.set('payment_method_data[card][cvc]', request.card.securityCode.reveal());
      if (request.reference) form.set('metadata[reference]', request.reference);
      if (request.customerId) form.set('metadata[customer_id]', request.customerId);
      const outcome = await exchange(
        {
          method: 'POST',
          url: this.#url('/v1/payment_intents'),
          headers: {
            authorization: `Bearer ${this.#apiKey}`,
            'content-type': 'application/x-www-form-urlencoded',
            'idempotency-key': options.idempotencyKey,
          },
          body: form.toString(),
          timeoutMs: this.#config.requestTimeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
        },
        this.#fetch,
      );
      return classify(outcome, stripeResult);
    };
    return chargeWithRetries(tryOnce, () => this.lookup(options.idempotencyKey), this.#config, this.#sleep, options.signal);
  }

  async lookup(idempotencyKey: string, options: { signal?: AbortSignal } = {}): Promise<LookupResult> {
    const query = new URLSearchParams({ query: `metadata['payhook_key']:'${idempotencyKey.replace(/'/g, '')}'` });
    for (let i = 0; i <= this.#config.maxRetries; i++) {
      const outcome = await exchange(
        {
          method: 'GET',
          url: this.#url(`/v1/payment_intents/search?${query}`),
          headers: { authorization: `Bearer ${this.#apiKey}` },
          timeoutMs: this.#config.requestTimeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
        },
        this.#fetch,
      );
      if (outcome.kind === 'response' && outcome.status === 200) {
        const data = readPath(outcome.body, 'data');
        if (!Array.isArray(data) || data.length === 0) return { status: 'not_found' };
        const answer = stripeResult(200, data[0]);
        return answer.kind === 'answer' ? { status: 'found', result: answer.result } : { status: 'unknown' };
      }
      if (outcome.kind === 'response' && !retryableStatus(outcome.status)) return { status: 'unknown' };
      if (i < this.#config.maxRetries) await this.#sleep(this.#config.backoffMs * 2 ** i, options.signal);
    }
    return { status: 'unknown' };
  }
}

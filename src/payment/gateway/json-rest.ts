// A generic JSON REST connector: the URL, credential header, request field paths and response
// mapping all come from configuration, so most gateways with a JSON charge endpoint and a
// lookup-by-idempotency-key endpoint fit without code.
import { PayhookError } from '../../core/errors.js';
import type { JsonGatewayConfig } from '../config.js';
import { PAYMENT_ERRORS } from '../errors.js';
import { CURRENCY_MINOR_UNITS, formatMinor } from '../money.js';
import { declineReason } from './decline-codes.js';
import { exchange, readPath, writePath, type FetchLike } from './http.js';
import { chargeWithRetries, retryableStatus, sleep, type Sleep, type TryOutcome } from './retry.js';
import { classify, type ClientDeps } from './stripe.js';
import type { ChargeOptions, ChargeRequest, ChargeResult, GatewayClient, LookupResult } from './types.js';
import { isSecureGatewayUrl } from './url-policy.js';

export class JsonGatewayClient implements GatewayClient {
  readonly #config: JsonGatewayConfig;
  readonly #apiKey: string | undefined;
  readonly #fetch: FetchLike;
  readonly #sleep: Sleep;

  constructor(config: JsonGatewayConfig, apiKey: string | undefined, deps: ClientDeps = {}) {
    for (const url of [config.chargeUrl, config.lookupUrl]) {
      if (!isSecureGatewayUrl(url)) throw new PayhookError('ERR_PAYMENT_GATEWAY_INSECURE_URL', PAYMENT_ERRORS.ERR_PAYMENT_GATEWAY_INSECURE_URL);
    }
    this.#config = config;
    this.#apiKey = apiKey;
    this.#fetch = deps.fetch ?? fetch;
    this.#sleep = deps.sleep ?? sleep;
  }

  #headers(): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json' };
    if (this.#apiKey !== undefined) h[this.#config.authHeader.toLowerCase()] = this.#config.authScheme ? `${this.#config.authScheme} ${this.#apiKey}` : this.#apiKey;
    return h;
  }

  /** Maps an answer body to a result; undefined when its status is neither approved nor declined. */
  #result(body: unknown): ChargeResult | undefined {
    const r = this.#config.response;
    const status = readPath(body, r.status);
    const ref = readPath(body, r.transactionRef);
    if (typeof status !== 'string') return undefined;
    if (r.approved.includes(status) && (typeof ref === 'string' || typeof ref === 'number')) return { status: 'approved', transactionRef: String(ref) };
    if (r.declined.includes(status)) {
      const result: ChargeResult = { status: 'declined', reason: declineReason(readPath(body, r.declineCode), r.declineCodes) };
      if (typeof ref === 'string') result.transactionRef = ref;
      return result;
    }
    return undefined;
  }

  #onResponse = (status: number, body: unknown): TryOutcome => {
    const result = this.#result(body);
    if (result) return { kind: 'answer', result };
    if (status === 401 || status === 403) return { kind: 'stop', failure: 'misconfigured' };
    if (retryableStatus(status)) return { kind: 'retry', mayBeInFlight: status === 409 };
    return { kind: 'stop', failure: 'rejected' };
  };

  async charge(request: ChargeRequest, options: ChargeOptions): Promise<ChargeResult> {
    const f = this.#config.fields;
    const tryOnce = async (): Promise<TryOutcome> => {
      const body: Record<string, unknown> = {};
      const units = CURRENCY_MINOR_UNITS[request.currency] ?? 2;
      writePath(body, f.amount, this.#config.amountFormat === 'minor' ? request.amountMinor : formatMinor(request.amountMinor, units));
      writePath(body, f.currency, request.currency);
      writePath(body, f.cardNumber, request.card.pan.reveal());
      const expiry = request.card.expiry;
      if (expiry) {
        writePath(body, f.expiryMonth, expiry.month);
        writePath(body, f.expiryYear, expiry.year);
      }
      if (request.card.securityCode) writePath(body, f.securityCode, request.card.securityCode.reveal());
      if (request.reference) writePath(body, f.reference, request.reference);
      if (request.customerId) writePath(body, f.customerId, request.customerId);
      const outcome = await exchange(
        {
          method: 'POST',
          url: this.#config.chargeUrl,
          headers: { ...this.#headers(), 'content-type': 'application/json', [this.#config.idempotencyHeader.toLowerCase()]: options.idempotencyKey },
          body: JSON.stringify(body),
          timeoutMs: this.#config.requestTimeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
        },
        this.#fetch,
      );
      return classify(outcome, this.#onResponse);
    };
    return chargeWithRetries(tryOnce, () => this.lookup(options.idempotencyKey), this.#config, this.#sleep, options.signal);
  }

  async lookup(idempotencyKey: string, options: { signal?: AbortSignal } = {}): Promise<LookupResult> {
    const url = this.#config.lookupUrl.replace(/\{key\}|%7Bkey%7D/, encodeURIComponent(idempotencyKey));
    for (let i = 0; i <= this.#config.maxRetries; i++) {
      const outcome = await exchange(
        { method: 'GET', url, headers: this.#headers(), timeoutMs: this.#config.requestTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) },
        this.#fetch,
      );
      if (outcome.kind === 'response') {
        if (outcome.status === 404) return { status: 'not_found' };
        const result = outcome.status === 200 ? this.#result(outcome.body) : undefined;
        if (result) return { status: 'found', result };
        if (!retryableStatus(outcome.status)) return { status: 'unknown' };
      }
      if (i < this.#config.maxRetries) await this.#sleep(this.#config.backoffMs * 2 ** i, options.signal);
    }
    return { status: 'unknown' };
  }
}

// The sandbox payment gateway: a Stripe-like form-encoded PaymentIntents API and a plain JSON
// API over one charge core, with Stripe's idempotency rules and injectable faults. It logs
// brand and last four only; the card number lives in the request object and nowhere else.
import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../../core/log.js';
import { silentLogger } from '../../core/log.js';
import { decide, FAULT_AMOUNTS, parseFault, type SimDecline, type SimFault } from './test-cards.js';

export interface GatewaySimOptions {
  port?: number;
  host?: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  logger?: Logger;
  /** Wall clock for expiry checks (epoch ms). */
  now?: () => number;
}

/** One processed charge, card-free. */
export interface SimCharge {
  id: string;
  api: 'stripe' | 'json';
  idempotencyKey: string | null;
  brand: string;
  last4: string;
  amountMinor: number;
  currency: string;
  status: 'succeeded' | 'declined';
  declineCode: SimDecline | null;
}

interface Saved {
  fingerprint: string;
  statusCode: number;
  body: unknown;
  charge: SimCharge;
}

interface ChargeParams {
  number: string;
  expMonth?: number;
  expYear?: number;
  cvc?: string;
  amountMinor: number;
  currency: string;
}

export const FAULT_HEADER = 'payhook-sim-fault';

class SimState {
  readonly charges: SimCharge[] = [];
  readonly byKey = new Map<string, Saved>();
  readonly queuedFaults: SimFault[] = [];
  readonly hanging = new Set<FastifyReply>();
  #seq = 0;

  nextId(prefix: string): string {
    return `${prefix}_${(++this.#seq).toString().padStart(6, '0')}${randomBytes(4).toString('hex')}`;
  }

  reset(): void {
    this.charges.length = 0;
    this.byKey.clear();
    this.queuedFaults.length = 0;
  }
}

// The fingerprint tells "same key, same body" from "same key, different body" without keeping
// the body; it is a hash held in memory only, never logged or listed.
function fingerprintOf(api: string, p: ChargeParams): string {
  return createHash('sha256').update(JSON.stringify([api, p.number, p.expMonth, p.expYear, p.cvc, p.amountMinor, p.currency])).digest('hex');
}

const DECLINE_MESSAGES: Record<SimDecline, string> = {
  generic_decline: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  lost_card: 'Your card was declined.',
  stolen_card: 'Your card was declined.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  processing_error: 'An error occurred while processing your card. Try again in a little bit.',
  incorrect_number: 'Your card number is incorrect.',
};

function stripeIntent(c: SimCharge, key: string | null): Record<string, unknown> {
  const base = {
    id: c.id,
    object: 'payment_intent',
    amount: c.amountMinor,
    currency: c.currency.toLowerCase(),
    metadata: key ? { payhook_key: key } : {},
    payment_method_details: { card: { brand: c.brand, last4: c.last4 } },
  };
  if (c.status === 'succeeded') return { ...base, status: 'succeeded', latest_charge: c.id.replace(/^pi_/, 'ch_') };
  return { ...base, status: 'requires_payment_method', last_payment_error: { type: 'card_error', code: stripeCode(c.declineCode!), decline_code: c.declineCode } };
}

function stripeCode(d: SimDecline): string {
  return d === 'expired_card' || d === 'incorrect_cvc' || d === 'processing_error' || d === 'incorrect_number' ? d : 'card_declined';
}

function jsonBody(c: SimCharge): Record<string, unknown> {
  return { id: c.id, status: c.status === 'succeeded' ? 'approved' : 'declined', decline_code: c.declineCode, brand: c.brand, last4: c.last4, amount: c.amountMinor, currency: c.currency };
}

function parseIntField(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,12}$/.test(v)) return Number(v);
  return undefined;
}

/** Builds the sandbox gateway app without listening (tests use inject, or listen themselves). */
export function buildGatewaySim(options: GatewaySimOptions = {}): { app: FastifyInstance; state: SimState } {
  const log = options.logger ?? silentLogger();
  const now = options.now ?? Date.now;
  const state = new SimState();
  const app = Fastify({ logger: false, forceCloseConnections: true });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.addHook('onRequest', async (req, reply) => {
    if (options.apiKey === undefined || req.url.startsWith('/__sim') || req.url === '/health') return;
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      await reply.code(401).send({ error: { type: 'invalid_request_error', code: 'api_key_invalid', message: 'Invalid API key provided.' } });
    }
  });

  app.addHook('onClose', async () => {
    for (const reply of state.hanging) reply.raw.destroy();
    state.hanging.clear();
  });

  /** Runs one charge request through faults, idempotency and the decision, then answers. */
  async function charge(
    api: 'stripe' | 'json',
    req: FastifyRequest,
    reply: FastifyReply,
    params: ChargeParams | undefined,
    render: (c: SimCharge, key: string | null) => { statusCode: number; body: unknown },
  ): Promise<void> {
    if (!params) {
      await reply.code(400).send({ error: { type: 'invalid_request_error', message: 'Missing or malformed card or amount.' } });
      return;
    }
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const fault =
      parseFault(req.headers[FAULT_HEADER] as string | undefined) ?? state.queuedFaults.shift() ?? FAULT_AMOUNTS[params.amountMinor];
    if (fault?.kind === 'error500') {
      log.info({ api, key, fault: 'error500' }, 'gateway-sim fault before processing');
      await reply.code(500).send({ error: { type: 'api_error', message: 'Simulated internal error.' } });
      return;
    }
    const fingerprint = fingerprintOf(api, params);
    let saved = key ? state.byKey.get(key) : undefined;
    const replayed = saved !== undefined;
    if (saved && saved.fingerprint !== fingerprint) {
      log.warn({ api, key }, 'gateway-sim idempotency key reused with different parameters');
      await reply.code(400).send({
        error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' },
      });
      return;
    }
    if (!saved) {
      const d = decide({ number: params.number, expMonth: params.expMonth, expYear: params.expYear, cvc: params.cvc, amountMinor: params.amountMinor }, now());
      const c: SimCharge = {
        id: state.nextId(api === 'stripe' ? 'pi' : 'ch'),
        api,
        idempotencyKey: key,
        brand: d.brand,
        last4: params.number.slice(-4),
        amountMinor: params.amountMinor,
        currency: params.currency.toUpperCase(),
        status: d.approved ? 'succeeded' : 'declined',
        declineCode: d.approved ? null : d.decline,
      };
      state.charges.push(c);
      const r = render(c, key);
      saved = { fingerprint, statusCode: r.statusCode, body: r.body, charge: c };
      if (key) state.byKey.set(key, saved);
      log.info({ api, key, id: c.id, brand: c.brand, last4: c.last4, amountMinor: c.amountMinor, status: c.status, declineCode: c.declineCode }, 'gateway-sim charge');
    } else {
      log.info({ api, key, id: saved.charge.id }, 'gateway-sim idempotent replay');
    }
    if (fault?.kind === 'drop') {
      log.info({ api, key, fault: 'drop' }, 'gateway-sim fault: connection dropped after processing');
      req.raw.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      log.info({ api, key, fault: 'timeout' }, 'gateway-sim fault: no answer after processing');
      state.hanging.add(reply);
      reply.raw.on('close', () => state.hanging.delete(reply));
      await new Promise<void>((resolve) => reply.raw.on('close', resolve));
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    await reply.code(saved.statusCode).header('idempotent-replayed', String(replayed)).send(saved.body);
  }

  app.get('/health', async () => ({ status: 'ok' }));

  // Stripe-like: POST /v1/payment_intents, form-encoded, confirm=true with raw card data.
  app.post('/v1/payment_intents', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string>;
    const amount = parseIntField(b.amount);
    const number = b['payment_method_data[card][number]'];
    const params =
      amount !== undefined && typeof number === 'string' && /^[A-Za-z]{3}$/.test(b.currency ?? '')
        ? {
            number,
            expMonth: parseIntField(b['payment_method_data[card][exp_month]']),
            expYear: parseIntField(b['payment_method_data[card][exp_year]']),
            cvc: b['payment_method_data[card][cvc]'],
            amountMinor: amount,
            currency: b.currency!,
          }
        : undefined;
    await charge('stripe', req, reply, params, (c, key) =>
      c.status === 'succeeded'
        ? { statusCode: 200, body: stripeIntent(c, key) }
        : {
            statusCode: 402,
            body: {
              error: {
                type: 'card_error', code: stripeCode(c.declineCode!), decline_code: c.declineCode, message: DECLINE_MESSAGES[c.declineCode!],
                payment_intent: stripeIntent(c, key),
              },
            },
          },
    );
  });

  // Stripe search syntax, as a connector reconciles: query=metadata['payhook_key']:'<key>'.
  app.get('/v1/payment_intents/search', async (req) => {
    const query = String((req.query as Record<string, unknown>).query ?? '');
    const m = /^metadata\['payhook_key'\]:'([^']*)'$/.exec(query);
    const saved = m ? state.byKey.get(m[1]!) : undefined;
    const data = saved && saved.charge.api === 'stripe' ? [stripeIntent(saved.charge, m![1]!)] : [];
    return { object: 'search_result', data, has_more: false };
  });

  // Plain JSON API for the generic connector.
  app.post('/json/v1/charges', async (req, reply) => {
    const b = (req.body ?? {}) as { amount?: unknown; currency?: unknown; card?: Record<string, unknown> };
    const amount = parseIntField(b.amount);
    const card = b.card ?? {};
    const params =
      amount !== undefined && typeof card.number === 'string' && typeof b.currency === 'string'
        ? { number: card.number, expMonth: parseIntField(card.exp_month), expYear: parseIntField(card.exp_year), cvc: typeof card.cvc === 'string' ? card.cvc : undefined, amountMinor: amount, currency: b.currency }
        : undefined;
    await charge('json', req, reply, params, (c) => ({ statusCode: 200, body: jsonBody(c) }));
  });

  app.get('/json/v1/charges/:key', async (req, reply) => {
    const saved = state.byKey.get((req.params as { key: string }).key);
    if (!saved || saved.charge.api !== 'json') return reply.code(404).send({ error: 'not_found' });
    return jsonBody(saved.charge);
  });

  // Test and admin endpoints.
  app.get('/__sim/charges', async () => ({ charges: state.charges }));
  app.post('/__sim/faults', async (req, reply) => {
    const list = ((req.body ?? {}) as { faults?: unknown }).faults;
    const faults = Array.isArray(list) ? list.map((f) => parseFault(String(f))) : [];
    if (faults.length === 0 || faults.some((f) => f === undefined)) {
      return reply.code(400).send({ error: 'faults must be a non-empty list of "500", "drop", "timeout", "delay:<ms>"' });
    }
    state.queuedFaults.push(...(faults as SimFault[]));
    return { queued: state.queuedFaults.length };
  });
  app.post('/__sim/reset', async () => {
    state.reset();
    return { reset: true };
  });

  return { app, state };
}

export interface GatewaySim {
  /** Base URL, e.g. http://127.0.0.1:4242 */
  readonly url: string;
  readonly port: number;
  /** Every processed charge attempt, card-free. */
  charges(): SimCharge[];
  /** Faults for the next charge requests, in order. */
  queueFaults(...faults: SimFault[]): void;
  reset(): void;
  close(): Promise<void>;
}

/** Starts the sandbox gateway in-process (port 0 picks a free port). */
export async function startGatewaySim(options: GatewaySimOptions = {}): Promise<GatewaySim> {
  const { app, state } = buildGatewaySim(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 4242, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 4242);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    charges: () => state.charges.map((c) => ({ ...c })),
    queueFaults: (...faults) => void state.queuedFaults.push(...faults),
    reset: () => state.reset(),
    close: () => app.close(),
  };
}

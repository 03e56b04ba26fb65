// The in-process gateway for replay: the real gateway client (retries, idempotency, lookup) over
// a fetch that answers from the sandbox gateway's fastify app (inject, no port), with the
// fixture's faults applied per charge try. Backoff sleeps and slow answers run on the virtual
// clock; real async work is counted in `pending()` so the driver lets it settle before moving time.
import type { Clock } from '../core/clock.js';
import type { GatewayConfig } from '../payment/config.js';
import { createGatewayClient } from '../payment/gateway/create.js';
import type { FetchLike } from '../payment/gateway/http.js';
import type { Sleep } from '../payment/gateway/retry.js';
import type { ChargeResult, GatewayClient } from '../payment/gateway/types.js';
import { buildGatewaySim, FAULT_HEADER } from '../payment/gateway-sim/server.js';
import type { Fixture } from './fixture.js';
import type { Timeline } from './timeline.js';

export interface ReplayGatewayOptions {
  readonly clock: Clock;
  readonly behaviour: Fixture['gateway'];
  /** Wall clock for the sandbox's expiry decisions (epoch ms). */
  readonly wallClock: () => number;
  readonly timeline: Timeline;
}

export interface ReplayGateway {
  /** Builds the connector's gateway client against the in-process sandbox. */
  client(config: GatewayConfig): GatewayClient | { code: string };
  /** Requests doing real async work right now (the driver must not advance time meanwhile). */
  pending(): number;
  close(): Promise<void>;
}

class NetworkError extends TypeError {
  constructor(code: string) {
    super('fetch failed', { cause: { code } });
  }
}

function toHeaders(raw: Record<string, string | string[] | number | undefined>): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : String(v));
  return h;
}

export function createReplayGateway(options: ReplayGatewayOptions): ReplayGateway {
  const { clock, behaviour, timeline } = options;
  const { app } = buildGatewaySim({ now: options.wallClock });
  const faults = [...behaviour.faults];
  let pending = 0;
  let tries = 0;

  // A charge counts as pending from call to answer, except while it waits on the virtual clock
  // (backoff, a slow answer): then time must move for it to finish.
  const busy = async <T>(work: () => Promise<T>): Promise<T> => {
    pending++;
    try {
      return await work();
    } finally {
      pending--;
    }
  };
  const onClock = async (wait: Promise<void>): Promise<void> => {
    pending--;
    try {
      await wait;
    } finally {
      pending++;
    }
  };
  const virtualDelay = (ms: number) => onClock(new Promise<void>((resolve) => clock.setTimeout(resolve, ms)));
  const sleep: Sleep = (ms, signal) =>
    onClock(
      new Promise((resolve) => {
        if (ms <= 0 || signal?.aborted) return resolve();
        const t = clock.setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => (clock.clearTimeout(t), resolve()), { once: true });
      }),
    );

  const forward = (url: URL, init: RequestInit | undefined, extra: Record<string, string> = {}) =>
    app
      .inject({
        method: (init?.method ?? 'GET') as 'GET' | 'POST',
        url: url.pathname + url.search,
        headers: { ...Object.fromEntries(new Headers(init?.headers).entries()), ...extra },
        ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
      })
      .then((res) => new Response(res.payload, { status: res.statusCode, headers: toHeaders(res.headers) }));

  const fetchImpl: FetchLike = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const isCharge = (init?.method ?? 'GET') === 'POST';
    if (behaviour.down) {
      timeline.add('gateway', `${isCharge ? 'charge try' : 'lookup'}: connection refused (gateway down)`);
      throw new NetworkError('ECONNREFUSED');
    }
    if (!isCharge) return forward(url, init);
    tries++;
    const fault = faults.shift();
    if (fault === undefined) return forward(url, init);
    timeline.add('gateway', `charge try ${tries}: fault ${fault}`);
    switch (fault) {
      case 'refused':
        throw new NetworkError('ECONNREFUSED');
      case '500':
        return forward(url, init, { [FAULT_HEADER]: '500' });
      case 'drop':
        await forward(url, init);
        throw new NetworkError('ECONNRESET');
      case 'timeout':
        await forward(url, init);
        // The client's own request timeout ends this (real time: keep requestTimeoutMs small in
        // timeout fixtures); the virtual clock stands still meanwhile.
        return new Promise<never>((_, reject) => {
          const signal = init?.signal;
          if (!signal) return reject(new NetworkError('ETIMEDOUT'));
          if (signal.aborted) return reject(signal.reason as Error);
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        });
      default: {
        const response = await forward(url, init);
        await virtualDelay(Number(fault.slice('slow:'.length)));
        return response;
      }
    }
  };

  return {
    client(config) {
      const made = createGatewayClient(config, {}, { fetch: fetchImpl, sleep });
      if (!made.ok) return { code: made.code };
      return recordingClient(made.client, timeline, busy);
    },
    pending: () => pending,
    close: () => app.close(),
  };
}

/**
 * Notes each charge and its answer on the timeline (brand, last four and amount only) and gives
 * approved charges a stable reference: the sandbox's ids end in random hex, which would make two
 * replays of one fixture differ.
 */
function recordingClient(inner: GatewayClient, timeline: Timeline, busy: <T>(work: () => Promise<T>) => Promise<T>): GatewayClient {
  let approvals = 0;
  return {
    async charge(request, opts) {
      const amount = `${request.amountMinor} minor ${request.currency}`;
      timeline.add('gateway', `charge: ${request.brand} ending ${request.last4}, ${amount}`);
      const result = await busy(() => inner.charge(request, opts));
      const stable: ChargeResult = result.status === 'approved' ? { ...result, transactionRef: `pi_replay_${++approvals}` } : result;
      timeline.add('gateway', `answer: ${describe(stable)}`);
      return stable;
    },
    lookup: (key, opts) => busy(() => inner.lookup(key, opts)),
  };
}

function describe(result: ChargeResult): string {
  if (result.status === 'approved') return `approved ${result.transactionRef}`;
  if (result.status === 'declined') return `declined ${result.reason}`;
  return `failed ${result.failure}`;
}

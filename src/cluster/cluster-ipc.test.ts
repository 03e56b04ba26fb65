// The cluster IPC protocol without processes: PrimaryLinks (the workers' side) joined to one
// PrimaryRelay (the primary's side) by in-memory channels that deliver asynchronously and pass a
// structured clone of each message, as node:cluster's IPC does.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNonceCache, type NonceCache } from '../audiohook/auth/nonce-cache.js';
import { createLogger, type Logger } from '../core/log.js';
import type { LiveEvent, LiveSession } from '../live/types.js';
import { LIVE_FIELDS } from '../live/types.js';
import { LogCapture } from '../../test/helpers/server.js';
import { isPayhookMessage, parsePrimaryMessage, parseWorkerMessage, type Channel, type PrimaryMessage } from './messages.js';
import { PrimaryLink } from './primary-link.js';
import { PrimaryRelay, type RelayOptions, type WorkerPort } from './relay.js';

const later = (fn: () => void) => setImmediate(fn);

/** Lets every queued delivery (and the relay's async handling) run. */
async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

interface Wire {
  /** The worker's end, as `process` in a worker. */
  readonly channel: Channel;
  /** The primary's end, as a `Worker` in the primary. */
  readonly port: WorkerPort;
  /** Messages the worker sent (clones). */
  readonly fromWorker: unknown[];
  /** Messages the primary sent (clones). */
  readonly fromPrimary: unknown[];
  /** Delivers a raw message to the worker as if the primary had sent it. */
  injectToWorker(message: unknown): void;
}

/** One worker's IPC channel to the relay. */
function wire(relay: PrimaryRelay): Wire {
  const worker = new EventEmitter();
  const fromWorker: unknown[] = [];
  const fromPrimary: unknown[] = [];
  const port: WorkerPort = {
    send(message: PrimaryMessage) {
      const copy = structuredClone(message);
      fromPrimary.push(copy);
      later(() => worker.emit('message', copy));
    },
  };
  const channel: Channel = {
    send(message: unknown) {
      const copy = structuredClone(message);
      fromWorker.push(copy);
      later(() => relay.handle(port, copy));
      return true;
    },
    on: (event, listener) => worker.on(event, listener),
    off: (event, listener) => worker.off(event, listener),
  };
  relay.add(port);
  return {
    channel,
    port,
    fromWorker,
    fromPrimary,
    injectToWorker: (message) => later(() => worker.emit('message', structuredClone(message))),
  };
}

function capture(): { logs: LogCapture; logger: Logger } {
  const logs = new LogCapture();
  return { logs, logger: createLogger({ level: 'debug', destination: logs }) };
}

const codes = (logs: LogCapture) => logs.records().map((r) => r.code);

const links: PrimaryLink[] = [];
afterEach(() => {
  for (const l of links.splice(0)) l.close();
});

// Live snapshots go out one message each here (liveBatchMs 0) unless a test asks for batching.
function link(channel: Channel, options: { logger?: Logger; timeoutMs?: number; liveBatchMs?: number } = {}): PrimaryLink {
  const l = new PrimaryLink({ channel, liveBatchMs: 0, ...options });
  links.push(l);
  return l;
}

const METRICS = { text: '# TYPE payhook_sessions_total counter\npayhook_sessions_total{route="x",outcome="y"} 3\n', contentType: 'text/plain; version=0.0.4; charset=utf-8' };

function cluster(n: number, options: Partial<RelayOptions> = {}) {
  const primaryLog = capture();
  const ready: Array<{ slot: number; address: string; port: WorkerPort }> = [];
  const relay = new PrimaryRelay({
    nonces: new MemoryNonceCache(),
    aggregateMetrics: async () => METRICS,
    logger: primaryLog.logger,
    onReady: (port, slot, address) => ready.push({ port, slot, address }),
    ...options,
  });
  const workers = Array.from({ length: n }, () => {
    const w = wire(relay);
    const log = capture();
    return { ...w, ...log, link: link(w.channel, { logger: log.logger }) };
  });
  return { relay, workers, primaryLog, ready };
}

function session(id: string, instanceId: string): LiveSession {
  return {
    id,
    conversationId: `conv-${id}`,
    connectorId: 'payments',
    instanceId,
    mode: 'automated',
    language: 'en-US',
    phase: 'collecting',
    current: 'cardNumber',
    fields: LIVE_FIELDS.map((field) => ({ field, status: 'pending', digits: 0, entries: 0, rejections: 0 })),
    secure: true,
    gateway: 'idle',
    chargeAttempts: 0,
    declines: 0,
    startedAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_500,
  };
}

const future = () => Date.now() + 13_000;

describe('PrimaryLink + PrimaryRelay: the shared replay cache', () => {
  it('a nonce is fresh once across all workers: A accepts it, B and A again refuse it', async () => {
    const { workers } = cluster(3);
    const [a, b, c] = workers;
    const nonce = 'nonce-abcdefghijklmnopqrstuvwxyz';
    expect(await a!.link.nonces.checkAndRemember(nonce, future())).toBe(true);
    expect(await b!.link.nonces.checkAndRemember(nonce, future())).toBe(false);
    expect(await a!.link.nonces.checkAndRemember(nonce, future())).toBe(false);
    // Another nonce is unaffected, on any worker.
    expect(await c!.link.nonces.checkAndRemember(`${nonce}-2`, future())).toBe(true);
    for (const w of workers) expect(w.logs.lines).toEqual([]);
  });

  it('concurrent checks of one nonce from every worker: exactly one is fresh', async () => {
    const { workers } = cluster(3);
    const nonce = 'concurrent-nonce-0123456789abcdef';
    const results = await Promise.all(workers.flatMap((w) => [w.link.nonces.checkAndRemember(nonce, future()), w.link.nonces.checkAndRemember(nonce, future())]));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('each reply reaches only the worker that asked, matched by id', async () => {
    const { workers } = cluster(2);
    const [a, b] = workers;
    const ra = a!.link.nonces.checkAndRemember('nonce-for-a-0123456789abcdef', future());
    const rb = b!.link.nonces.checkAndRemember('nonce-for-b-0123456789abcdef', future());
    expect(await Promise.all([ra, rb])).toEqual([true, true]);
    expect(a!.fromPrimary).toEqual([{ t: 'payhook:nonce-result', id: 1, fresh: true }]);
    expect(b!.fromPrimary).toEqual([{ t: 'payhook:nonce-result', id: 1, fresh: true }]);
  });

  it('a nonce cache that throws in the primary counts the nonce as seen', async () => {
    const throwing: NonceCache = {
      checkAndRemember: async () => {
        throw new Error('boom');
      },
    };
    const { workers } = cluster(1, { nonces: throwing });
    expect(await workers[0]!.link.nonces.checkAndRemember('nonce-abcdefghijklmnopqrstuvwxyz', future())).toBe(false);
  });
});

describe('PrimaryLink + PrimaryRelay: the live-view relay', () => {
  it('a snapshot published on A reaches A’s subscribers once and B’s and C’s once each, never echoed back to A', async () => {
    const { workers, relay } = cluster(3);
    const heard = workers.map(() => [] as unknown[]);
    workers.forEach((w, i) => w.link.fanout.subscribe((e) => heard[i]!.push(e)));
    const [a] = workers;
    const event: LiveEvent = { type: 'session', session: session('s-1', 'host:w1') };

    a!.link.fanout.publish(event);
    // A's own subscribers hear it synchronously, as a copy.
    expect(heard[0]).toEqual([event]);
    expect(heard[0]![0]).not.toBe(event);
    expect(heard[1]).toEqual([]);

    await settle();
    expect(heard[0]).toHaveLength(1);
    expect(heard[1]).toEqual([event]);
    expect(heard[2]).toEqual([event]);
    // The primary sent the snapshot to B and C only.
    expect(a!.fromPrimary).toEqual([]);
    expect(workers[1]!.fromPrimary).toEqual([{ t: 'payhook:live', events: [event] }]);
    expect(workers[2]!.fromPrimary).toEqual([{ t: 'payhook:live', events: [event] }]);

    // A worker the primary removed (it exited) hears no more.
    relay.remove(workers[2]!.port);
    workers[1]!.link.fanout.publish({ type: 'session', session: session('s-2', 'host:w2') });
    await settle();
    expect(heard.map((h) => h.length)).toEqual([2, 2, 1]);
  });

  it('several subscribers on a worker each hear it once; an unsubscribed one hears nothing', async () => {
    const { workers } = cluster(2);
    const [a, b] = workers;
    const one: unknown[] = [];
    const two: unknown[] = [];
    const gone: unknown[] = [];
    b!.link.fanout.subscribe((e) => one.push(e));
    b!.link.fanout.subscribe((e) => two.push(e));
    const unsubscribe = b!.link.fanout.subscribe((e) => gone.push(e));
    unsubscribe();
    a!.link.fanout.publish({ type: 'session', session: session('s-3', 'host:w1') });
    await settle();
    expect(one).toHaveLength(1);
    expect(two).toHaveLength(1);
    expect(gone).toEqual([]);
  });

  it('gathers the snapshots of a batch window into one message, in order, and sends what is left on close', async () => {
    const relay = new PrimaryRelay({ nonces: new MemoryNonceCache(), aggregateMetrics: async () => METRICS });
    const wa = wire(relay);
    const wb = wire(relay);
    const a = link(wa.channel, { liveBatchMs: 30 });
    const b = link(wb.channel, { liveBatchMs: 30 });
    const heard: unknown[] = [];
    b.fanout.subscribe((e) => heard.push(e));
    const events: LiveEvent[] = [1, 2, 3].map((i) => ({ type: 'session', session: session(`s-b${i}`, 'host:w1') }));
    for (const e of events) a.fanout.publish(e);
    await settle();
    expect(wa.fromWorker).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    await settle();
    expect(wa.fromWorker).toEqual([{ t: 'payhook:live', events }]);
    expect(heard).toEqual(events);
    const last: LiveEvent = { type: 'session', session: session('s-b4', 'host:w1') };
    a.fanout.publish(last);
    a.close();
    await settle();
    expect(wa.fromWorker).toEqual([{ t: 'payhook:live', events }, { t: 'payhook:live', events: [last] }]);
    expect(heard).toEqual([...events, last]);
  });
});

describe('PrimaryLink + PrimaryRelay: metrics and ready', () => {
  it('a metrics request returns the aggregate text and content type', async () => {
    const { workers } = cluster(2);
    expect(await workers[1]!.link.clusterMetrics()).toEqual(METRICS);
  });

  it('a metrics request answers undefined when the aggregate rejects (a worker did not answer)', async () => {
    const { workers } = cluster(2, { aggregateMetrics: () => Promise.reject(new Error('Operation timed out.')) });
    expect(await workers[0]!.link.clusterMetrics()).toBeUndefined();
    expect(workers[0]!.fromPrimary).toEqual([{ t: 'payhook:metrics-result', id: 1, ok: false, text: '', contentType: 'text/plain' }]);
  });

  it('ready(slot, address) reaches the primary’s onReady with the worker’s port', async () => {
    const { workers, ready } = cluster(2);
    workers[1]!.link.ready(2, 'http://127.0.0.1:1234');
    await settle();
    expect(ready).toEqual([{ slot: 2, address: 'http://127.0.0.1:1234', port: workers[1]!.port }]);
  });

  it('a worker that (re)starts makes every other worker publish its snapshots again, and only them', async () => {
    const { workers } = cluster(3);
    const resyncs = [0, 0, 0];
    workers.forEach((w, i) => w.link.onResync(() => resyncs[i]!++));
    workers[2]!.link.ready(3, 'http://127.0.0.1:1234');
    await settle();
    expect(resyncs).toEqual([1, 1, 0]);
  });
});

describe('PrimaryLink: failing closed', () => {
  it('a primary that never answers: the nonce counts as seen after the timeout, logged ERR_CLUSTER_PRIMARY_UNREACHABLE', async () => {
    const { logs, logger } = capture();
    const sent: unknown[] = [];
    const silent = new EventEmitter();
    const l = link({ send: (m) => sent.push(m), on: (e, f) => silent.on(e, f), off: (e, f) => silent.off(e, f) }, { logger, timeoutMs: 50 });
    const started = Date.now();
    expect(await l.nonces.checkAndRemember('nonce-abcdefghijklmnopqrstuvwxyz', future())).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(sent).toHaveLength(1);
    const records = logs.records();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ code: 'ERR_CLUSTER_PRIMARY_UNREACHABLE', request: 'nonce', level: 50 });
    // Metrics fail the same way.
    expect(await l.clusterMetrics()).toBeUndefined();
    expect(logs.records()[1]).toMatchObject({ code: 'ERR_CLUSTER_PRIMARY_UNREACHABLE', request: 'metrics' });
  });

  it('a late answer after the timeout is ignored (no double resolution, nothing logged)', async () => {
    const { logs, logger } = capture();
    const w = new EventEmitter();
    const l = link({ send: () => true, on: (e, f) => w.on(e, f), off: (e, f) => w.off(e, f) }, { logger, timeoutMs: 20 });
    expect(await l.nonces.checkAndRemember('nonce-abcdefghijklmnopqrstuvwxyz', future())).toBe(false);
    w.emit('message', { t: 'payhook:nonce-result', id: 1, fresh: true });
    await settle();
    expect(codes(logs)).toEqual(['ERR_CLUSTER_PRIMARY_UNREACHABLE']);
  });

  it('a channel whose send throws (primary gone) fails the nonce check at once', async () => {
    const { logs, logger } = capture();
    const w = new EventEmitter();
    const l = link(
      {
        send: () => {
          throw new Error('ERR_IPC_CHANNEL_CLOSED');
        },
        on: (e, f) => w.on(e, f),
        off: (e, f) => w.off(e, f),
      },
      { logger, timeoutMs: 10_000 },
    );
    const started = Date.now();
    expect(await l.nonces.checkAndRemember('nonce-abcdefghijklmnopqrstuvwxyz', future())).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(codes(logs)).toEqual(['ERR_CLUSTER_PRIMARY_UNREACHABLE']);
    // publish and ready do not throw either.
    expect(() => l.fanout.publish({ type: 'session', session: session('s-4', 'host:w1') })).not.toThrow();
    expect(() => l.ready(1, 'http://127.0.0.1:1')).not.toThrow();
  });

  it('close() resolves pending requests as failed and later requests fail at once', async () => {
    const { logs, logger } = capture();
    const w = new EventEmitter();
    const sent: unknown[] = [];
    const l = link({ send: (m) => sent.push(m), on: (e, f) => w.on(e, f), off: (e, f) => w.off(e, f) }, { logger, timeoutMs: 10_000 });
    const pendingNonce = l.nonces.checkAndRemember('nonce-abcdefghijklmnopqrstuvwxyz', future());
    const pendingMetrics = l.clusterMetrics();
    const heard: unknown[] = [];
    l.fanout.subscribe((e) => heard.push(e));
    const started = Date.now();
    l.close();
    expect(await pendingNonce).toBe(false);
    expect(await pendingMetrics).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(w.listenerCount('message')).toBe(0);
    expect(await l.nonces.checkAndRemember('nonce-2-abcdefghijklmnopqrstuvwxyz', future())).toBe(false);
    l.fanout.publish({ type: 'session', session: session('s-5', 'host:w1') });
    expect(heard).toEqual([]);
    expect(sent).toHaveLength(2);
    l.close(); // twice is harmless
    expect(logs.lines).toEqual([]);
  });
});

describe('malformed and foreign messages', () => {
  it('the worker ignores a malformed payhook message (ERR_CLUSTER_MESSAGE) and a foreign one silently', async () => {
    const { workers } = cluster(1);
    const [a] = workers;
    const heard: unknown[] = [];
    a!.link.fanout.subscribe((e) => heard.push(e));
    a!.injectToWorker({ type: 'prom-client:getMetricsReq', requestId: 1 });
    a!.injectToWorker('just a string');
    a!.injectToWorker(null);
    await settle();
    expect(a!.logs.lines).toEqual([]);

    a!.injectToWorker({ t: 'payhook:nonce-result', id: 'one', fresh: true });
    a!.injectToWorker({ t: 'payhook:live' });
    a!.injectToWorker({ t: 'payhook:something-new' });
    await settle();
    expect(codes(a!.logs)).toEqual(['ERR_CLUSTER_MESSAGE', 'ERR_CLUSTER_MESSAGE', 'ERR_CLUSTER_MESSAGE']);
    expect(heard).toEqual([]);
    // The link still works.
    expect(await a!.link.nonces.checkAndRemember('nonce-abcdefghijklmnopqrstuvwxyz', future())).toBe(true);
  });

  it('a malformed reply does not resolve the pending request; the right one does', async () => {
    const { logs, logger } = capture();
    const w = new EventEmitter();
    const l = link({ send: () => true, on: (e, f) => w.on(e, f), off: (e, f) => w.off(e, f) }, { logger, timeoutMs: 5_000 });
    const result = l.nonces.checkAndRemember('nonce-abcdefghijklmnopqrstuvwxyz', future());
    w.emit('message', { t: 'payhook:nonce-result', id: 1, fresh: 'yes' });
    w.emit('message', { t: 'payhook:nonce-result', id: 99, fresh: true }); // unknown id: ignored
    w.emit('message', { t: 'payhook:nonce-result', id: 1, fresh: true });
    expect(await result).toBe(true);
    expect(codes(logs)).toEqual(['ERR_CLUSTER_MESSAGE']);
  });

  it('the relay ignores a malformed payhook message (ERR_CLUSTER_MESSAGE) and a foreign one silently, answering neither', async () => {
    const { relay, workers, primaryLog } = cluster(2);
    const [a, b] = workers;
    relay.handle(a!.port, { type: 'prom-client:getMetricsRes', requestId: 1, metrics: [] });
    relay.handle(a!.port, 42);
    await settle();
    expect(primaryLog.logs.lines).toEqual([]);

    relay.handle(a!.port, { t: 'payhook:nonce', id: 1, nonce: 'x'.repeat(1025), expiresAtMs: future() });
    relay.handle(a!.port, { t: 'payhook:nonce', id: 1.5, nonce: 'abc', expiresAtMs: future() });
    relay.handle(a!.port, { t: 'payhook:metrics', id: '1' });
    relay.handle(a!.port, { t: 'payhook:ready', slot: 1 });
    relay.handle(a!.port, { t: 'payhook:bogus' });
    await settle();
    expect(codes(primaryLog.logs)).toEqual(Array(5).fill('ERR_CLUSTER_MESSAGE'));
    expect(primaryLog.logs.records().every((r) => r.level === 40)).toBe(true);
    expect(a!.fromPrimary).toEqual([]);
    expect(b!.fromPrimary).toEqual([]);
  });
});

describe('parseWorkerMessage / parsePrimaryMessage', () => {
  const exp = 1_700_000_013_000;

  it('accepts well-formed worker messages', () => {
    expect(parseWorkerMessage({ t: 'payhook:ready', slot: 1, address: 'http://127.0.0.1:8080' })).toBeDefined();
    expect(parseWorkerMessage({ t: 'payhook:nonce', id: 7, nonce: 'n'.repeat(1024), expiresAtMs: exp })).toBeDefined();
    expect(parseWorkerMessage({ t: 'payhook:live', events: [{ type: 'session' }] })).toBeDefined();
    expect(parseWorkerMessage({ t: 'payhook:metrics', id: 0 })).toBeDefined();
  });

  it('refuses a bad id, an overlong nonce, a non-finite expiry and missing fields', () => {
    for (const bad of [
      { t: 'payhook:nonce', id: '7', nonce: 'abc', expiresAtMs: exp },
      { t: 'payhook:nonce', id: 1.5, nonce: 'abc', expiresAtMs: exp },
      { t: 'payhook:nonce', nonce: 'abc', expiresAtMs: exp },
      { t: 'payhook:nonce', id: 7, nonce: 'n'.repeat(1025), expiresAtMs: exp },
      { t: 'payhook:nonce', id: 7, nonce: 42, expiresAtMs: exp },
      { t: 'payhook:nonce', id: 7, nonce: 'abc', expiresAtMs: Number.POSITIVE_INFINITY },
      { t: 'payhook:nonce', id: 7, nonce: 'abc', expiresAtMs: Number.NaN },
      { t: 'payhook:nonce', id: 7, nonce: 'abc', expiresAtMs: '1700000013000' },
      { t: 'payhook:metrics', id: null },
      { t: 'payhook:metrics', id: Number.NaN },
      { t: 'payhook:ready', slot: '1', address: 'x' },
      { t: 'payhook:ready', slot: 1 },
      { t: 'payhook:live' },
      { t: 'payhook:live', event: { type: 'session' } },
      { t: 'payhook:live', events: { type: 'session' } },
      { t: 'payhook:live', events: new Array(1001).fill(null) },
      { t: 'payhook:nonce-result', id: 1, fresh: true }, // a primary message is not a worker message
      { t: 'payhook:unknown' },
      { t: 7 },
      { type: 'prom-client:getMetricsRes' },
      null,
      'payhook:nonce',
      undefined,
    ]) {
      expect(parseWorkerMessage(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('accepts well-formed primary messages and refuses malformed ones', () => {
    expect(parsePrimaryMessage({ t: 'payhook:nonce-result', id: 3, fresh: false })).toBeDefined();
    expect(parsePrimaryMessage({ t: 'payhook:live', events: [null] })).toBeDefined();
    expect(parsePrimaryMessage({ t: 'payhook:metrics-result', id: 3, ok: true, text: '', contentType: 'text/plain' })).toBeDefined();
    for (const bad of [
      { t: 'payhook:nonce-result', id: '3', fresh: false },
      { t: 'payhook:nonce-result', id: 3.25, fresh: false },
      { t: 'payhook:nonce-result', id: 3, fresh: 'false' },
      { t: 'payhook:nonce-result', id: 3 },
      { t: 'payhook:metrics-result', id: 3, ok: true, text: 'x' },
      { t: 'payhook:metrics-result', id: 3, ok: 1, text: 'x', contentType: 'text/plain' },
      { t: 'payhook:metrics-result', id: 3, ok: true, text: null, contentType: 'text/plain' },
      { t: 'payhook:live' },
      { t: 'payhook:nonce', id: 1, nonce: 'abc', expiresAtMs: exp }, // a worker message is not a primary message
      { type: 'prom-client:getMetricsReq', requestId: 1 },
      [],
      42,
    ]) {
      expect(parsePrimaryMessage(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('isPayhookMessage tells this protocol from others', () => {
    expect(isPayhookMessage({ t: 'payhook:anything' })).toBe(true);
    expect(isPayhookMessage({ type: 'prom-client:getMetricsReq' })).toBe(false);
    expect(isPayhookMessage({ t: 'other:thing' })).toBe(false);
    expect(isPayhookMessage({ t: 1 })).toBe(false);
    expect(isPayhookMessage('payhook:x')).toBe(false);
    expect(isPayhookMessage(null)).toBe(false);
  });
});

// The live and reports routes over real HTTP (SSE needs a real connection), on 127.0.0.1.
import { get } from 'node:http';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../core/log.js';
import { registerLiveRoutes } from '../server/routes/live.js';
import { parseReportQuery, registerReportRoutes } from '../server/routes/reports.js';
import type { ReportQuery } from '../store/types.js';
import { CallEvents } from './call-events.js';
import { LiveHub } from './live-hub.js';

const TOKEN = 'test-live-token-0123456789';

class Lines extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(options: { frameAncestors?: string[] } = {}) {
  const logs = new Lines();
  const hub = new LiveHub({ instanceId: 'payhook-test' });
  const queries: ReportQuery[] = [];
  app = Fastify({ loggerInstance: createLogger({ level: 'info', destination: logs }) }) as unknown as FastifyInstance;
  registerLiveRoutes(app, { hub, tokens: [TOKEN], heartbeatMs: 50, ...options });
  registerReportRoutes(app, {
    tokens: [TOKEN],
    now: () => Date.UTC(2026, 10, 26, 12),
    store: { report: async (q) => (queries.push(q), []) },
    ...options,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, hub, logs, queries };
}

/** Reads an SSE stream until it closes or `until` holds; returns the events and whether it closed. */
function readSse(url: string, until: (events: Array<[string, unknown]>) => boolean, timeoutMs = 5000) {
  return new Promise<{ contentType: string | undefined; events: Array<[string, unknown]>; closed: boolean }>((resolve, reject) => {
    const events: Array<[string, unknown]> = [];
    let raw = '';
    // node:http rather than fetch: destroying the request closes the socket at once.
    const req = get(url, (res) => {
      const finish = (closed: boolean) => {
        clearTimeout(timer);
        if (!closed) req.destroy();
        resolve({ contentType: res.headers['content-type'], events, closed });
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        let cut: number;
        while ((cut = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, cut);
          raw = raw.slice(cut + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push([event, JSON.parse(data)]);
          else if (block.startsWith(': heartbeat')) events.push(['heartbeat', null]);
        }
        if (until(events)) finish(false);
      });
      res.on('end', () => finish(true));
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('SSE read timed out'));
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describe('live routes', () => {
  it('the session list needs a Bearer token and does not take one in the query', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/api/v1/live/sessions`)).status).toBe(401);
    expect((await fetch(`${url}/api/v1/live/sessions?token=${TOKEN}`)).status).toBe(401);
    const wrong = await fetch(`${url}/api/v1/live/sessions`, { headers: { authorization: 'Bearer not-the-right-token' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'ERR_LIVE_UNAUTHORIZED', message: 'A valid access token is required' } });
    const ok = await fetch(`${url}/api/v1/live/sessions`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sessions: [] });
  });

  it('pages refuse a request without the token and carry the strict CSP either way', async () => {
    const { url } = await start({ frameAncestors: ['https://apps.mypurecloud.com'] });
    for (const page of ['/agent?conversationId=c1', '/supervisor', '/reports']) {
      const denied = await fetch(`${url}${page}`);
      expect(denied.status).toBe(401);
      expect(await denied.text()).not.toContain('/web/agent.js');
      const sep = page.includes('?') ? '&' : '?';
      const res = await fetch(`${url}${page}${sep}token=${TOKEN}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors https:\/\/apps\.mypurecloud\.com/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
    }
  });

  it('serves the page scripts by name only', async () => {
    const { url } = await start();
    const js = await fetch(`${url}/web/agent.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/text\/javascript/);
    expect((await fetch(`${url}/web/missing.js`)).status).toBe(404);
    expect((await fetch(`${url}/web/..%2Fweb-assets.ts`)).status).toBe(404);
  });

  it('streams one conversation: waiting, each change, heartbeats, then closes when the call ends', async () => {
    const { url, hub } = await start();
    const call = new CallEvents();
    hub.track(call, 'payments');
    const reading = readSse(`${url}/api/v1/live/sessions/conv-9/events?token=${TOKEN}`, () => false);
    await new Promise((r) => setTimeout(r, 150));
    call.emit('started', { conversationId: 'conv-9', mode: 'automated', language: 'en-US' });
    call.emit('status', { phase: 'collecting', field: 'cardNumber', digits: 4, brand: 'visa' });
    call.emit('finished', { result: 'cancelled', nextAction: 'queue', failureReason: 'caller_cancelled' }, {});
    call.emit('ended');
    const { contentType, events, closed } = await reading;
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(closed).toBe(true);
    const names = events.map(([e]) => e).filter((e) => e !== 'heartbeat');
    expect(names).toEqual(['waiting', 'session', 'session', 'session', 'session', 'end']);
    expect(events.some(([e]) => e === 'heartbeat')).toBe(true);
    expect(events.at(-2)![1]).toMatchObject({ phase: 'ended', outcome: { result: 'cancelled' } });
  });

  it('streams every session to the supervisor, starting with the list', async () => {
    const { url, hub } = await start();
    const call = new CallEvents();
    hub.track(call, 'payments');
    call.emit('started', { conversationId: 'conv-1', mode: 'agent_assisted', language: 'en-US' });
    const { events } = await readSse(`${url}/api/v1/live/events?token=${TOKEN}`, (ev) => ev.some(([e]) => e === 'sessions'));
    expect(events[0]![0]).toBe('sessions');
    expect(events[0]![1]).toEqual([expect.objectContaining({ conversationId: 'conv-1', mode: 'agent_assisted' })]);
    expect((await fetch(`${url}/api/v1/live/events`)).status).toBe(401);
  });

  it('keeps the token of page and feed URLs out of the request log', async () => {
    const { url, logs } = await start();
    await fetch(`${url}/agent?conversationId=c1&token=${TOKEN}`);
    await readSse(`${url}/api/v1/live/events?token=${TOKEN}`, (ev) => ev.length > 0);
    await fetch(`${url}/reports?token=${TOKEN}`);
    await new Promise((r) => setTimeout(r, 50));
    expect(logs.text).toContain('token=[redacted]');
    expect(logs.text).not.toContain(TOKEN);
  });

  it('closes open feeds when the server closes', async () => {
    const { url } = await start();
    const reading = readSse(`${url}/api/v1/live/events?token=${TOKEN}`, () => false);
    await new Promise((r) => setTimeout(r, 100));
    await app!.close();
    app = undefined;
    expect((await reading).closed).toBe(true);
  });
});

describe('reports route', () => {
  it('passes the parsed window to the store and answers with it', async () => {
    const { url, queries } = await start();
    const from = Date.UTC(2026, 10, 20);
    const to = Date.UTC(2026, 10, 26);
    const res = await fetch(`${url}/api/v1/reports?from=${from}&to=2026-11-26T00:00:00Z&bucket=day&connectorId=payments`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from, to, bucket: 'day', connectorId: 'payments', rows: [] });
    expect(queries).toEqual([{ from, to, bucket: 'day', connectorId: 'payments' }]);
  });

  it('needs the token and refuses a bad window', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/api/v1/reports`)).status).toBe(401);
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    for (const q of ['bucket=week', 'from=2026-11-26&to=2026-11-25', 'from=yesterday', 'from=0&to=4000000000000&bucket=hour']) {
      const res = await fetch(`${url}/api/v1/reports?${q}`, auth);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ERR_LIVE_BAD_QUERY');
    }
  });

  it('defaults to the last day in hours, or the last 30 days in days', () => {
    const now = Date.UTC(2026, 10, 26, 12);
    expect(parseReportQuery({}, now)).toEqual({ ok: true, query: { from: now - 86_400_000, to: now, bucket: 'hour' } });
    expect(parseReportQuery({ bucket: 'day' }, now)).toEqual({ ok: true, query: { from: now - 30 * 86_400_000, to: now, bucket: 'day' } });
  });
});

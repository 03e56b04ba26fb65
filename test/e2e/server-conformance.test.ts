// The AudioHook conformance suite against a live server on 127.0.0.1, driven by PayHook's own
// Genesys-like client: handshake, probe, every message type, authentication, sequence errors,
// output variables, outbound pacing, metrics and shutdown drain.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { Pacer } from '../../src/audio/pacer.js';
import { systemClock } from '../../src/core/clock.js';
import { buildUpgradeHeaders } from '../../src/audiohook/client/upgrade-headers.js';
import type { CallFactory } from '../../src/server/call-binding.js';
import type { ServerSession } from '../../src/audiohook/server/server-session.js';
import { ORG_ID, SIGNED_KEY, SIGNED_SECRET, UNSIGNED_KEY, connect, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Raw upgrade with chosen headers; resolves with the HTTP status (101 on success) and time taken. */
function rawUpgrade(url: string, headers: Record<string, string>): Promise<{ status: number; ms: number; body?: string; ws?: WebSocket }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, ms: Date.now() - started, body });
        ws.terminate();
      });
    });
    ws.on('open', () => resolve({ status: 101, ms: Date.now() - started, ws }));
    ws.on('error', () => resolve({ status: 0, ms: Date.now() - started }));
  });
}

function signedHeaders(url: string, overrides: { nonce?: string; apiKey?: string; secret?: string; nowMs?: number } = {}) {
  const built = buildUpgradeHeaders(
    new URL(url),
    {
      apiKey: overrides.apiKey ?? SIGNED_KEY,
      clientSecret: overrides.secret ?? SIGNED_SECRET,
      organizationId: ORG_ID,
      sessionId: randomUUID(),
      correlationId: randomUUID(),
    },
    overrides.nowMs ?? Date.now(),
    overrides.nonce,
  );
  if (!built.ok) throw new Error('could not sign');
  return built.headers as Record<string, string>;
}

describe('AudioHook server conformance', () => {
  it('a signed Audio Connector session opens fast, echoes one offer verbatim, pongs and closes', async () => {
    server = await startTestServer();
    const client = await connect(server, '/api/v1/audioconnector/payments', {}, { ping: { firstMs: 20, intervalMs: 50 } });
    const t0 = performance.now();
    const opened = await client.open();
    const openMs = performance.now() - t0;
    expect(opened.code).toBe('OPENED');
    if (opened.code !== 'OPENED') return;
    expect(opened.parameters.media).toEqual([client.offers[0]]);
    expect(openMs).toBeLessThan(1000);
    await until(() => client.rtts.length >= 2);
    client.sendAudio(new Uint8Array(160).fill(0xff));
    client.sendAudio(new Uint8Array(0));
    expect(await client.close('end')).toEqual({ code: 'CLOSED' });
    expect(client.violations).toEqual([]);
  });

  it('answers a connection probe with opened, then closed', async () => {
    server = await startTestServer();
    const client = await connect(server, '/api/v1/audioconnector/payments', {}, { probe: true });
    const result = await client.probe();
    expect(result.open.code).toBe('OPENED');
    expect(result.close).toEqual({ code: 'CLOSED' });
    expect(client.violations).toEqual([]);
  });

  it('accepts stereo on the Monitor route and an unsigned key without a secret', async () => {
    server = await startTestServer();
    const stereo = [{ type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 } as const];
    const client = await connect(server, '/api/v1/audiohook/ws', {}, { media: stereo.map((m) => ({ ...m, channels: [...m.channels] })) });
    const opened = await client.open();
    expect(opened.code === 'OPENED' && opened.parameters.media[0]?.channels).toEqual(['external', 'internal']);
    client.sendAudio(new Uint8Array(320).fill(0xff));
    expect(await client.close()).toEqual({ code: 'CLOSED' });

    const unsigned = await connect(server, '/api/v1/audioconnector/payments', { apiKey: UNSIGNED_KEY, clientSecret: undefined });
    expect((await unsigned.open()).code).toBe('OPENED');
    expect(await unsigned.close()).toEqual({ code: 'CLOSED' });
  });

  it('disconnects with error when no offer is acceptable', async () => {
    server = await startTestServer();
    const client = await connect(server, '/api/v1/audioconnector/payments', {}, {
      media: [{ type: 'audio', format: 'L16', channels: ['external'], rate: 8000 }],
    });
    const opened = await client.open();
    expect(opened.code).toBe('DISCONNECTED');
    expect(opened.code === 'DISCONNECTED' && opened.parameters.reason).toBe('error');
    await until(() => client.state === 'closed');
  });

  describe('refuses bad upgrades with an HTTP status, never sooner than 500 ms', () => {
    const cases: Array<[string, (url: string) => Record<string, string>, number]> = [
      ['wrong client secret', (u) => signedHeaders(u, { secret: Buffer.from('some other secret of 32 bytes!!!').toString('base64') }), 401],
      ['unknown API key', (u) => signedHeaders(u, { apiKey: 'not-a-configured-key' }), 401],
      ['signature too old', (u) => signedHeaders(u, { nowMs: Date.now() - 60_000 }), 401],
      ['no headers at all', () => ({}), 401],
    ];
    const bodies = new Set<string>();
    for (const [name, headers, status] of cases) {
      it(name, async () => {
        server ??= await startTestServer();
        const url = `${server.wsBase}/api/v1/audioconnector/payments`;
        const r = await rawUpgrade(url, headers(url));
        expect(r.status).toBe(status);
        expect(r.ms).toBeGreaterThanOrEqual(480);
        bodies.add(r.body ?? '');
      });
    }

    it('answers every authentication failure with the same body: the code stays in our logs', () => {
      expect(bodies.size).toBe(1);
      const [body] = [...bodies];
      expect(JSON.parse(body!)).toEqual({ message: 'upgrade refused' });
    });

    it('a replayed nonce', async () => {
      server = await startTestServer();
      const url = `${server.wsBase}/api/v1/audioconnector/payments`;
      const headers = signedHeaders(url, { nonce: 'a-nonce-of-plenty-length-0001' });
      const first = await rawUpgrade(url, headers);
      expect(first.status).toBe(101);
      first.ws?.terminate();
      expect((await rawUpgrade(url, headers)).status).toBe(401);
    });

    it('an unknown connector id (after authentication) and a connector the key may not use', async () => {
      server = await startTestServer();
      const url = `${server.wsBase}/api/v1/audioconnector/nope`;
      expect((await rawUpgrade(url, signedHeaders(url))).status).toBe(404);
      const other = `${server.wsBase}/api/v1/audioconnector/other`;
      const r = await rawUpgrade(other, { 'x-api-key': UNSIGNED_KEY, 'audiohook-organization-id': ORG_ID, 'audiohook-session-id': randomUUID(), 'audiohook-correlation-id': randomUUID() });
      expect(r.status).toBe(403);
    });

    it('a key restricted to another Genesys organization', async () => {
      server = await startTestServer({
        apiKeys: [{ apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET, organizationId: '11111111-2222-4333-8444-555555555555' }],
      });
      const url = `${server.wsBase}/api/v1/audioconnector/payments`;
      expect((await rawUpgrade(url, signedHeaders(url))).status).toBe(403);
      expect(server.logs.text).toContain('ERR_AUTH_ORGANIZATION_FORBIDDEN');
    });

    it('a plain HTTP request to a WebSocket route', async () => {
      server = await startTestServer();
      const res = await fetch(`${server.url}/api/v1/audioconnector/payments`);
      expect(res.status).toBe(426);
    });
  });

  it('a sequence gap ends the session the protocol way: disconnect error, then closed', async () => {
    server = await startTestServer();
    const client = await connect(server);
    expect((await client.open()).code).toBe('OPENED');
    const disconnected = new Promise((resolve) => client.once('disconnect', resolve));
    client.sendRawText(JSON.stringify({ version: '2', id: client.sessionId, type: 'ping', seq: 7, serverseq: 1, position: 'PT0S', parameters: {} }));
    expect(await disconnected).toMatchObject({ reason: 'error' });
    await until(() => client.state === 'closed');
    expect(client.timeline.some((e) => e.kind === 'text' && e.dir === 'in' && e.type === 'closed')).toBe(true);
  });

  it('malformed JSON and oversized text are answered with disconnect error, and the server stays up', async () => {
    server = await startTestServer();
    for (const bad of ['{not json', 'x'.repeat(70_000)]) {
      const client = await connect(server);
      await client.open();
      const disconnected = new Promise((resolve) => client.once('disconnect', resolve));
      client.sendRawText(bad);
      expect(await disconnected).toMatchObject({ reason: 'error' });
      await until(() => client.state === 'closed');
    }
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });

  it('passes dtmf and playback messages to the call and returns output variables on disconnect', async () => {
    const seen: string[] = [];
    const calls: CallFactory = () => ({
      onOpen: () => ({ accept: true }),
      attach(session: ServerSession) {
        session.on('playbackstarted', () => seen.push('playback_started'));
        session.on('playbackcompleted', () => seen.push('playback_completed'));
        session.on('dtmf', (digit) => {
          seen.push(`dtmf`);
          if (digit === '#') session.disconnect('completed', 'done', { result: 'approved', attempts: '1' });
        });
      },
    });
    server = await startTestServer({}, { calls });
    const client = await connect(server);
    await client.open();
    client.sendPlaybackStarted();
    client.sendPlaybackCompleted();
    const disconnected = new Promise((resolve) => client.once('disconnect', resolve));
    client.sendDtmf('1');
    client.sendDtmf('#');
    expect(await disconnected).toEqual({ reason: 'completed', info: 'done', outputVariables: { result: 'approved', attempts: '1' } });
    await until(() => client.state === 'closed');
    expect(seen).toEqual(['playback_started', 'playback_completed', 'dtmf', 'dtmf']);
    // The output variables never reach a log line.
    expect(server.logs.text).not.toContain('approved');
  });

  it('pause and resume round-trip; discarded audio advances the stream position', async () => {
    let session: ServerSession | undefined;
    const calls: CallFactory = () => ({ onOpen: () => ({ accept: true }), attach: (s) => void (session = s) });
    server = await startTestServer({}, { calls });
    const client = await connect(server);
    await client.open();
    client.sendAudio(new Uint8Array(800).fill(0xff));
    await until(() => session!.positionSamples === 800);
    const paused = new Promise((r) => session!.once('paused', () => r(true)));
    session!.pause();
    await paused;
    const resumed = new Promise((r) => session!.once('resumed', r));
    session!.resume();
    await resumed;
    client.sendDiscarded(100);
    await until(() => session!.positionSamples === 1600);
    expect(await client.close()).toEqual({ code: 'CLOSED' });
  });

  it('paces outbound audio in 100-250 ms chunks near real time, never over 64000 bytes', async () => {
    const calls: CallFactory = () => ({
      onOpen: () => ({ accept: true }),
      attach(session) {
        session.once('opened', () => {
          const pacer = new Pacer({ clock: systemClock, sink: (chunk) => void session.sendAudio(chunk), leadMs: 100 });
          pacer.enqueue(new Uint8Array(8000 * 2).fill(0x7f), undefined); // 2 s
          session.addCleanup(() => pacer.close());
        });
      },
    });
    server = await startTestServer({}, { calls });
    const client = await connect(server, undefined, {}, { collectAudio: true });
    const arrivals: Array<{ at: number; bytes: number }> = [];
    client.on('audio', (bytes) => arrivals.push({ at: performance.now(), bytes: bytes.length }));
    await client.open();
    await until(() => arrivals.reduce((n, a) => n + a.bytes, 0) >= 16000, 5000);
    const first = arrivals[0]!.at;
    for (const a of arrivals) {
      expect(a.bytes).toBeGreaterThanOrEqual(800);
      expect(a.bytes).toBeLessThanOrEqual(2000);
    }
    // Chunk k must not arrive earlier than real time minus the lead (plus one chunk), nor fall far behind.
    let sent = 0;
    for (const a of arrivals) {
      const dueMs = (sent / 8000) * 1000;
      expect(a.at - first).toBeGreaterThan(dueMs - 450);
      expect(a.at - first).toBeLessThan(dueMs + 250);
      sent += a.bytes;
    }
    await client.close();
  });

  it('exposes health, readiness and metrics', async () => {
    server = await startTestServer();
    const client = await connect(server);
    await client.open();
    await client.close();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/payhook_messages_total\{direction="in",type="open"\} 1/);
    expect(metrics).toMatch(/payhook_open_to_opened_seconds_count [1-9]/);
    expect(metrics).toMatch(/payhook_active_sessions\{route="audioconnector"\} 0/);
  });

  it('drains on shutdown: readiness turns 503, new calls are refused, live calls end with disconnect', async () => {
    server = await startTestServer();
    const live = await connect(server);
    await live.open();
    const disconnected = new Promise((resolve) => live.once('disconnect', resolve));
    const draining = server.payhook.drainAndClose(400);
    await until(() => server!.payhook.draining);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    const url = `${server.wsBase}/api/v1/audioconnector/payments`;
    expect((await rawUpgrade(url, signedHeaders(url))).status).toBe(503);
    expect(await disconnected).toMatchObject({ reason: 'error' });
    await until(() => live.state === 'closed');
    await draining;
    server = undefined;
  });
});

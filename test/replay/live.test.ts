// Real time against a live server (signed like Genesys): one replay with --url's runner, and a
// small load test whose calls must all complete with the expected outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { prepareConnectors } from '../../src/call/connectors.js';
import { createPaymentCalls } from '../../src/call/payment-calls.js';
import { startGatewaySim, type GatewaySim } from '../../src/payment/gateway-sim/server.js';
import { fromRaw, type LoadedFixture } from '../../src/replay/load-fixture.js';
import { runLive } from '../../src/replay/run-live.js';
import { formatLoadtest, runLoadtest } from '../../src/loadtest/run-loadtest.js';
import { SIGNED_KEY, SIGNED_SECRET, startTestServer, type TestServer } from '../helpers/server.js';

// `*` over the welcome prompt: a whole call (cancel prompt included) in about 5 s.
const STAR = {
  description: 'star at once',
  inputVariables: { PAYHOOK_MODE: 'automated', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00' },
  steps: [{ do: 'wait', seconds: 0.3 }, { do: 'press', keys: '*' }],
  maxSeconds: 30,
  expect: { result: 'cancelled', outputVariables: { PAYHOOK_FAILURE_REASON: 'caller_pressed_star' } },
};

// `*` once the bot has asked for the card and gone quiet, so the cancel prompt is a measurable
// response to a key (about 15 s per call).
const STAR_AFTER_PROMPT = { ...STAR, steps: [{ do: 'waitForPrompt', thinkMs: 100 }, { do: 'press', keys: '*' }] };

function fixture(raw: unknown): LoadedFixture {
  const r = fromRaw(raw, '.', 'star-at-once');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.loaded;
}

let sim: GatewaySim;
let server: TestServer;
beforeAll(async () => {
  sim = await startGatewaySim({ port: 0 });
  const connectors = { payments: { gateway: { provider: 'stripe', baseUrl: sim.url } } };
  const calls = createPaymentCalls({ connectors: prepareConnectors(connectors), clock: systemClock });
  server = await startTestServer({ connectors, logLevel: 'warn' }, { calls });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

describe('against a live server', () => {
  it('replays a fixture in real time and meets its expectation', async () => {
    const run = await runLive(fixture(STAR), { url: server.url, apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET });
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    const { result } = run;
    expect(result.check).toEqual({ ok: true, differences: [] });
    const kinds = result.timeline.map((e) => `${e.kind} ${e.text}`);
    expect(kinds).toContain('protocol opened');
    expect(kinds).toContain('bot starts speaking');
    expect(kinds).toContain('protocol disconnect completed');
    expect(result.durationMs).toBeGreaterThan(3000);
    expect(result.audio.bot.length).toBeGreaterThan(8000);
  }, 30_000);

  it('reports a refused upgrade as a connect failure', async () => {
    const run = await runLive(fixture(STAR), { url: server.url, apiKey: 'wrong-key', clientSecret: SIGNED_SECRET });
    expect(run).toMatchObject({ ok: false, code: 'ERR_REPLAY_CONNECT_FAILED', reason: 'HTTP 401' });
  }, 10_000);

  it('runs a small load test with every call completed and measured', { timeout: 40_000 }, async () => {
    const report = await runLoadtest({
      target: { url: `${server.wsBase}/api/v1/audioconnector/payments`, apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET },
      calls: 5,
      rate: 10,
      durationSeconds: 30,
      callTimeoutSeconds: 25,
      fixtures: [fixture(STAR_AFTER_PROMPT)],
      serverPid: process.pid,
    });
    expect(report.failures).toEqual({});
    expect(report).toMatchObject({ calls: 5, completed: 5, failed: 0, outcomes: { cancelled: 5 } });
    expect(report.digitToResponseMs.count).toBe(5);
    expect(report.digitToResponseMs.p99).toBeLessThan(1000);
    expect(report.openToOpenedMs.count).toBe(5);
    expect(report.server?.cpuSeconds).toBeGreaterThan(0);
    expect(report.outboundAudio.leadMs.count).toBeGreaterThan(50);
    expect(formatLoadtest(report)).toContain('calls (completed / failed)');
  });

  it('sends Genesys-sized 200 ms caller frames when asked, flushing early before a key', async () => {
    const frames: number[] = [];
    const calls: import('../../src/server/call-binding.js').CallFactory = () => ({
      onOpen: () => ({ accept: true }),
      attach: (session) => session.on('audio', (frame) => frames.push(frame.length)),
    });
    const plain = await startTestServer({}, { calls });
    try {
      const report = await runLoadtest({
        target: { url: `${plain.wsBase}/api/v1/audiohook/ws`, apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET },
        calls: 1,
        rate: 10,
        durationSeconds: 5,
        callTimeoutSeconds: 2,
        fixtures: [fixture({ ...STAR, steps: [{ do: 'wait', seconds: 1.5 }, { do: 'press', keys: '*' }, { do: 'wait', seconds: 0.5 }] })],
        frameMs: 200,
      });
      expect(report.calls).toBe(1);
      // Every full message carries 200 ms (1600 bytes); a key flushes a shorter one first.
      expect(frames.filter((n) => n === 1600).length).toBeGreaterThanOrEqual(5);
      expect(frames.every((n) => n > 0 && n <= 1600 && n % 160 === 0)).toBe(true);
    } finally {
      await plain.close();
    }
  });
});

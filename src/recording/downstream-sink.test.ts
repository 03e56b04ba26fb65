// The downstream stream against PayHook's own Monitor endpoint acting as the downstream recorder.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeWav } from '../audio/wav.js';
import { createLogger } from '../core/log.js';
import type { CallFactory } from '../server/call-binding.js';
import { LogCapture, ORG_ID, SIGNED_KEY, SIGNED_SECRET, startTestServer, type TestServer } from '../../test/helpers/server.js';
import { createDownstreamSink, secureOrLoopback } from './downstream-sink.js';
import { multimonDigits } from './multimon.js';
import { Recorder } from './recorder.js';
import { scanRecording } from './scan.js';
import { generateCall } from './test-calls.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const MONITOR = '/api/v1/audiohook/ws';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Captured {
  audio: Uint8Array[];
  channels: string[];
  ended: boolean;
}

function capturingCalls(captured: Captured[], onFrame?: (session: Parameters<NonNullable<ReturnType<CallFactory>['attach']>>[0], frames: number) => void): CallFactory {
  return ({ flavour }) => ({
    onOpen: () => ({ accept: true }),
    attach(session) {
      if (flavour !== 'monitor') return;
      const c: Captured = { audio: [], channels: [], ended: false };
      captured.push(c);
      session.on('opened', (info) => (c.channels = [...(info.media?.channels ?? [])]));
      session.on('audio', (frame) => {
        c.audio.push(frame);
        onFrame?.(session, c.audio.length);
      });
      session.on('ended', () => (c.ended = true));
    },
  });
}

/** Feeds the call in 20 ms frames at about 4x real time (the downstream sees paced frames). */
async function feed(recorder: Recorder, caller: Uint8Array, bot: Uint8Array): Promise<void> {
  recorder.writeBot(bot, 0);
  for (let p = 0; p < caller.length; p += 160) {
    recorder.writeCaller(caller.subarray(p, p + 160), p);
    if ((p / 160) % 4 === 3) await sleep(20);
  }
}

describe('downstream AudioHook sink', () => {
  const call = generateCall({ seconds: 4, seed: 21, randomPresses: 6 });

  it('streams the masked recording to a Monitor endpoint; what it receives is the masked audio and holds no digit', async () => {
    const captured: Captured[] = [];
    server = await startTestServer({}, { calls: capturingCalls(captured) });
    const sink = createDownstreamSink({ url: `${server.wsBase}${MONITOR}`, apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET, organizationId: ORG_ID });
    const recorder = new Recorder({ sinks: [sink] });
    const released: Uint8Array[] = [];
    recorder.on('chunk', (c) => released.push(c.stereo));
    await feed(recorder, call.caller, call.bot);
    await recorder.close();
    expect(sink.state).toBe('closed');
    await sleep(50);
    expect(captured).toHaveLength(1);
    const got = captured[0]!;
    expect(got.channels).toEqual(['external', 'internal']);
    expect(got.ended).toBe(true);
    const received = new Uint8Array(Buffer.concat(got.audio));
    expect(received.length).toBe(call.caller.length * 2);
    expect(Buffer.from(received).equals(Buffer.concat(released))).toBe(true);
    expect(sink.stats).toMatchObject({ samplesDropped: 0, samplesSent: call.caller.length });
    // Both auditors over what the downstream recorder got.
    const scan = scanRecording({ encoding: 'mulaw', sampleRate: 8000, channels: 2, data: received });
    expect(scan.digits).toEqual([]);
    const file = encodeWav('mulaw', 2, 8000, received);
    expect([...(await multimonDigits(file, 1)), ...(await multimonDigits(file, 2))]).toEqual([]);
    // The call carried digits: the same check over the unmasked audio finds them.
    expect(scanRecording({ encoding: 'mulaw', sampleRate: 8000, channels: 1, data: call.caller }).digits.length).toBeGreaterThan(5);
  });

  it('offers the caller channel alone when asked, and sends mono frames of the caller channel', async () => {
    const captured: Captured[] = [];
    server = await startTestServer({}, { calls: capturingCalls(captured) });
    const sink = createDownstreamSink({ url: `${server.wsBase}${MONITOR}`, apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET, organizationId: ORG_ID, media: 'caller' });
    const recorder = new Recorder({ sinks: [sink] });
    const released: Uint8Array[] = [];
    recorder.on('chunk', (c) => released.push(c.stereo));
    await feed(recorder, call.caller.subarray(0, 8000), call.bot.subarray(0, 8000));
    await recorder.close();
    await sleep(50);
    expect(captured[0]!.channels).toEqual(['external']);
    const received = Buffer.concat(captured[0]!.audio);
    const left = Buffer.concat(released).filter((_, i) => i % 2 === 0);
    expect(received.equals(Buffer.from(left))).toBe(true);
    expect(captured[0]!.audio.every((f) => f.length <= 160)).toBe(true);
  });

  it('a downstream that refuses the upgrade is logged with a code and the recording goes on', async () => {
    server = await startTestServer();
    const logs = new LogCapture();
    const sink = createDownstreamSink({
      url: `${server.wsBase}${MONITOR}`,
      apiKey: 'not-a-configured-key',
      clientSecret: SIGNED_SECRET,
      logger: createLogger({ level: 'debug', destination: logs }),
    });
    const recorder = new Recorder({ sinks: [sink] });
    let released = 0;
    recorder.on('chunk', (c) => (released += c.samples));
    await feed(recorder, call.caller.subarray(0, 8000), call.bot.subarray(0, 8000));
    await recorder.close();
    expect(released).toBe(8000);
    expect(sink.state).toBe('failed');
    expect(logs.text).toContain('ERR_RECORDING_DOWNSTREAM_CONNECT');
    expect(sink.stats.samplesSent).toBe(0);
  });

  it('a downstream that disconnects mid-call stops the stream, not the recording', async () => {
    const captured: Captured[] = [];
    const calls = capturingCalls(captured, (session, frames) => {
      if (frames === 20) session.disconnect('completed', 'enough');
    });
    server = await startTestServer({}, { calls });
    const logs = new LogCapture();
    const sink = createDownstreamSink({
      url: `${server.wsBase}${MONITOR}`,
      apiKey: SIGNED_KEY,
      clientSecret: SIGNED_SECRET,
      organizationId: ORG_ID,
      logger: createLogger({ level: 'debug', destination: logs }),
    });
    const recorder = new Recorder({ sinks: [sink] });
    let released = 0;
    recorder.on('chunk', (c) => (released += c.samples));
    await feed(recorder, call.caller.subarray(0, 16000), call.bot.subarray(0, 16000));
    await recorder.close();
    expect(released).toBe(16000);
    expect(sink.state).toBe('failed');
    expect(logs.text).toContain('ERR_RECORDING_DOWNSTREAM_LOST');
    expect(sink.stats.samplesSent).toBeLessThan(16000);
    expect(sink.stats.samplesSent + sink.stats.samplesDropped).toBe(16000);
  });

  it('refuses plain ws:// to anything but loopback, before connecting', async () => {
    expect(secureOrLoopback('wss://recorder.example.com/audiohook')).toBe(true);
    expect(secureOrLoopback('ws://127.0.0.1:8080/x')).toBe(true);
    expect(secureOrLoopback('ws://[::1]:8080/x')).toBe(true);
    expect(secureOrLoopback('ws://localhost/x')).toBe(true);
    expect(secureOrLoopback('ws://10.0.0.5/x')).toBe(false);
    expect(secureOrLoopback('ws://recorder.example.com/x')).toBe(false);
    expect(secureOrLoopback('http://127.0.0.1/x')).toBe(false);
    let connects = 0;
    const sink = createDownstreamSink({
      url: 'ws://recorder.example.com/audiohook',
      apiKey: SIGNED_KEY,
      connect: async () => {
        connects++;
        return { ok: false, code: 'NETWORK', message: 'unused' };
      },
    });
    await sink.ready();
    expect(sink.state).toBe('failed');
    expect(connects).toBe(0);
  });

  it('an unreachable downstream fails fast without holding up close', async () => {
    const sink = createDownstreamSink({ url: 'ws://127.0.0.1:9/api/v1/audiohook/ws', apiKey: SIGNED_KEY, openTimeoutMs: 1000 });
    const recorder = new Recorder({ sinks: [sink] });
    recorder.writeCaller(call.caller.subarray(0, 1600), 0);
    const t0 = Date.now();
    await recorder.close();
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(sink.state).toBe('failed');
  });
});

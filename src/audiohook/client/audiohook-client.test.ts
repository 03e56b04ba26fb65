import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock.js';
import { NIL_UUID, type MediaParameter } from '../protocol/messages.js';
import { AudioHookClient, type AudioHookClientOptions } from './audiohook-client.js';
import { createMemoryPipe } from './memory-pipe.js';
import { MONITOR_STEREO_OFFERS } from './offers.js';
import type { ClientTransport } from './transport.js';

// A tiny scripted server on the far end of an in-memory pipe. It answers open/ping/close the
// protocol's way unless told not to, and records everything the client sent, with clock times.
type Msg = { type: string; seq: number; serverseq: number; position: string; id: string; parameters: Record<string, any> };

class FakeServer {
  readonly messages: Msg[] = [];
  readonly frames: Array<{ at: number; bytes: Uint8Array }> = [];
  seq = 0;
  lastClientSeq = 0;
  sessionId = '';
  ended = false;
  answer = { open: true, ping: true, close: true };
  /** Replaces the media echoed in `opened` (to test the client's checks). */
  openedMedia: ((offers: MediaParameter[]) => unknown[]) | undefined;

  constructor(
    readonly end: ClientTransport,
    readonly clock: VirtualClock,
  ) {
    end.attach({
      text: (text) => this.#onText(JSON.parse(text) as Msg),
      binary: (bytes) => this.frames.push({ at: clock.now(), bytes }),
      closed: () => (this.ended = true),
    });
  }

  send(type: string, parameters: object = {}, overrides: object = {}): void {
    const msg = { version: '2', id: this.sessionId, type, seq: ++this.seq, clientseq: this.lastClientSeq, parameters, ...overrides };
    this.end.sendText(JSON.stringify(msg));
  }

  types(): string[] {
    return this.messages.map((m) => m.type);
  }

  last(type: string): Msg | undefined {
    return this.messages.filter((m) => m.type === type).at(-1);
  }

  #onText(msg: Msg): void {
    this.messages.push(msg);
    this.lastClientSeq = msg.seq;
    if (msg.type === 'open') {
      this.sessionId = msg.id;
      const media = this.openedMedia ? this.openedMedia(msg.parameters.media) : [msg.parameters.media[0]];
      if (this.answer.open) this.send('opened', { startPaused: false, media });
    } else if (msg.type === 'ping' && this.answer.ping) this.send('pong');
    else if (msg.type === 'close' && this.answer.close) this.send('closed');
  }
}

function setup(options: Partial<AudioHookClientOptions> = {}, latencyMs = 0) {
  const clock = new VirtualClock(0);
  const pipe = createMemoryPipe({ clock, latencyMs });
  const server = new FakeServer(pipe.server, clock);
  const client = new AudioHookClient({ transport: pipe.client, clock, ...options });
  return { clock, server, client };
}

async function opened(options: Partial<AudioHookClientOptions> = {}, latencyMs = 0) {
  const s = setup(options, latencyMs);
  const outcome = s.client.open();
  s.clock.advance(2 * latencyMs);
  expect((await outcome).code).toBe('OPENED');
  return s;
}

describe('AudioHookClient handshake', () => {
  it('sends open as seq 1 with the offers and call details, and becomes active on opened', async () => {
    const { clock, server, client } = setup({
      language: 'en-US',
      inputVariables: { paymentRef: 'INV-42' },
      customConfig: { bot: 'pay' },
      conversationId: '090eaa2f-72fa-480a-83e0-8667ff89c0ec',
    });
    const outcome = client.open();
    clock.advance(0);
    expect(await outcome).toEqual({
      code: 'OPENED',
      parameters: { startPaused: false, media: [{ type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 }] },
    });
    const open = server.messages[0]!;
    expect(open).toMatchObject({ type: 'open', seq: 1, serverseq: 0, position: 'PT0S', id: client.sessionId });
    expect(open.parameters).toMatchObject({
      organizationId: client.organizationId,
      conversationId: '090eaa2f-72fa-480a-83e0-8667ff89c0ec',
      language: 'en-US',
      inputVariables: { paymentRef: 'INV-42' },
      customConfig: { bot: 'pay' },
      media: [{ type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 }],
    });
    expect(open.parameters.participant.id).not.toBe(NIL_UUID);
    expect(client.state).toBe('active');
    expect(client.violations).toEqual([]);
  });

  it('offers stereo Monitor media and accepts the server choosing the mono one', async () => {
    const { client, server } = await opened({ media: MONITOR_STEREO_OFFERS });
    expect(server.messages[0]!.parameters.media).toEqual(MONITOR_STEREO_OFFERS);
    expect(client.selectedMedia).toEqual(MONITOR_STEREO_OFFERS[0]);
    expect(client.channels).toBe(2);
  });

  it('runs a connection probe: nil ids, empty numbers, one empty frame, close, closed', async () => {
    const { clock, server, client } = setup({ probe: true });
    const probe = client.probe();
    for (let i = 0; i < 5; i++) {
      clock.advance(0);
      await Promise.resolve();
    }
    expect(await probe).toMatchObject({ open: { code: 'OPENED' }, close: { code: 'CLOSED' } });
    expect(server.messages[0]!.parameters).toMatchObject({
      conversationId: NIL_UUID,
      participant: { id: NIL_UUID, ani: '', aniName: '', dnis: '' },
    });
    expect(server.frames.map((f) => f.bytes.length)).toEqual([0]);
    expect(server.types()).toEqual(['open', 'close']);
    expect(server.last('close')!.parameters).toEqual({ reason: 'end' });
    expect(server.ended).toBe(true);
  });

  it('accepts an empty media list only in probe mode', async () => {
    const probe = setup({ probe: true });
    probe.server.openedMedia = () => [];
    const a = probe.client.open();
    probe.clock.advance(0);
    expect((await a).code).toBe('OPENED');

    const normal = setup();
    normal.server.openedMedia = () => [];
    const b = normal.client.open();
    normal.clock.advance(0);
    expect(await b).toMatchObject({ code: 'FAILED', violation: { code: 400, message: 'No media selected' } });
  });

  it('times out an unanswered open after 5 s with error 408, then closes', async () => {
    const { clock, server, client } = setup();
    server.answer.open = false;
    const outcome = client.open();
    clock.advance(4999);
    expect(server.types()).toEqual(['open']);
    clock.advance(1);
    expect(await outcome).toMatchObject({ code: 'FAILED', violation: { code: 408 } });
    expect(server.types()).toEqual(['open', 'error', 'close']);
    expect(server.last('error')!.parameters).toEqual({ code: 408, message: 'Timed out waiting for opened response' });
    expect(server.last('close')!.parameters).toEqual({ reason: 'error' });
  });
});

describe('AudioHookClient checks every server message', () => {
  const offer = { type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 };
  type Case = [string, (s: FakeServer) => void, number, string];
  const afterOpen: Case[] = [
    ['a skipped seq', (s) => s.send('event', { entities: [] }, { seq: ++s.seq + 1 }), 400, 'Invalid seq'],
    ['a repeated seq', (s) => (s.send('event', { entities: [] }, { seq: s.seq }), s.seq--), 400, 'Invalid seq'],
    ['a clientseq ahead of what the client sent', (s) => s.send('event', { entities: [] }, { clientseq: 99 }), 400, 'Invalid clientseq'],
    ['another session id', (s) => s.send('event', { entities: [] }, { id: '30b0e395-84d3-4570-ac13-9a62d8f514c0' }), 400, 'Session id mismatch'],
    ['version 1', (s) => s.send('event', { entities: [] }, { version: '1' }), 400, 'Invalid version'],
    ['an unknown type', (s) => s.send('transcript', {}), 400, 'Unknown message type'],
    ['missing parameters', (s) => s.send('event', null as never), 400, 'Invalid parameters'],
    ['invalid JSON', (s) => s.end.sendText('{"version":'), 400, 'Invalid JSON'],
    ['a text message over 64 KiB', (s) => s.end.sendText(' '.repeat(70_000)), 413, 'Message too large'],
    ['a second opened', (s) => s.send('opened', { media: [offer] }), 409, 'Unexpected opened'],
    ['an unsolicited pong', (s) => s.send('pong'), 409, 'Unexpected pong'],
    ['a closed without close', (s) => s.send('closed'), 409, 'Unexpected closed'],
    ['a disconnect with a non-string output variable', (s) => s.send('disconnect', { reason: 'completed', outputVariables: { n: 1 } }), 400, 'Invalid outputVariables'],
    ['a disconnect with an unknown reason', (s) => s.send('disconnect', { reason: 'bye' }), 400, 'Invalid disconnect reason'],
  ];

  it.each(afterOpen)('answers %s with error and close', async (_what, misbehave, code, message) => {
    const { clock, server, client } = await opened({ ping: false });
    misbehave(server);
    clock.advance(0);
    expect(client.violations).toMatchObject([{ code, message }]);
    expect(server.types()).toEqual(['open', 'error', 'close']);
    expect(server.last('error')!.parameters).toEqual({ code, message });
    expect(server.last('close')!.parameters).toEqual({ reason: 'error' });
    expect(client.state).toBe('closed');
  });

  it.each<[string, (offers: MediaParameter[]) => unknown[], string]>([
    ['two media entries', (o) => [o[0], o[0]], 'More than one media selected'],
    ['a media entry not offered', () => [{ ...offer, rate: 16000 }], 'Selected media not one of the offered'],
    ['an offer with its channels reordered', () => [{ ...offer, channels: ['internal', 'external'] }], 'Selected media not one of the offered'],
  ])('rejects an opened with %s', async (_what, media, message) => {
    const { clock, server, client } = setup({ media: MONITOR_STEREO_OFFERS });
    server.openedMedia = media;
    const outcome = client.open();
    clock.advance(0);
    expect(await outcome).toMatchObject({ code: 'FAILED', violation: { code: 400, message } });
    expect(server.types()).toEqual(['open', 'error', 'close']);
  });

  it('accepts an opened echoing the offer with its keys in another order', async () => {
    const { clock, server, client } = setup();
    server.openedMedia = () => [{ rate: 8000, channels: ['external'], format: 'PCMU', type: 'audio' }];
    const outcome = client.open();
    clock.advance(0);
    expect((await outcome).code).toBe('OPENED');
  });

  it('treats audio before opened as a violation', async () => {
    const { clock, server, client } = setup();
    server.answer.open = false;
    void client.open();
    server.end.sendBinary(new Uint8Array(160));
    clock.advance(0);
    expect(client.violations).toMatchObject([{ code: 409, message: 'Unexpected audio before opened' }]);
  });

  it('signals only one error however many violations follow', async () => {
    const { clock, server, client } = await opened({ ping: false });
    server.answer.close = false;
    server.send('pong');
    server.send('pong');
    clock.advance(0);
    expect(client.violations.length).toBeGreaterThanOrEqual(2);
    expect(server.types().filter((t) => t === 'error')).toHaveLength(1);
  });
});

describe('AudioHookClient ping', () => {
  it('pings 1 s after opened and every 5 s, measuring rtt and reporting it in the next ping', async () => {
    const { clock, server, client } = await opened({}, 10);
    const t0 = clock.now();
    clock.advance(999);
    expect(server.types()).toEqual(['open']);
    clock.advance(1 + 10); // ping sent at t0+1000 arrives 10 ms later
    expect(server.last('ping')).toMatchObject({ seq: 2, parameters: {} });
    clock.advance(10);
    expect(client.rtts).toEqual([20]);
    clock.advance(t0 + 6000 + 10 - clock.now());
    expect(server.last('ping')).toMatchObject({ seq: 3, serverseq: 2, parameters: { rtt: 'PT0.02S' } });
    expect(client.violations).toEqual([]);
  });

  it('reports a missing pong as a 408 at the next ping time', async () => {
    const { clock, server, client } = await opened();
    server.answer.ping = false;
    clock.advance(6000);
    expect(client.violations).toMatchObject([{ code: 408, message: 'Timeout waiting for pong' }]);
    expect(server.types()).toEqual(['open', 'ping', 'error', 'close']);
  });

  it('accepts the pong of a ping sent just before close (the server answers it first)', async () => {
    const { clock, server, client } = await opened();
    server.answer.ping = false;
    clock.advance(1000);
    const ping = server.last('ping') as { seq: number };
    void client.close('end');
    server.send('pong', {}, { clientseq: ping.seq });
    clock.advance(0);
    expect(client.violations).toEqual([]);
  });

  it('rejects a pong whose clientseq is not the ping seq', async () => {
    const { clock, server, client } = await opened();
    server.answer.ping = false;
    clock.advance(1000);
    server.send('pong', {}, { clientseq: 1 });
    clock.advance(0);
    expect(client.violations).toMatchObject([{ code: 400, message: 'Invalid pong clientseq' }]);
  });
});

describe('AudioHookClient audio', () => {
  it('refuses audio before opened', () => {
    const { client } = setup();
    expect(client.sendAudio(new Uint8Array(160))).toBe(false);
  });

  it('paces 20 ms frames in real time on the clock and tracks the position', async () => {
    const { clock, server, client } = await opened({ ping: false });
    const audio = new Uint8Array(8000).fill(0xff); // 1 s
    const done = client.streamAudio(audio);
    clock.advance(1000);
    expect(await done).toEqual({ code: 'COMPLETED', framesSent: 50, bytesSent: 8000, bytesDiscarded: 0 });
    expect(server.frames).toHaveLength(50);
    expect(server.frames.map((f) => f.at)).toEqual(Array.from({ length: 50 }, (_, k) => k * 20));
    expect(server.frames.every((f) => f.bytes.length === 160)).toBe(true);
    client.sendDtmf('5');
    clock.advance(0);
    expect(server.last('dtmf')).toMatchObject({ position: 'PT1S', parameters: { digit: '5' } });
  });

  it('sends frames as fast as allowed when not paced, with a partial last frame', async () => {
    const { clock, server, client } = await opened({ ping: false });
    const done = client.streamAudio(new Uint8Array(1000), { paced: false, frameMs: 100 });
    clock.advance(0);
    expect(await done).toMatchObject({ code: 'COMPLETED', framesSent: 2 });
    expect(server.frames.map((f) => [f.at, f.bytes.length])).toEqual([
      [0, 800],
      [0, 200],
    ]);
    expect(client.positionSamples).toBe(1000);
  });

  it('counts stereo positions per sample frame, not per byte', async () => {
    const { client } = await opened({ media: MONITOR_STEREO_OFFERS, ping: false });
    client.sendAudio(new Uint8Array(3200));
    expect(client.positionSamples).toBe(1600);
  });

  it('stops streaming at close and sends no audio after it', async () => {
    const { clock, server, client } = await opened({ ping: false });
    server.answer.close = false;
    const done = client.streamAudio(new Uint8Array(8000));
    clock.advance(100);
    void client.close('end');
    clock.advance(900);
    expect(await done).toMatchObject({ code: 'STOPPED', framesSent: 6 });
    expect(server.frames).toHaveLength(6);
    expect(client.sendAudio(new Uint8Array(10))).toBe(false);
  });

  it('answers pause with paused, drops audio while paused, and reports the gap in resumed', async () => {
    const { clock, server, client } = await opened({ ping: false });
    const done = client.streamAudio(new Uint8Array(8000));
    clock.advance(200);
    server.send('pause');
    clock.advance(300);
    server.send('resume');
    clock.advance(500);
    const result = await done;
    expect(server.types()).toEqual(['open', 'paused', 'resumed']);
    expect(server.last('paused')!.position).toBe('PT0.22S');
    expect(server.last('resumed')!.parameters).toEqual({ start: 'PT0.22S', discarded: 'PT0.3S' });
    expect(result.bytesDiscarded).toBe(2400);
    expect(result.bytesSent + result.bytesDiscarded).toBe(8000);
    expect(client.positionSamples).toBe(8000);
  });

  it('drops audio up to opened.discardTo and reports it once with discarded', async () => {
    const { clock, server, client } = setup({ ping: false });
    server.openedMedia = (offers) => [offers[0]];
    server.answer.open = false;
    const outcome = client.open();
    clock.advance(0);
    server.send('opened', { media: [server.messages[0]!.parameters.media[0]], discardTo: 'PT0.05S' });
    clock.advance(0);
    expect((await outcome).code).toBe('OPENED');
    const done = client.streamAudio(new Uint8Array(800), { frameMs: 20 });
    clock.advance(100);
    await done;
    expect(server.frames.map((f) => f.bytes.length)).toEqual([80, 160, 160]);
    expect(server.types()).toEqual(['open', 'discarded']);
    expect(server.last('discarded')).toMatchObject({ position: 'PT0.05S', parameters: { start: 'PT0S', discarded: 'PT0.05S' } });
    expect(client.positionSamples).toBe(800);
  });

  it('collects received audio and models playout with playback_started / playback_completed', async () => {
    const { clock, server, client } = await opened({ ping: false, autoPlayback: true, collectAudio: true });
    server.end.sendBinary(new Uint8Array(1600).fill(1)); // 200 ms
    clock.advance(100);
    server.end.sendBinary(new Uint8Array(800).fill(2)); // +100 ms while still playing
    clock.advance(0);
    expect(server.types()).toEqual(['open', 'playback_started']);
    clock.advance(199);
    expect(server.types()).toEqual(['open', 'playback_started']);
    clock.advance(1);
    expect(server.types()).toEqual(['open', 'playback_started', 'playback_completed']);
    expect(server.messages.map((m) => [m.type, m.seq])).toEqual([
      ['open', 1],
      ['playback_started', 2],
      ['playback_completed', 3],
    ]);
    const audio = client.receivedAudio();
    expect(audio.length).toBe(2400);
    expect(audio[0]).toBe(1);
    expect(audio[2399]).toBe(2);
  });
});

describe('AudioHookClient ending', () => {
  it('answers disconnect with close reason disconnect, then ends on closed', async () => {
    const { clock, server, client } = await opened({ ping: false });
    const events: string[] = [];
    client.on('disconnect', () => events.push('disconnect'));
    client.on('closed', () => events.push('closed'));
    client.on('ended', () => events.push('ended'));
    server.send('disconnect', { reason: 'completed', info: 'payment captured', outputVariables: { paymentStatus: 'APPROVED' } });
    clock.advance(0);
    expect(client.disconnectParameters).toEqual({ reason: 'completed', info: 'payment captured', outputVariables: { paymentStatus: 'APPROVED' } });
    expect(server.types()).toEqual(['open', 'close']);
    expect(server.last('close')).toMatchObject({ serverseq: 2, parameters: { reason: 'disconnect' } });
    expect(events).toEqual(['disconnect', 'closed', 'ended']);
    expect(client.state).toBe('closed');
    expect(server.ended).toBe(true);
  });

  it('ends a close transaction the server never answers after 10 s with error 408', async () => {
    const { clock, server, client } = await opened({ ping: false });
    server.answer.close = false;
    const outcome = client.close('end');
    clock.advance(9999);
    expect(client.state).toBe('closing');
    clock.advance(1);
    expect(await outcome).toEqual({ code: 'TIMEOUT' });
    expect(server.types()).toEqual(['open', 'close', 'error']);
    expect(server.last('error')!.parameters).toEqual({ code: 408, message: 'Close transaction timeout' });
    expect(server.ended).toBe(true);
  });

  it('records a timeline of every message both ways with clock times', async () => {
    const { clock, client } = await opened({ ping: false }, 5);
    client.sendAudio(new Uint8Array(160));
    const closing = client.close();
    clock.advance(10);
    await closing;
    expect(client.timeline.map((e) => [e.at, e.dir, e.kind === 'text' ? e.type : e.bytes])).toEqual([
      [0, 'out', 'open'],
      [10, 'in', 'opened'],
      [10, 'out', 160],
      [10, 'out', 'close'],
      [20, 'in', 'closed'],
    ]);
  });

  it('can keep only text messages in the timeline, for long or many calls', async () => {
    const { clock, client } = await opened({ ping: false, timeline: 'text' });
    void client.streamAudio(new Uint8Array(800), { paced: false });
    client.sendDtmf('1');
    clock.advance(0);
    expect(client.timeline.map((e) => (e.kind === 'text' ? e.type : 'binary'))).toEqual(['open', 'opened', 'dtmf']);
  });

  it('sends raw text and frames whatever the state, for fuzzing servers', async () => {
    const { clock, server, client } = setup();
    client.sendRawBinary(new Uint8Array(3));
    client.sendRawText('{"not":"a message"}');
    clock.advance(0);
    expect(server.frames).toHaveLength(1);
    expect(server.messages).toEqual([{ not: 'a message' }]);
  });
});

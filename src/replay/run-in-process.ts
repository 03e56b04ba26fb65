// Runs a fixture in-process on a VirtualClock: AudioHook client <-> memory pipe <-> ServerSession
// <-> the real payment call wiring, with the sandbox gateway in-process. Time jumps from timer
// to timer, and never moves while a gateway request is doing real async work, so a fixture gives
// the same timeline every run, byte for byte.
import { createHash } from 'node:crypto';
import { VirtualClock } from '../core/clock.js';
import { PayhookError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/log.js';
import { AudioHookClient } from '../audiohook/client/audiohook-client.js';
import { createMemoryPipe } from '../audiohook/client/memory-pipe.js';
import { ServerSession, type SessionSocket } from '../audiohook/server/server-session.js';
import { PaymentCall } from '../call/payment-call.js';
import { parsePaymentConfig } from '../payment/config.js';
import type { GatewayClient } from '../payment/gateway/types.js';
import { AudioTrack } from './audio-track.js';
import { REPLAY_ERRORS } from './errors.js';
import { checkExpectation, type Check } from './expectation.js';
import { followCall, followClient, mergeSpans } from './follow.js';
import type { LoadedFixture } from './load-fixture.js';
import { createReplayGateway } from './sim-gateway.js';
import { ScriptedCaller } from './scripted-caller.js';
import { Timeline, type TimelineEvent } from './timeline.js';

export interface ReplayResult {
  readonly name: string;
  readonly mode: 'in-process' | 'live';
  readonly timeline: TimelineEvent[];
  readonly outputVariables: Record<string, string> | undefined;
  readonly check: Check;
  /** Call length on the call's clock, ms (open to the end of the call). */
  readonly durationMs: number;
  /** Mu-law audio from the caller's first frame on: what the caller sent, and the bot as heard. */
  readonly audio: { readonly caller: Uint8Array; readonly bot: Uint8Array };
}

export interface InProcessOptions {
  /** Logs of the server side (tests capture them); silent by default. */
  readonly logger?: Logger;
  readonly promptsDir?: string;
}

/** Deterministic UUIDs for a fixture, so ids (and the idempotency keys built from them) repeat. */
function uuidFor(seed: string, n: number): string {
  const h = createHash('sha256').update(`${seed}/${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runInProcess(loaded: LoadedFixture, options: InProcessOptions = {}): Promise<ReplayResult> {
  const { fixture, script, name } = loaded;
  const logger = options.logger ?? silentLogger();
  const clock = new VirtualClock(0);
  const epoch = Date.parse(fixture.now);
  const wallClock = () => epoch + clock.now();
  const timeline = new Timeline(() => clock.now());
  const gateway = createReplayGateway({ clock, behaviour: fixture.gateway, wallClock, timeline });

  const rawGateway = (fixture.config.gateway ?? {}) as Record<string, unknown>;
  const parsed = parsePaymentConfig({ ...fixture.config, gateway: { provider: 'stripe', baseUrl: 'http://127.0.0.1:4242', ...rawGateway } });
  if (!parsed.ok) {
    await gateway.close();
    throw new PayhookError('ERR_REPLAY_CONFIG_INVALID', REPLAY_ERRORS.ERR_REPLAY_CONFIG_INVALID, { issues: parsed.issues });
  }
  const client$ = gateway.client(parsed.value.gateway);
  if ('code' in client$) {
    await gateway.close();
    throw new PayhookError('ERR_REPLAY_CONFIG_INVALID', REPLAY_ERRORS.ERR_REPLAY_CONFIG_INVALID, { issues: [{ path: 'gateway', message: client$.code }] });
  }
  const gatewayClient: GatewayClient = client$;

  const ids = { session: uuidFor(name, 1), org: uuidFor(name, 2), conversation: uuidFor(name, 3), participant: uuidFor(name, 4) };
  const pipe = createMemoryPipe({ clock });
  const call = new PaymentCall({
    setup: { id: fixture.connector, config: parsed.value, gateway: gatewayClient },
    clock,
    logger,
    wallClock,
    ...(options.promptsDir ? { promptsDir: options.promptsDir } : {}),
  });
  const socket: SessionSocket = {
    send: (data) => (typeof data === 'string' ? pipe.server.sendText(data) : pipe.server.sendBinary(data)),
    close: (code, reason) => pipe.server.close(code, reason),
    bufferedAmount: 0,
  };
  const session = new ServerSession({
    socket,
    sessionId: ids.session,
    organizationId: ids.org,
    connectorId: fixture.connector,
    flavour: 'audioconnector',
    clock,
    logger,
    onOpen: (request) => call.onOpen(request),
  });
  call.attach(session);
  pipe.server.attach({
    text: (text) => session.handleText(text),
    binary: (bytes) => session.handleBinary(bytes),
    closed: () => session.handleSocketClosed(),
  });

  const client = new AudioHookClient({
    transport: pipe.client,
    clock,
    sessionId: ids.session,
    organizationId: ids.org,
    conversationId: ids.conversation,
    participant: { id: ids.participant, ani: '+15555551234', aniName: 'PayHook replay caller', dnis: '+18005556789' },
    inputVariables: fixture.inputVariables,
    ...(fixture.language ? { language: fixture.language } : {}),
    autoPlayback: true,
    ping: false,
    timeline: 'none',
  });
  const { masked } = followCall(call, timeline);
  followClient(client, timeline, { botAudio: false });

  const caller = new ScriptedCaller(client, clock, script, { timeline, keepAudio: true });
  const bot = new AudioTrack();
  let callerStart: number | undefined;
  let botCursor = 0;
  client.on('opened', () => {
    callerStart = clock.now();
    caller.start();
  });
  client.on('audio', (bytes) => {
    // Place the bot's audio where the caller's playout buffer would play it.
    const now = Math.round(((clock.now() - (callerStart ?? 0)) * 8000) / 1000);
    botCursor = Math.max(botCursor, now);
    bot.put(botCursor, bytes);
    botCursor += bytes.length;
  });
  let outputs: Record<string, string> | undefined;
  let ended = false;
  call.on('finished', (_outcome, vars) => (outputs = vars));
  call.on('ended', () => (ended = true));

  timeline.add('caller', `opens: ${fixture.connector}, ${Object.keys(fixture.inputVariables).length} input variables`);
  void client.open();
  const cap = fixture.maxSeconds * 1000;
  const done = () => client.state === 'closed' && (ended || outputs !== undefined) && gateway.pending() === 0;
  for (;;) {
    do await nextTurn();
    while (gateway.pending() > 0);
    if (done()) break;
    const next = clock.nextTimerAt();
    if (next === undefined || next > cap) break;
    clock.advanceTo(next);
  }
  caller.stop();
  let timedOut = false;
  if (!done()) {
    timedOut = true;
    timeline.add('note', `${REPLAY_ERRORS.ERR_REPLAY_TIMED_OUT.message} (${fixture.maxSeconds} s)`);
    call.close();
    session.abort();
  }
  for (const span of mergeSpans(masked)) {
    const end = Number.isFinite(span.end) ? `${(span.end / 8000).toFixed(3)} s` : 'the end';
    timeline.add('mask', `masked caller ${(span.start / 8000).toFixed(3)} s to ${end} (${span.why})`);
  }
  await gateway.close();

  const check = checkExpectation(fixture.expect, outputs);
  const finalCheck = timedOut ? { ok: false, differences: [`${REPLAY_ERRORS.ERR_REPLAY_TIMED_OUT.message}`, ...check.differences] } : check;
  return {
    name,
    mode: 'in-process',
    timeline: timeline.events,
    outputVariables: outputs,
    check: finalCheck,
    durationMs: clock.now(),
    audio: { caller: caller.sentAudio(), bot: bot.bytes() },
  };
}

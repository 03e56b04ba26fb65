// One load-test call: connect signed, open, run the fixture's caller in real time, and measure
// what the caller experiences: open-to-opened, last key to the bot's answer, and the bot's audio
// arriving late (the client's playout buffer running dry mid-utterance).
import { randomUUID } from 'node:crypto';
import { systemClock } from '../core/clock.js';
import { connectClient } from '../audiohook/client/connect.js';
import { PlayoutModel } from '../audiohook/client/playout-model.js';
import type { LoadedFixture } from '../replay/load-fixture.js';
import { followClient } from '../replay/follow.js';
import { ScriptedCaller } from '../replay/scripted-caller.js';
import { formatTimeline, Timeline } from '../replay/timeline.js';

/** Audio arriving this soon after the buffer ran dry is an underrun, not a new utterance. */
const UNDERRUN_WINDOW_MS = 500;
/** A bot answer later than this after the keys is a reprompt after a timeout, not a response. */
const RESPONSE_WINDOW_MS = 5000;

export interface CallTarget {
  readonly url: string;
  readonly apiKey: string;
  readonly clientSecret: string;
}

export type CallFailure = 'connect' | 'open' | 'violation' | 'timeout' | 'unexpected_result' | 'no_result' | 'stopped';

export interface CallMeasure {
  readonly fixture: string;
  readonly ok: boolean;
  readonly failure?: CallFailure;
  /** HTTP status or network reason for connect failures; violation code otherwise. */
  readonly detail?: string;
  readonly result?: string;
  readonly openMs?: number;
  readonly responseMs: number[];
  /** Gaps (ms) where the bot's audio arrived after the caller's buffer had run dry. */
  readonly gapsMs: number[];
  /** Buffered audio (ms) when each continuing chunk arrived: how far ahead the server kept. */
  readonly leadMs: number[];
  /** A protocol complaint of the client after the disconnect arrived (not a failure). */
  readonly lateViolation?: string;
  /** The caller's view of a failed call (steps as key counts, bot speech bursts), for diagnosis. */
  readonly trace?: string;
}

export interface CallControl {
  /** Ends the call early (duration cap). */
  stop(): void;
}

export function startLoadCall(
  loaded: LoadedFixture,
  target: CallTarget,
  timeoutMs: number,
  frameMs: number,
  onControl: (control: CallControl) => void,
): Promise<CallMeasure> {
  const responseMs: number[] = [];
  const gapsMs: number[] = [];
  const leadMs: number[] = [];
  const base = { fixture: loaded.name, responseMs, gapsMs, leadMs };
  return (async (): Promise<CallMeasure> => {
    const connected = await connectClient(
      { url: target.url, apiKey: target.apiKey, clientSecret: target.clientSecret, organizationId: randomUUID(), handshakeTimeoutMs: 10_000 },
      { conversationId: randomUUID(), inputVariables: loaded.fixture.inputVariables, autoPlayback: true, timeline: 'none', ...(loaded.fixture.language ? { language: loaded.fixture.language } : {}) },
    );
    if (!connected.ok) return { ...base, ok: false, failure: 'connect', detail: connected.code === 'HTTP_STATUS' ? `http_${connected.status}` : connected.code.toLowerCase() };
    const { client } = connected;
    const t0 = performance.now();
    const timeline = new Timeline(() => performance.now() - t0);
    followClient(client, timeline, { botAudio: true });
    const caller = new ScriptedCaller(client, systemClock, loaded.script, { timeline, frameMs });
    let keysAt: number | undefined;
    let lastKeysAt = Number.NEGATIVE_INFINITY;
    caller.observer = {
      keysSent: (at) => (keysAt = lastKeysAt = at),
      botAudio: (at) => {
        if (keysAt !== undefined && at - keysAt <= RESPONSE_WINDOW_MS) responseMs.push(at - keysAt);
        keysAt = undefined;
      },
    };
    const playout = new PlayoutModel(8000);
    let drainsAt = Number.NEGATIVE_INFINITY;
    client.on('audio', (bytes) => {
      const now = performance.now();
      const dryFor = now - drainsAt;
      // A short silence is an underrun unless the caller keyed something in it (then it is a reply).
      if (dryFor > 0 && dryFor < UNDERRUN_WINDOW_MS && lastKeysAt < drainsAt) gapsMs.push(dryFor);
      else if (dryFor <= 0) leadMs.push(-dryFor);
      drainsAt = playout.receive(bytes.length, now).drainsAt;
    });
    let violation: string | undefined;
    let lateViolation: string | undefined;
    client.on('violation', (v) => {
      const what = `${v.code}${v.type ? `_${v.type}` : ''}`;
      // After the disconnect, the call's result is in: a strict client's complaint about a message
      // that crossed its close (a pong for an earlier ping) is noted, not counted as a failed call.
      if (client.disconnectParameters) lateViolation ??= what;
      else violation ??= what;
    });
    const ended = new Promise<void>((resolve) => client.once('ended', () => resolve()));
    let stopped = false;
    onControl({
      stop: () => {
        stopped = true;
        caller.stop();
        void client.close('end');
      },
    });
    const openedAt = performance.now();
    const open = await client.open();
    const openMs = performance.now() - openedAt;
    if (open.code !== 'OPENED') {
      await client.close('end');
      return { ...base, ok: false, failure: 'open', detail: open.code.toLowerCase() };
    }
    caller.start();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([ended.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs)))]);
    clearTimeout(timer);
    caller.stop();
    if (timedOut) await client.close('end');
    const result = client.disconnectParameters?.outputVariables?.PAYHOOK_RESULT;
    const measured = {
      ...base,
      openMs,
      ...(result ? { result } : {}),
      ...(lateViolation ? { lateViolation } : {}),
      trace: formatTimeline(timeline.events),
    };
    if (stopped) return { ...measured, ok: false, failure: 'stopped' };
    if (timedOut) return { ...measured, ok: false, failure: 'timeout' };
    if (violation) return { ...measured, ok: false, failure: 'violation', detail: violation };
    if (!result) return { ...measured, ok: false, failure: 'no_result' };
    const expected = loaded.fixture.expect?.result;
    const reason = client.disconnectParameters?.outputVariables?.PAYHOOK_FAILURE_REASON;
    if (expected && expected !== result) return { ...measured, ok: false, failure: 'unexpected_result', detail: `${expected}->${result}${reason ? `(${reason})` : ''}` };
    const { trace: _trace, ...passed } = measured;
    return { ...passed, ok: true };
  })();
}

// The server session's protocol logic as one pure function: (state, event) -> (state, effects).
// No socket, clock, logger or audio bytes here; the shell in server-session.ts runs the effects.
import { disconnectReasonFor, specOf, type AudiohookErrorCode } from '../errors.js';
import { durationToSamples } from '../protocol/duration.js';
import {
  NIL_UUID,
  type ClientMessage,
  type ClientEnvelope,
  type DisconnectReason,
  type ServerMessage,
  type ServerMessageType,
  type ServerParametersMap,
  type StringMap,
} from '../protocol/messages.js';
import { isClientMessageType, loggableType, parseClientText, validateEnvelope, validateParameters } from '../protocol/validate.js';
import { selectMedia } from './media-select.js';
import {
  AUDIO_CONNECTOR_ONLY,
  AUDIO_IN,
  DISCONNECT_ALLOWED_IN,
  EVENTS_ALLOWED_IN,
  LIVE_TIMERS,
  MESSAGE_DISPOSITION,
  PAUSE_RESUME_IN,
  SIGNAL_ERRORS_IN,
  type Effect,
  type EndCause,
  type OpenDecision,
  type Phase,
  type SessionEvent,
  type SessionState,
  type TimerName,
} from './state.js';

export interface TransitionResult {
  readonly state: SessionState;
  readonly effects: readonly Effect[];
}

/** WebSocket close codes the session uses when it closes the socket itself. */
export const CLOSE_CODES = { normal: 1000, policy: 1008, serverError: 1011 } as const;

/** Pure; does not execute effects. Total: every (state, event) pair yields a result. */
export function transition(state: SessionState, event: SessionEvent): TransitionResult {
  if (state.phase === 'ended') return { state, effects: [] };
  const t = new Step(state);
  switch (event.kind) {
    case 'text':
      onText(t, event.text);
      break;
    case 'binary':
      onBinary(t, event.byteLength);
      break;
    case 'open-decided':
      onOpenDecided(t, event.decision);
      break;
    case 'open-hook-failed':
      if (t.state.phase === 'opening') t.clearTimer('open-hook').signal('ERR_SESSION_OPEN_HOOK_FAILED', 'onOpen');
      break;
    case 'close-flushed':
      sendClosed(t);
      break;
    case 'timer':
      onTimer(t, event.timer);
      break;
    case 'pause':
    case 'resume':
      onPauseResume(t, event.kind);
      break;
    case 'disconnect':
      if (DISCONNECT_ALLOWED_IN[t.state.phase] && t.state.disconnected === null) {
        t.disconnect(event.reason, event.info, event.outputVariables);
      } else {
        t.effect({ kind: 'ignored', what: 'disconnect', why: `phase ${t.state.phase}` });
      }
      break;
    case 'send-event':
      if (EVENTS_ALLOWED_IN[t.state.phase]) t.send('event', { entities: event.entities });
      else t.effect({ kind: 'ignored', what: 'event', why: `phase ${t.state.phase}` });
      break;
    case 'fault':
      t.signal(event.code, 'server');
      break;
    case 'socket-closed':
      t.end('socket-closed');
      break;
    case 'abort':
      t.closeSocket(CLOSE_CODES.serverError, 'aborted').end('aborted');
      break;
    default:
      assertNever(event);
  }
  return { state: t.state, effects: t.effects };
}

/** Accumulates one transition's state changes and effects. */
class Step {
  readonly effects: Effect[] = [];
  constructor(public state: SessionState) {}

  set(patch: Partial<SessionState>): this {
    this.state = { ...this.state, ...patch };
    return this;
  }

  effect(effect: Effect): this {
    this.effects.push(effect);
    return this;
  }

  send<T extends ServerMessageType>(type: T, parameters: ServerParametersMap[T]): this {
    const seq = this.state.seq + 1;
    const message = {
      version: '2',
      id: this.state.config.sessionId,
      type,
      seq,
      clientseq: this.state.clientseq,
      parameters,
    } as ServerMessage;
    this.state = { ...this.state, seq };
    return this.effect({ kind: 'send', message });
  }

  setTimer(timer: TimerName, ms: number): this {
    return this.effect({ kind: 'set-timer', timer, ms });
  }

  clearTimer(timer: TimerName): this {
    return this.effect({ kind: 'clear-timer', timer });
  }

  closeSocket(code: number, reason: string): this {
    return this.effect({ kind: 'close-socket', code, reason });
  }

  end(cause: EndCause): this {
    this.set({ phase: 'ended' });
    return this.effect({ kind: 'end', cause });
  }

  /** Sends the one `disconnect` of the session and waits for the client's `close`. */
  disconnect(reason: DisconnectReason, info: string | undefined, outputVariables?: StringMap): this {
    const parameters: ServerParametersMap['disconnect'] = { reason };
    if (info !== undefined) parameters.info = info;
    if (outputVariables !== undefined) parameters.outputVariables = outputVariables;
    this.send('disconnect', parameters);
    for (const timer of LIVE_TIMERS) this.clearTimer(timer);
    this.set({ phase: reason === 'error' ? 'signaled-error' : 'disconnecting', disconnected: reason });
    return this.setTimer('close', this.state.config.timeouts.closeTimeoutMs);
  }

  /** A fault: signalled with the registry's fixed info when the phase allows and none was sent. */
  signal(code: AudiohookErrorCode, detail: string): this {
    const signalled = SIGNAL_ERRORS_IN[this.state.phase] && this.state.disconnected === null;
    this.effect({ kind: 'fault', code, detail, signalled });
    return signalled ? this.disconnect(disconnectReasonFor(code), specOf(code).message) : this;
  }
}

function onText(t: Step, text: string): void {
  const parsed = parseClientText(text);
  const checked = parsed.ok ? validateEnvelope(parsed.value) : parsed;
  if (!checked.ok) return void t.effect({ kind: 'received', type: 'invalid' }).signal(checked.code, checked.detail);
  const envelope = checked.envelope;
  t.effect({ kind: 'received', type: isClientMessageType(envelope.type) ? envelope.type : 'unknown' });
  // Once a disconnect is out (or the client closed) a fault can only be counted. Processing then
  // goes on regardless, so that whatever broke, the client's `close` is still found and answered.
  const canSignal = SIGNAL_ERRORS_IN[t.state.phase] && t.state.disconnected === null;
  if (envelope.seq !== t.state.clientseq + 1) {
    t.signal('ERR_PROTO_SEQ_MISMATCH', 'seq');
    if (canSignal) return;
  }
  t.set({ clientseq: envelope.seq });
  if (envelope.serverseq > t.state.seq) {
    t.signal('ERR_PROTO_SERVERSEQ_AHEAD', 'serverseq');
    if (canSignal) return;
  }
  if (envelope.id !== t.state.config.sessionId) {
    t.signal('ERR_PROTO_SESSION_ID_MISMATCH', 'id');
    if (canSignal) return;
  }

  const typed = validateParameters(envelope);
  if (!typed.ok && typed.code === 'ERR_PROTO_UNKNOWN_TYPE') return void unknownType(t, envelope.type);
  if (!typed.ok) {
    t.signal(typed.code, `${envelope.type}.${typed.detail}`);
    if (canSignal || envelope.type !== 'close' || MESSAGE_DISPOSITION[t.state.phase].close !== 'handle') return;
    return void handleMessage(t, { ...(envelope as unknown as ClientEnvelope<'close'>), parameters: { reason: 'error' } });
  }
  const message = typed.message;
  if (t.state.config.flavour === 'monitor' && AUDIO_CONNECTOR_ONLY.has(message.type)) return void unknownType(t, message.type);

  const disposition = MESSAGE_DISPOSITION[t.state.phase][message.type];
  if (disposition === 'violation') return void t.signal('ERR_PROTO_UNEXPECTED_MESSAGE', `${message.type} in ${t.state.phase}`);
  if (disposition === 'ignore') return void t.effect({ kind: 'ignored', what: message.type, why: `phase ${t.state.phase}` });
  handleMessage(t, message);
}

function unknownType(t: Step, type: string): void {
  if (t.state.config.flavour === 'audioconnector') {
    t.effect({ kind: 'ignored', what: loggableType(type), why: 'unknown type' });
  } else {
    t.signal('ERR_PROTO_UNKNOWN_TYPE', loggableType(type));
  }
}

type Handlers = { readonly [T in ClientMessage['type']]: (t: Step, m: Extract<ClientMessage, { type: T }>) => void };

const handlers: Handlers = {
  open: (t, m) => {
    t.clearTimer('open');
    const p = m.parameters;
    const org = t.state.config.organizationId;
    if (org !== undefined && p.organizationId.toLowerCase() !== org.toLowerCase()) {
      return void t.signal('ERR_PROTO_ORG_MISMATCH', 'organizationId');
    }
    const probe = p.conversationId === NIL_UUID && p.participant.id === NIL_UUID;
    const media = selectMedia(p.media, t.state.config.flavour);
    // A probe only tests reachability; failing it blocks activation, so it gets an empty
    // selection (which the reference client accepts) rather than an error.
    if (media === null && !probe) return void t.signal('ERR_PROTO_NO_ACCEPTABLE_MEDIA', 'media');
    t.set({ phase: 'opening', media, probe })
      .effect({ kind: 'call-open-hook', parameters: p, probe, media })
      .setTimer('open-hook', t.state.config.timeouts.openHookTimeoutMs);
  },
  close: (t, m) => {
    for (const timer of [...LIVE_TIMERS, 'close'] as const) t.clearTimer(timer);
    t.set({ phase: 'closing' })
      .effect({ kind: 'notify', notice: { type: 'closing', reason: m.parameters.reason } })
      .effect({ kind: 'call-close-hook', reason: m.parameters.reason })
      .setTimer('close-hook', t.state.config.timeouts.closeHookTimeoutMs);
  },
  ping: (t) => void t.send('pong', {}),
  paused: (t) => {
    if (t.state.phase === 'active') t.set({ phase: 'paused' });
    t.effect({ kind: 'notify', notice: { type: 'paused' } });
  },
  resumed: (t, m) => {
    const gap = gapOf(m.parameters);
    t.set({ positionSamples: t.state.positionSamples + gap.discardedSamples });
    if (t.state.phase === 'paused') t.set({ phase: 'active' });
    t.effect({ kind: 'notify', notice: { type: 'resumed', gap } });
  },
  discarded: (t, m) => {
    const gap = gapOf(m.parameters);
    t.set({ positionSamples: t.state.positionSamples + gap.discardedSamples });
    t.effect({ kind: 'notify', notice: { type: 'discarded', gap } });
  },
  update: (t, m) => {
    t.send('updated', {}).effect({ kind: 'notify', notice: { type: 'update', language: m.parameters.language } });
  },
  error: (t, m) => {
    const { code, message, retryAfter } = m.parameters;
    const retryAfterMs = retryAfter === undefined ? undefined : durationToSamples(retryAfter) / 8;
    t.effect({ kind: 'notify', notice: { type: 'clienterror', code, message, retryAfterMs } });
  },
  dtmf: (t, m) => {
    const positionSamples = durationToSamples(m.position);
    t.effect({ kind: 'notify', notice: { type: 'dtmf', digit: m.parameters.digit, positionSamples } });
  },
  playback_started: (t, m) =>
    void t.effect({ kind: 'notify', notice: { type: 'playbackstarted', positionSamples: durationToSamples(m.position) } }),
  playback_completed: (t, m) =>
    void t.effect({ kind: 'notify', notice: { type: 'playbackcompleted', positionSamples: durationToSamples(m.position) } }),
};

function handleMessage(t: Step, message: ClientMessage): void {
  (handlers[message.type] as (t: Step, m: ClientEnvelope) => void)(t, message);
}

function gapOf(p: { start: string; discarded: string }) {
  return { startSamples: durationToSamples(p.start), discardedSamples: durationToSamples(p.discarded) };
}

function onBinary(t: Step, byteLength: number): void {
  const disposition = AUDIO_IN[t.state.config.flavour][t.state.phase];
  if (disposition === 'violation') return void t.signal('ERR_PROTO_UNEXPECTED_AUDIO', `audio in ${t.state.phase}`);
  if (disposition !== 'deliver') return void t.effect({ kind: 'drop-audio', reason: disposition });
  const channels = t.state.media?.channels.length ?? 0;
  // A probe may be open with no media selected: its (empty) frames carry nothing to deliver.
  if (channels === 0) return void t.effect({ kind: 'drop-audio', reason: 'before-open' });
  if (byteLength % channels !== 0) return void t.signal('ERR_PROTO_BAD_FRAME_SIZE', 'binary');
  t.effect({ kind: 'deliver-audio', positionSamples: t.state.positionSamples });
  t.set({ positionSamples: t.state.positionSamples + byteLength / channels });
}

function onOpenDecided(t: Step, decision: OpenDecision): void {
  // A decision that arrives after a timeout, a close or a disconnect has nothing left to decide.
  if (t.state.phase !== 'opening') return void t.effect({ kind: 'ignored', what: 'open decision', why: `phase ${t.state.phase}` });
  t.clearTimer('open-hook');
  if (!decision.accept) {
    const reason = decision.reason ?? 'error';
    return void t.disconnect(reason, decision.info ?? specOf('ERR_SESSION_OPEN_REJECTED').message);
  }
  const startPaused = decision.startPaused ?? t.state.startPaused;
  const parameters: ServerParametersMap['opened'] = { media: t.state.media ? [t.state.media] : [] };
  if (startPaused) parameters.startPaused = true;
  if (decision.discardTo !== undefined) parameters.discardTo = decision.discardTo;
  t.send('opened', parameters)
    .set({ phase: startPaused ? 'paused' : 'active', startPaused })
    .setTimer('idle', t.state.config.timeouts.idleTimeoutMs)
    .effect({ kind: 'notify', notice: { type: 'opened', media: t.state.media, probe: t.state.probe, startPaused } });
}

function onTimer(t: Step, timer: TimerName): void {
  const phase: Phase = t.state.phase;
  const due: { readonly [N in TimerName]: boolean } = {
    open: phase === 'awaiting-open',
    'open-hook': phase === 'opening',
    idle: phase === 'opening' || phase === 'active' || phase === 'paused',
    close: phase === 'disconnecting' || phase === 'signaled-error',
    'close-hook': phase === 'closing',
    linger: phase === 'closed',
  };
  if (!due[timer]) return void t.effect({ kind: 'ignored', what: `timer ${timer}`, why: `phase ${phase}` });
  switch (timer) {
    case 'open':
      return void t.closeSocket(CLOSE_CODES.policy, 'open timeout').end('open-timeout');
    case 'open-hook':
      return void t.signal('ERR_SESSION_OPEN_HOOK_TIMEOUT', 'onOpen');
    case 'idle':
      return void t.signal('ERR_SESSION_IDLE_TIMEOUT', 'idle');
    case 'close':
      return void t.closeSocket(CLOSE_CODES.policy, 'close timeout').end('close-timeout');
    case 'close-hook':
      return void sendClosed(t);
    case 'linger':
      return void t.closeSocket(CLOSE_CODES.normal, 'closed').end('linger-timeout');
    default:
      assertNever(timer);
  }
}

function sendClosed(t: Step): void {
  if (t.state.phase !== 'closing') return void t.effect({ kind: 'ignored', what: 'close flush', why: `phase ${t.state.phase}` });
  t.clearTimer('close-hook')
    .send('closed', {})
    .set({ phase: 'closed' })
    .setTimer('linger', t.state.config.timeouts.lingerMs);
}

function onPauseResume(t: Step, kind: 'pause' | 'resume'): void {
  const mode = PAUSE_RESUME_IN[t.state.phase];
  if (mode === 'send') t.send(kind, {});
  else if (mode === 'preset') t.set({ startPaused: kind === 'pause' });
  else t.effect({ kind: 'ignored', what: kind, why: `phase ${t.state.phase}` });
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

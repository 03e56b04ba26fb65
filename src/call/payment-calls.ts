// The CallFactory for the server: Audio Connector sessions run a payment call for their
// connector; Monitor sessions only speak the protocol (masking relay comes with recording).
import type { Clock } from '../core/clock.js';
import type { Participant } from '../audiohook/protocol/messages.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import type { CallFactory } from '../server/call-binding.js';
import type { SessionStore } from '../store/session-store.js';
import { CallRecord } from './call-record.js';
import { createCallRecorder, type RecordingSettings } from './call-recording.js';
import type { CallBinding, CallContext } from '../server/call-binding.js';
import type { ConnectorSetup } from './connectors.js';
import { PaymentCall } from './payment-call.js';

export interface PaymentCallsOptions {
  connectors: ReadonlyMap<string, ConnectorSetup>;
  clock: Clock;
  wallClock?: () => number;
  inband?: boolean;
  promptsDir?: string;
  /** Where call records go; none in tests that do not look at them. */
  store?: SessionStore;
  /** Masked recordings (files and/or a downstream AudioHook stream); none: no recording. */
  recording?: RecordingSettings;
}

/**
 * Monitor sessions: PayHook as a masking relay. Genesys AudioHook Monitor audio (stereo: customer
 * and agent) goes through the masker, and only masked audio reaches the recording sinks.
 */
function monitorRelay(options: PaymentCallsOptions, ctx: CallContext): CallBinding {
  const settings = options.recording;
  if (!settings) return { onOpen: () => ({ accept: true }) };
  let ids: { conversationId: string; participant: Participant } | undefined;
  return {
    onOpen: (req) => {
      if (!req.probe) ids = { conversationId: req.parameters.conversationId, participant: req.parameters.participant };
      return { accept: true };
    },
    attach(session) {
      session.once('opened', (info) => {
        if (info.probe || !ids) return;
        const recorder = createCallRecorder(settings, { sessionId: ctx.auth.sessionId, organizationId: ctx.auth.organizationId, ...ids }, options.clock, ctx.logger);
        if (!recorder) return;
        const stereo = (info.media?.channels.length ?? 1) === 2;
        // Stereo frames are interleaved in the offered order; the recorder wants external first.
        const swapped = stereo && info.media?.channels[0] === 'internal';
        session.on('audio', (frame, position) => {
          if (!stereo) return recorder.writeCaller(frame, position);
          recorder.writeStereo(swapped ? swapPairs(frame) : frame, position);
        });
        session.addCleanup(() => void recorder.close());
      });
    },
  };
}

function swapPairs(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length);
  for (let i = 0; i + 1 < frame.length; i += 2) {
    out[i] = frame[i + 1]!;
    out[i + 1] = frame[i]!;
  }
  return out;
}

/** Lets records, the live view and tests follow every call the factory makes. */
export class CallDirectory extends TypedEmitter<{ call: [call: PaymentCall, connectorId: string] }> {
  announce(call: PaymentCall, connectorId: string): void {
    this.safeEmit('call', call, connectorId);
  }
}

export function createPaymentCalls(options: PaymentCallsOptions, directory = new CallDirectory()): CallFactory {
  return (ctx) => {
    const setup = ctx.connectorId === undefined ? undefined : options.connectors.get(ctx.connectorId);
    if (ctx.flavour === 'monitor') return monitorRelay(options, ctx);
    if (!setup) return { onOpen: () => ({ accept: true }) };
    const call = new PaymentCall({
      setup,
      clock: options.clock,
      logger: ctx.logger,
      ...(options.wallClock ? { wallClock: options.wallClock } : {}),
      ...(options.inband === undefined ? {} : { inband: options.inband }),
      ...(options.promptsDir ? { promptsDir: options.promptsDir } : {}),
      ...(options.store
        ? {
            record: new CallRecord(
              options.store,
              { sessionId: ctx.auth.sessionId, organizationId: ctx.auth.organizationId, connectorId: ctx.connectorId!, apiKey: ctx.auth.apiKey },
              ctx.logger,
            ),
          }
        : {}),
      ...(options.recording
        ? {
            recorder: (ids: { conversationId: string; participant: Participant }) =>
              createCallRecorder(options.recording!, { sessionId: ctx.auth.sessionId, organizationId: ctx.auth.organizationId, ...ids }, options.clock, ctx.logger),
          }
        : {}),
    });
    directory.announce(call, ctx.connectorId!);
    return { onOpen: (req) => call.onOpen(req), attach: (session) => call.attach(session) };
  };
}

// One payment call: the wiring of a protocol session to the payment dialog. Caller audio goes
// through the DTMF detector, in-band and out-of-band digits are merged into one press each, the
// dialog's prompts are played by the paced playout, its charge goes to the connector's gateway,
// and its finish becomes the session's disconnect with the flow's output variables.
// The same wiring runs live (system clock, WebSocket) and in replay (virtual clock, memory pipe).
import type { Clock } from '../core/clock.js';
import { PayhookError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import type { DtmfDigit } from '../audiohook/protocol/messages.js';
import type { OpenDecision, OpenRequest, ServerSession } from '../audiohook/server/server-session.js';
import { createDtmfDetector, type DtmfDetector } from '../dtmf/detector.js';
import { DigitMerger, type PressSource } from '../dtmf/digit-merger.js';
import type { DtmfEvent } from '../dtmf/events.js';
import { PaymentDialog } from '../payment/dialog/runner.js';
import type { CardField, DialogStatus, Outcome } from '../payment/dialog/types.js';
import { parseCallContext, type CallContext as PaymentContext } from '../payment/input-variables.js';
import { catalogFor } from '../prompts/catalog.js';
import { Playout } from '../prompts/playout.js';
import { sayItem } from '../prompts/say/index.js';
import type { PromptSpec } from '../prompts/spec.js';
import type { Recorder } from '../recording/recorder.js';
import type { Participant } from '../audiohook/protocol/messages.js';
import type { CallRecord } from './call-record.js';
import type { ConnectorSetup } from './connectors.js';

/** What happened in a call, for timelines, records and the live view. Card-free by construction. */
export type PaymentCallEvents = {
  started: [info: { conversationId: string; mode: string; language: string }];
  /** A key press counted once; `duplicate` reports the second sighting of the same press. */
  digit: [info: { source: PressSource; positionSamples: number; duplicate: boolean; sensitive: boolean }];
  promptstarted: [info: { name: string; startSample: number; sensitive: boolean }];
  promptfinished: [info: { name: string; interrupted: boolean; reason: string }];
  securewindow: [info: { open: boolean; field: CardField; positionSamples: number; botSample: number }];
  /** Raw detector events (positions on the caller stream), for the recording masker. */
  tone: [event: DtmfEvent, callPositionBase: number];
  status: [status: DialogStatus];
  finished: [outcome: Outcome, outputVariables: Record<string, string>];
  ended: [];
};

export interface PaymentCallOptions {
  setup: ConnectorSetup;
  clock: Clock;
  logger: Logger;
  /** Epoch ms for expiry checks; Date.now by default. */
  wallClock?: () => number;
  /** Detect in-band DTMF in the caller audio (default true). */
  inband?: boolean;
  /** Catalog directory (tests); the package's fixtures/prompts by default. */
  promptsDir?: string;
  /** The durable record of this call; the outcome is written before Genesys hears it. */
  record?: CallRecord;
  /** Makes the masked recorder of this call (WAV and/or downstream), once the call is open. */
  recorder?: (ids: { conversationId: string; participant: Participant }) => Recorder | undefined;
}

/** How long the final disconnect waits for the outcome's record before going out anyway. */
const RECORD_WAIT_MS = 5000;

export class PaymentCall extends TypedEmitter<PaymentCallEvents> {
  readonly #opts: PaymentCallOptions;
  readonly #log: Logger;
  #context: PaymentContext | undefined;
  #session: ServerSession | undefined;
  #dialog: PaymentDialog | undefined;
  #playout: Playout | undefined;
  #detector: DtmfDetector | undefined;
  readonly #merger = new DigitMerger();
  /** Call position of the detector's sample 0: moves when the client reports a gap. */
  #detectorBase = 0;
  #secure: CardField | null = null;
  #closed = false;
  #participant: Participant | undefined;
  #recorder: Recorder | undefined;

  constructor(options: PaymentCallOptions) {
    super();
    this.#opts = options;
    this.#log = options.logger;
    this.onListenerError = (event, error) =>
      this.#log.error({ code: 'ERR_CALL_LISTENER', event, errName: error instanceof Error ? error.name : typeof error }, 'call listener threw');
  }

  get outcome(): Outcome | undefined {
    return this.#dialog?.result?.outcome;
  }

  /** The session's open hook: reads the flow's inputs; slow work waits for `opened`. */
  onOpen(request: OpenRequest): OpenDecision {
    if (request.probe) return { accept: true };
    const p = request.parameters;
    this.#participant = p.participant;
    this.#context = parseCallContext(
      p.inputVariables,
      { conversationId: p.conversationId, ...(p.language ? { language: p.language } : {}) },
      this.#opts.setup.config,
    );
    return { accept: true };
  }

  attach(session: ServerSession): void {
    this.#session = session;
    session.once('opened', (info) => {
      if (!info.probe && this.#context) this.#start(session, this.#context);
    });
    session.on('closing', () => this.#hangup());
    session.addCleanup(() => this.close());
  }

  /** Ends everything the call owns. Idempotent; a charge in flight still completes and is reported. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#hangup();
    this.#playout?.close();
    this.#detector?.close();
    void this.#recorder?.close().then((result) => this.#log.info({ masks: result.spans?.length ?? 0 }, 'recording closed'));
    this.safeEmit('ended');
  }

  #start(session: ServerSession, context: PaymentContext): void {
    const { setup, clock } = this.#opts;
    const catalog = catalogFor(context.language, this.#opts.promptsDir);
    const recorder = this.#opts.recorder?.({ conversationId: context.conversationId, participant: this.#participant! });
    this.#recorder = recorder;
    // Bot audio is recorded at the caller position current when it is sent: up to the playout's
    // lead early, never late (a late write would be dropped unmasked-safe but lost).
    const port = recorder
      ? {
          sendAudio: (chunk: Uint8Array) => {
            const sent = session.sendAudio(chunk);
            if (sent) recorder.writeBot(chunk, session.positionSamples);
            return sent;
          },
          sendEvent: (entities: Parameters<ServerSession['sendEvent']>[0]) => session.sendEvent(entities),
        }
      : session;
    const playout = new Playout({ port, clock, catalog, logger: this.#log });
    const record = this.#opts.record;
    record?.start(context);
    const dialog = new PaymentDialog({
      config: setup.config,
      context,
      clock,
      gateway: record ? record.gateway(setup.gateway) : setup.gateway,
      logger: this.#log,
      ...(this.#opts.wallClock ? { wallClock: this.#opts.wallClock } : {}),
    });
    this.#playout = playout;
    this.#dialog = dialog;

    playout.on('promptstarted', (name, startSample, info) => {
      // A read-back of card data is masked from its first sample, whatever window is open.
      if (info.sensitive) recorder?.openSecureWindow(`readback ${name}`, session.positionSamples);
      this.safeEmit('promptstarted', { name, startSample, sensitive: info.sensitive });
    });
    playout.on('promptfinished', (name, interrupted, outcome) => {
      if (outcome.sensitive) recorder?.closeSecureWindow(`readback ${name}`, session.positionSamples);
      this.safeEmit('promptfinished', { name, interrupted, reason: outcome.reason });
    });
    session.on('playbackstarted', () => playout.playbackStarted());
    session.on('playbackcompleted', () => playout.playbackCompleted());

    dialog.on('play', (playId, spec) => this.#play(playId, spec));
    dialog.on('stopprompts', () => {
      // The dialog only flushes prompts that allow barge-in; if the caller is already hearing the
      // next one, drop the queue quietly rather than leave prompts the dialog no longer waits for.
      if (!playout.bargeIn()) playout.cancelAll();
    });
    dialog.on('securewindow', (open, field) => {
      this.#secure = open ? field : null;
      record?.segment('secure_capture', open);
      if (open) recorder?.openSecureWindow(field, session.positionSamples);
      else recorder?.closeSecureWindow(field, session.positionSamples);
      this.safeEmit('securewindow', { open, field, positionSamples: session.positionSamples, botSample: playout.position });
    });
    dialog.on('status', (status) => this.safeEmit('status', status));
    dialog.on('finish', (outcome, outputVariables) => {
      this.safeEmit('finished', outcome, outputVariables);
      const disconnect = () => {
        const sent = session.disconnect('completed', `payment ${outcome.result}`, outputVariables);
        if (!sent.ok) this.#log.warn({ code: 'ERR_CALL_DISCONNECT_REFUSED', reason: sent.code }, 'final disconnect not sent');
      };
      if (!record) return disconnect();
      // The result is durable before Genesys is told, so a crash in between loses nothing.
      let timer: ReturnType<Clock['setTimeout']> | undefined;
      void Promise.race([
        record.finish(outcome, outputVariables),
        new Promise((resolve) => (timer = clock.setTimeout(() => resolve(false), RECORD_WAIT_MS))),
      ]).then(() => {
        clock.clearTimeout(timer);
        disconnect();
      });
    });

    session.on('dtmf', (digit, position) => this.#press(this.#merger.outOfBand({ digit, positionSamples: position })));
    if (recorder) session.on('audio', (frame, position) => recorder.writeCaller(frame, position));
    if (this.#opts.inband ?? true) {
      const channels = session.media?.channels.length ?? 1;
      this.#detector = createDtmfDetector({ encoding: 'mulaw', channels });
      session.on('audio', (frame, position) => this.#audio(frame, position));
    }

    this.safeEmit('started', { conversationId: context.conversationId, mode: context.mode, language: catalog.language });
    dialog.start();
  }

  #play(playId: number, spec: PromptSpec): void {
    const playout = this.#playout!;
    let playback;
    try {
      playback = playout.play(spec);
    } catch (err) {
      // A value the catalog cannot say: play the rest of the prompt rather than stall or go silent.
      this.#log.error({ code: 'ERR_CALL_PROMPT_INVALID', prompt: spec.name, cause: err instanceof PayhookError ? err.code : 'unknown' }, 'prompt item not sayable');
      const items = spec.items.filter((item) => sayItem(playout.language, item).ok);
      try {
        playback = playout.play({ ...spec, items });
      } catch {
        this.#dialog?.promptFinished(playId);
        return;
      }
    }
    void playback.finished.then((outcome) => {
      if (outcome.reason === 'played' || outcome.reason === 'confirmed') this.#dialog?.promptFinished(playId);
    });
  }

  #audio(frame: Uint8Array, position: number): void {
    const detector = this.#detector;
    if (!detector || frame.length === 0) return;
    // A reported gap (discarded/paused audio) breaks sample continuity: restart the detector there.
    if (position !== this.#detectorBase + detector.positionSamples) {
      detector.flush((e) => this.#tone(e));
      detector.reset();
      this.#detectorBase = position;
    }
    detector.process(frame, (e) => this.#tone(e));
  }

  #tone(e: DtmfEvent): void {
    const base = this.#detectorBase;
    this.safeEmit('tone', e, base);
    if (e.channel !== 0) return;
    if (e.type === 'digit') {
      this.#press(this.#merger.inband({ digit: e.digit, startSample: base + e.startSample, detectedAtSample: base + e.detectedAtSample }));
    } else if (e.type === 'digitend') {
      this.#merger.inbandEnd({ digit: e.digit, startSample: base + e.startSample, endSample: base + e.endSample });
    }
  }

  #press(result: ReturnType<DigitMerger['inband']>): void {
    const { press } = result;
    const duplicate = result.code === 'duplicate';
    this.safeEmit('digit', { source: press.source, positionSamples: press.positionSamples, duplicate, sensitive: this.#secure !== null });
    if (!duplicate) this.#dialog?.digit(press.digit as DtmfDigit, press.positionSamples);
  }

  #hangup(): void {
    const dialog = this.#dialog;
    if (dialog && !dialog.finished) dialog.hangup();
  }
}

// A scripted caller on any Clock: streams 20 ms caller frames (silence, tones, WAV audio, optional
// noise underneath), runs the fixture's steps in order, and notes what it did on the timeline.
// The same caller runs on a VirtualClock (in-process replay) and the system clock (--url, loadtest).
import type { Clock, TimerHandle } from '../core/clock.js';
import { MULAW_SILENCE, mulawEncode } from '../audio/g711.js';
import { addNoise } from '../audio/tones.js';
import type { AudioHookClient } from '../audiohook/client/audiohook-client.js';
import { PlayoutModel } from '../audiohook/client/playout-model.js';
import type { DtmfDigit } from '../audiohook/protocol/messages.js';
import { FRAME_SAMPLES, keyTones, SAMPLE_RATE } from './caller-audio.js';
import type { Fixture, Step, ToneStyle } from './fixture.js';
import type { Timeline } from './timeline.js';

const FRAME_MS = 20;
/**
 * The bot counts as quiet once its audio has drained at the caller for this long. Generous on
 * purpose: a loaded load generator reads its sockets late, and a caller that keys into the middle
 * of a read-back (no barge-in) loses its place in the script.
 */
const QUIET_MS = 500;
const NOISE_LOOP_SAMPLES = SAMPLE_RATE * 4;
/** Shared, never written: most frames of a call are silence, and the load test sends thousands a second. */
const SILENT_FRAME = new Uint8Array(FRAME_SAMPLES).fill(MULAW_SILENCE);

/** A fixture step with its audio loaded (play steps carry samples instead of a path). */
export type ScriptStep = Exclude<Step, { do: 'play' }> | { do: 'play'; name: string; text?: string; samples: Float32Array };

export interface CallerScript {
  readonly steps: readonly ScriptStep[];
  readonly keying: Fixture['keying'];
  readonly tone: ToneStyle;
  readonly noiseDbm0?: number;
}

export interface CallerOptions {
  /** Keep every frame sent (for caller.wav); off in the load test. */
  readonly keepAudio?: boolean;
  /** Note each key press; its value only when the fixture's key is not card data (never, here). */
  readonly timeline?: Timeline;
  /**
   * Caller audio per WebSocket message, ms: a multiple of 20 from 20 to 200. Genesys's own client
   * sends 200 ms frames; 20 ms (the default) gives replays the finest key timing.
   */
  readonly frameMs?: number;
}

export interface CallerObserver {
  /** Last key of a press step went out (tone end or dtmf message), clock ms. */
  keysSent?(at: number): void;
  /** First bot audio after a quiet spell, clock ms. */
  botAudio?(at: number): void;
}

export class ScriptedCaller {
  readonly #client: AudioHookClient;
  readonly #clock: Clock;
  readonly #script: CallerScript;
  readonly #timeline: Timeline | undefined;
  readonly #keep: boolean;
  readonly #sent: Uint8Array[] = [];
  readonly #playout = new PlayoutModel(SAMPLE_RATE);
  readonly #frame = new Float32Array(FRAME_SAMPLES);
  readonly #noise: Float32Array | undefined;
  observer: CallerObserver = {};
  #queue: Float32Array[] = [];
  /** Out-of-band keys by the frame they follow: a late timer can never give two keys one position. */
  #keys: Array<{ frame: number; key: DtmfDigit; last: boolean }> = [];
  #step = -1;
  #stepStartedAt = 0;
  #stepReadyAt: number | undefined;
  #heardInStep = false;
  #drainsAt = -Infinity;
  #startedAt = 0;
  #framesSent = 0;
  #noiseAt = 0;
  #timer: TimerHandle | undefined;
  #stopped = false;
  #finished = false;
  /** 20 ms frames per message, and the frames waiting for theirs. */
  readonly #batch: number;
  #pending: Uint8Array[] = [];

  constructor(client: AudioHookClient, clock: Clock, script: CallerScript, options: CallerOptions = {}) {
    this.#client = client;
    this.#clock = clock;
    this.#script = script;
    this.#timeline = options.timeline;
    this.#keep = options.keepAudio ?? false;
    const frameMs = options.frameMs ?? FRAME_MS;
    if (!(Number.isInteger(frameMs / FRAME_MS) && frameMs >= FRAME_MS && frameMs <= 200)) throw new RangeError('frameMs must be a multiple of 20 from 20 to 200');
    this.#batch = frameMs / FRAME_MS;
    if (script.noiseDbm0 !== undefined) {
      this.#noise = new Float32Array(NOISE_LOOP_SAMPLES);
      addNoise(this.#noise, script.noiseDbm0, 7);
    }
    client.on('audio', (bytes) => this.#heard(bytes.length));
  }

  /** True once every step has run (the caller then keeps streaming silence until stopped). */
  get finished(): boolean {
    return this.#finished;
  }

  /** Mu-law caller audio sent so far (keepAudio only). */
  sentAudio(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.#sent));
  }

  start(): void {
    this.#startedAt = this.#clock.now();
    this.#nextStep();
    this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#timer);
  }

  #tick(): void {
    if (this.#stopped) return;
    // Absolute schedule: frame n is due at n * 20 ms, whatever the timer lateness.
    const due = Math.floor((this.#clock.now() - this.#startedAt) / FRAME_MS) + 1;
    while (this.#framesSent < due && !this.#stopped) {
      if (this.#client.state !== 'active' && this.#client.state !== 'paused') return this.stop();
      this.#sendFrame();
      this.#framesSent++;
      this.#sendDueKeys();
      this.#advanceSteps();
    }
    if (this.#stopped) return;
    // Wake when the next message is due: every frame for 20 ms messages, every batch otherwise.
    const nextFrame = Math.ceil((this.#framesSent + 1) / this.#batch) * this.#batch;
    const next = this.#startedAt + (nextFrame - 1) * FRAME_MS;
    this.#timer = this.#clock.setTimeout(() => this.#tick(), next - this.#clock.now());
  }

  #sendFrame(): void {
    if (this.#queue.length === 0 && !this.#noise) {
      if (this.#keep) this.#sent.push(SILENT_FRAME);
      this.#send(SILENT_FRAME);
      return;
    }
    const frame = this.#frame;
    frame.fill(0);
    let filled = 0;
    while (filled < FRAME_SAMPLES && this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const n = Math.min(head.length, FRAME_SAMPLES - filled);
      frame.set(head.subarray(0, n), filled);
      filled += n;
      if (n === head.length) this.#queue.shift();
      else this.#queue[0] = head.subarray(n);
    }
    const noise = this.#noise;
    if (noise) {
      for (let i = 0; i < FRAME_SAMPLES; i++) {
        frame[i] = frame[i]! + noise[this.#noiseAt]!;
        this.#noiseAt = (this.#noiseAt + 1) % NOISE_LOOP_SAMPLES;
      }
    }
    const bytes = mulawEncode(frame);
    if (this.#keep) this.#sent.push(bytes);
    this.#send(bytes);
  }

  #send(frame: Uint8Array): void {
    if (this.#batch === 1) {
      this.#client.sendAudio(frame);
      return;
    }
    this.#pending.push(frame);
    if (this.#pending.length >= this.#batch) this.#flush();
  }

  /** Sends the frames waiting for a full message (before a key, so its position is exact). */
  #flush(): void {
    if (this.#pending.length === 0) return;
    const message = this.#pending.length === 1 ? this.#pending[0]! : new Uint8Array(Buffer.concat(this.#pending));
    this.#pending = [];
    this.#client.sendAudio(message);
  }

  #sendDueKeys(): void {
    while (this.#keys.length > 0 && this.#keys[0]!.frame <= this.#framesSent) {
      const { key, last } = this.#keys.shift()!;
      this.#flush();
      this.#client.sendDtmf(key);
      // Reported in the same turn as the send: on loopback the answer can beat a timer.
      if (last) this.observer.keysSent?.(this.#clock.now());
    }
  }

  #heard(bytes: number): void {
    const now = this.#clock.now();
    const update = this.#playout.receive(bytes, now);
    // A new burst after a quiet spell is what the caller perceives as the bot answering.
    if (now >= this.#drainsAt + QUIET_MS) this.observer.botAudio?.(now);
    this.#drainsAt = update.drainsAt;
    this.#heardInStep = true;
  }

  /** Runs every step whose condition is met now; steps are checked once per frame. */
  #advanceSteps(): void {
    for (;;) {
      if (this.#finished || this.#stopped) return;
      const step = this.#script.steps[this.#step]!;
      if (!this.#stepDone(step)) return;
      this.#nextStep();
    }
  }

  #stepDone(step: ScriptStep): boolean {
    const now = this.#clock.now();
    switch (step.do) {
      case 'waitForPrompt': {
        if (this.#stepReadyAt === undefined) {
          if (now - this.#stepStartedAt >= step.timeoutSeconds * 1000) {
            this.#timeline?.add('note', `waitForPrompt gave up after ${step.timeoutSeconds} s: the bot did not speak and go quiet`);
            return true;
          }
          if (!this.#heardInStep || now < this.#drainsAt + QUIET_MS) return false;
          this.#stepReadyAt = now + step.thinkMs;
        }
        return now >= this.#stepReadyAt;
      }
      case 'wait':
        return now - this.#stepStartedAt >= step.seconds * 1000;
      case 'press':
      case 'play':
        return this.#queue.length === 0 && this.#keys.length === 0 && this.#stepReadyAt !== undefined && now >= this.#stepReadyAt;
      case 'hangup':
        return true;
    }
  }

  #nextStep(): void {
    this.#step++;
    const now = this.#clock.now();
    this.#stepStartedAt = now;
    this.#stepReadyAt = undefined;
    // Audio still draining when the wait begins counts as the prompt being heard.
    this.#heardInStep = now < this.#drainsAt;
    const step = this.#script.steps[this.#step];
    if (!step) {
      this.#finished = true;
      return;
    }
    switch (step.do) {
      case 'press':
        return this.#press(step);
      case 'play':
        this.#timeline?.add('caller', `plays ${step.name}${step.text ? ` ("${step.text}")` : ''} (${(step.samples.length / SAMPLE_RATE).toFixed(2)} s)`);
        this.#queue.push(step.samples);
        this.#stepReadyAt = now + (step.samples.length * 1000) / SAMPLE_RATE;
        return;
      case 'hangup':
        this.#timeline?.add('caller', 'hangs up');
        this.stop();
        this.#finished = true;
        void this.#client.close('end');
        return;
      case 'wait':
        this.#timeline?.add('caller', `stays silent ${step.seconds} s`);
        return;
      case 'waitForPrompt':
        return;
    }
  }

  #press(step: Extract<ScriptStep, { do: 'press' }>): void {
    const keying = step.keying ?? this.#script.keying;
    const tone = { ...this.#script.tone, ...step.tone };
    const perKey = tone.onMs + tone.gapMs;
    const now = this.#clock.now();
    // Card-entry keys are never written down: the count and the keying only.
    this.#timeline?.add('caller', `presses ${step.keys.length} key${step.keys.length === 1 ? '' : 's'} (${keying})`);
    if (keying !== 'outofband') this.#queue.push(keyTones(step.keys, tone));
    const last = step.keys.length - 1;
    if (keying !== 'inband') {
      // Key i goes out after the frame that ends i key periods from now (its tone's onset when
      // keyed both ways), so each message carries its own stream position.
      [...step.keys].forEach((key, i) =>
        this.#keys.push({ frame: this.#framesSent + Math.round((i * perKey) / FRAME_MS), key: key as DtmfDigit, last: i === last && keying === 'outofband' }),
      );
      this.#sendDueKeys();
    }
    if (keying !== 'outofband') {
      const toneEnd = last * perKey + tone.onMs;
      this.#clock.setTimeout(() => this.observer.keysSent?.(this.#clock.now()), toneEnd);
    }
    this.#stepReadyAt = now + step.keys.length * perKey;
  }
}

// A scripted caller for end-to-end calls: streams real-time caller audio (silence, or DTMF tones
// for in-band entries) and answers each prompt once the bot has finished speaking.
import { addDtmf, toInt16 } from '../../src/audio/tones.js';
import { mulawEncode } from '../../src/audio/g711.js';
import type { AudioHookClient } from '../../src/audiohook/client/audiohook-client.js';
import type { DtmfDigit } from '../../src/audiohook/protocol/messages.js';

const FRAME = 160; // 20 ms

/** Mu-law audio of `keys` as tones: `onMs` of tone and `offMs` of silence per key. */
export function dtmfAudio(keys: string, onMs = 80, offMs = 80, level = -10): Uint8Array {
  const on = (onMs * 8000) / 1000;
  const off = (offMs * 8000) / 1000;
  const samples = new Float32Array(keys.length * (on + off));
  [...keys].forEach((k, i) => addDtmf(samples, i * (on + off), on, k, { lowDbm0: level, twistDb: 2 }));
  return mulawEncode(toInt16(samples));
}

export interface CallerOptions {
  /** 'inband' sends tones in the audio; 'outofband' sends `dtmf` messages. */
  keying: 'inband' | 'outofband';
  /** One entry per prompt turn, sent once the bot goes quiet. */
  entries: string[];
  /** Pause after the bot goes quiet before keying, ms. */
  thinkMs?: number;
}

/** Streams audio every 20 ms until stopped; answers prompts with the scripted entries. */
export class ScriptedCaller {
  readonly #client: AudioHookClient;
  readonly #opts: CallerOptions;
  #queue: Uint8Array[] = [];
  #timer: NodeJS.Timeout | undefined;
  #answered = 0;
  #next = 0;
  #started = 0;
  #framesSent = 0;

  constructor(client: AudioHookClient, options: CallerOptions) {
    this.#client = client;
    this.#opts = options;
  }

  /** Entries sent so far. */
  get answered(): number {
    return this.#answered;
  }

  start(): void {
    this.#started = performance.now();
    const tick = () => {
      // Absolute schedule: frame n is due at n * 20 ms, whatever the timer lateness.
      const due = Math.floor((performance.now() - this.#started) / 20) + 1;
      while (this.#framesSent < due) {
        this.#client.sendAudio(this.#nextFrame());
        this.#framesSent++;
      }
      this.#maybeAnswer();
      if (this.#client.state === 'active') this.#timer = setTimeout(tick, 10);
    };
    tick();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #nextFrame(): Uint8Array {
    const head = this.#queue[0];
    if (!head) return new Uint8Array(FRAME).fill(0xff);
    const frame = new Uint8Array(FRAME).fill(0xff);
    frame.set(head.subarray(0, FRAME));
    if (head.length <= FRAME) this.#queue.shift();
    else this.#queue[0] = head.subarray(FRAME);
    return frame;
  }

  #completions(): number {
    return this.#client.timeline.filter((e) => e.dir === 'out' && e.kind === 'text' && e.type === 'playback_completed').length;
  }

  #maybeAnswer(): void {
    if (this.#next >= this.#opts.entries.length || this.#queue.length > 0) return;
    // One entry per time the bot's audio ran dry.
    if (this.#completions() <= this.#answered) return;
    const entry = this.#opts.entries[this.#next++]!;
    this.#answered++;
    const think = this.#opts.thinkMs ?? 200;
    setTimeout(() => {
      if (this.#opts.keying === 'inband') this.#queue.push(dtmfAudio(entry));
      else [...entry].forEach((d, i) => setTimeout(() => this.#client.sendDtmf(d as DtmfDigit), i * 120));
    }, think);
  }
}

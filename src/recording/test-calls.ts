// Generated calls for the recorder's tests and benchmarks: caller and bot audio on one timeline with
// DTMF presses placed at random, at frame edges, at secure-window edges and during bot audio, with
// the ground truth of every tone and window. Deterministic for a seed.
import { addDtmf, addNoise, addTone, seededRandom, toInt16, DTMF_KEYS } from '../audio/tones.js';
import { mulawEncode } from '../audio/g711.js';
import { Recorder, type RecorderOptions } from './recorder.js';
import type { RecordingResult } from './sink.js';

export interface TruthTone {
  readonly channel: 0 | 1;
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

export interface TruthWindow {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

export interface GeneratedCall {
  readonly caller: Uint8Array;
  readonly bot: Uint8Array;
  readonly tones: readonly TruthTone[];
  readonly windows: readonly TruthWindow[];
}

export interface GenerateOptions {
  readonly seconds?: number;
  readonly seed?: number;
  /** Presses on the caller channel at random places. */
  readonly randomPresses?: number;
}

const FRAME = 160;

/** A call with presses everywhere a masker could slip: random, frame edges, window edges, over bot audio, in the bot channel. */
export function generateCall(o: GenerateOptions = {}): GeneratedCall {
  const seconds = o.seconds ?? 20;
  const rnd = seededRandom(o.seed ?? 7);
  const n = seconds * 8000;
  const caller = new Float32Array(n);
  const bot = new Float32Array(n);
  addNoise(caller, -55, (o.seed ?? 7) + 1);
  const tones: TruthTone[] = [];
  const windows: TruthWindow[] = [];
  const busy: Array<[number, number]> = [];
  const free = (a: number, b: number) => busy.every(([s, e]) => b + 400 <= s || a >= e + 400);
  const press = (channel: 0 | 1, start: number, samples: number, lowDbm0: number, twistDb = 0) => {
    if (start < 0 || start + samples >= n - 800 || !free(start, start + samples)) return false;
    const key = DTMF_KEYS[Math.floor(rnd() * 16)]!;
    addDtmf(channel === 0 ? caller : bot, start, samples, key, { lowDbm0, twistDb, phase: rnd() * 6.28 });
    tones.push({ channel, key, start, end: start + samples });
    busy.push([start, start + samples]);
    return true;
  };
  // Bot "prompts": a few seconds of vowel-like harmonics (not DTMF pairs) every so often.
  for (let at = 4000; at < n - 16000; at += 8000 * 4) {
    const len = 8000 + Math.floor(rnd() * 8000);
    for (const [hz, db] of [[220, -18], [440, -22], [660, -26], [1100, -30]] as const) addTone(bot, at, len, hz * (1 + rnd() * 0.05), db);
    // A caller press while the bot speaks (barge-in).
    press(0, at + 2000 + Math.floor(rnd() * 4000), 480 + Math.floor(rnd() * 400), -9);
  }
  // Secure windows: two of them, each with presses inside and one straddling each edge.
  for (const [label, at] of [['card_number', Math.floor(n * 0.3)], ['security_code', Math.floor(n * 0.7)]] as const) {
    const start = at - (at % FRAME) + 37;
    const end = start + 8000 * 2 + 123;
    windows.push({ label, start, end });
    press(0, start - 200, 480, -7); // starts before the window opens
    press(0, start + 2000, 560, -12);
    press(0, end - 240, 560, -7); // still sounding when the window closes
    busy.push([start, end]);
  }
  // Frame edges: onsets one sample before, on, and after a 20 ms boundary; ends on a boundary.
  for (const delta of [-1, 0, 1]) {
    const edge = FRAME * Math.floor((n * (0.1 + 0.05 * (delta + 1))) / FRAME);
    press(0, edge + delta, 400 + 3 * FRAME - ((edge + delta) % FRAME), -5);
  }
  // Short fragments (25-35 ms) a lenient decoder may still read, low and high levels, twist.
  for (let i = 0; i < 6; i++) press(0, Math.floor(rnd() * n), 200 + Math.floor(rnd() * 80), -5 - rnd() * 20, (rnd() - 0.5) * 8);
  // A tone in the bot channel (a misbehaving prompt, or echo of the caller).
  press(1, Math.floor(n * 0.9), 640, -10);
  for (let i = 0; i < (o.randomPresses ?? 12); i++) press(0, Math.floor(rnd() * n), 320 + Math.floor(rnd() * 800), -3 - rnd() * 22);
  tones.sort((a, b) => a.start - b.start);
  return { caller: mulawEncode(toInt16(caller)), bot: mulawEncode(toInt16(bot)), tones, windows };
}

export interface PlayedCall {
  readonly stereo: Uint8Array;
  readonly result: RecordingResult;
  /** Largest (caller head - end of released audio) seen after a caller frame, in samples. */
  readonly maxDelaySamples: number;
}

/**
 * Plays a generated call through a Recorder as a live call would: caller frames of uneven size, bot
 * audio written `botLeadSamples` ahead of when it plays, windows opened and closed when the caller's
 * audio reaches them.
 */
export async function playCall(call: GeneratedCall, options: RecorderOptions = {}, botLeadSamples = 1200, seed = 3): Promise<PlayedCall> {
  const rnd = seededRandom(seed);
  const recorder = new Recorder(options);
  const out: Uint8Array[] = [];
  let released = 0;
  recorder.on('chunk', (c) => {
    out.push(c.stereo);
    released = c.position + c.samples;
  });
  let botWritten = 0;
  let maxDelay = 0;
  const events = [
    ...call.windows.map((w) => ({ at: w.start, open: true, label: w.label })),
    ...call.windows.map((w) => ({ at: w.end, open: false, label: w.label })),
  ].sort((a, b) => a.at - b.at);
  let pos = 0;
  while (pos < call.caller.length) {
    const size = [160, 160, 160, 80, 240, 400, 1][Math.floor(rnd() * 7)]!;
    const end = Math.min(call.caller.length, pos + size);
    while (botWritten < Math.min(call.bot.length, end + botLeadSamples)) {
      const to = Math.min(call.bot.length, botWritten + 1600);
      recorder.writeBot(call.bot.subarray(botWritten, to), botWritten);
      botWritten = to;
    }
    // The dialog opens a window at the position it has reached: the start of the frame holding it.
    while (events.length > 0 && events[0]!.at < end) {
      const e = events.shift()!;
      if (e.open) recorder.openSecureWindow(e.label, e.at);
      else recorder.closeSecureWindow(e.label, e.at);
    }
    recorder.writeCaller(call.caller.subarray(pos, end), pos);
    pos = end;
    maxDelay = Math.max(maxDelay, pos - released);
  }
  const result = await recorder.close();
  return { stereo: new Uint8Array(Buffer.concat(out)), result, maxDelaySamples: maxDelay };
}

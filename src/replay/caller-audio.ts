// The caller's audio material: DTMF key presses rendered as tones, and WAV files decoded to
// linear samples. Linear (not mu-law) so that noise can be mixed under everything.
import { readFileSync } from 'node:fs';
import { addDtmf } from '../audio/tones.js';
import { parseWav, wavToLinear } from '../audio/wav.js';
import type { ToneStyle } from './fixture.js';

export const SAMPLE_RATE = 8000;
export const FRAME_SAMPLES = 160;

/** Samples for `keys` pressed one after another: each tone then its gap. Pure. */
export function keyTones(keys: string, tone: ToneStyle): Float32Array {
  const on = Math.round((tone.onMs * SAMPLE_RATE) / 1000);
  const gap = Math.round((tone.gapMs * SAMPLE_RATE) / 1000);
  const out = new Float32Array(keys.length * (on + gap));
  [...keys].forEach((key, i) =>
    addDtmf(out, i * (on + gap), on, key, { lowDbm0: tone.levelDbm0, twistDb: tone.twistDb, freqOffset: tone.freqOffset }),
  );
  return out;
}

export type WavLoad = { ok: true; samples: Float32Array } | { ok: false; code: 'ERR_REPLAY_FIXTURE_UNREADABLE'; reason: string };

/** Reads an 8 kHz mono WAV (PCM16, mu-law or A-law) into linear samples. */
export function loadCallerWav(path: string): WavLoad {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    return { ok: false, code: 'ERR_REPLAY_FIXTURE_UNREADABLE', reason: (err as NodeJS.ErrnoException).code ?? 'read failed' };
  }
  try {
    const wav = parseWav(bytes);
    if (wav.sampleRate !== SAMPLE_RATE) return { ok: false, code: 'ERR_REPLAY_FIXTURE_UNREADABLE', reason: `${wav.sampleRate} Hz; need 8000 (sox in.wav -r 8000 -c 1 out.wav)` };
    if (wav.channels !== 1) return { ok: false, code: 'ERR_REPLAY_FIXTURE_UNREADABLE', reason: `${wav.channels} channels; need mono` };
    return { ok: true, samples: Float32Array.from(wavToLinear(wav)) };
  } catch (err) {
    return { ok: false, code: 'ERR_REPLAY_FIXTURE_UNREADABLE', reason: (err as Error).message };
  }
}

// Talk-off check for synthesized speech: does a clip hold audio that a DTMF decoder could read as a
// key press? Prompts play on the bot channel of every call and the call recording must hold no
// DTMF-looking audio, so the catalog build and live TTS render a clip that fails again with a small
// pitch variation (build.ts). Pure and deterministic: same bytes in, same findings out.
//
// Two checks, both in-process (no external decoder, so the build needs nothing beyond espeak-ng and sox):
// 1. The project's detector (WASM engine) on the clip as is and on a copy boosted by 24 dB, as the
//    recorder runs it (src/recording/boost.ts) to see quiet tones: no `digit` event.
// 2. A lenient screen. The detector is strict by design (the pair must carry 85 % of a 15 ms block,
//    both frequencies within 2.5 % by phase, four such blocks in a row): it read no digit in any of
//    the 442 clips built before this check, normal or boosted, while multimon-ng, the lenient decoder
//    of the recording audits, read one in 13 of them (a vowel whose harmonics sit on 852 + 1477 Hz
//    reads as 9). The detector's `suspect` events are no substitute: speech raises them in about a
//    fifth of the clips, and a clip without any can still read as a digit to multimon-ng. So the
//    screen tests what such decoders test, with margin: a 40 ms rectangular DFT at the eight DTMF
//    frequencies, hopped every 5 ms, flags a window when each group's strongest tone beats the rest of
//    its group by GROUP_DOMINANCE_DB, the two tones are within TWIST_DB of each other and together
//    carry PAIR_SHARE of the window's energy. multimon-ng 1.2 (Debian 12) asks 10 dB, 4.8 dB and 40 %
//    over 40 ms windows hopped every 10 ms (measured with synthetic tones); the margins cover window
//    alignment, its resampling to 22050 Hz and decoders that accept more twist. No level floor: the
//    recorder looks at quiet audio too.
import { mulawDecode } from '../audio/g711.js';
import { DTMF_HIGH, DTMF_KEYS, DTMF_LOW, type DtmfKey } from '../audio/tones.js';
import { DEFAULT_BOOST_DB } from '../recording/boost.js';
import { detectInWav } from '../recording/scan.js';

const SAMPLE_RATE = 8000;
/** Screen window: 40 ms, as multimon-ng's (4 blocks of 10 ms). */
export const SCREEN_WINDOW = 320;
/** Screen hop: 5 ms, half of multimon-ng's, so each of its window positions is within 2.5 ms of one tested here. */
export const SCREEN_HOP = 40;
/** Share of the window's energy the tone pair must carry to be flagged (multimon-ng: 0.4). */
export const PAIR_SHARE = 0.3;
/** Each tone must beat every other tone of its group by this much, dB (multimon-ng: 10). */
export const GROUP_DOMINANCE_DB = 8;
/**
 * Largest level difference between the two tones, either way, dB. multimon-ng 1.2 accepts 4.77;
 * Q.24 (AT&T) has receivers accept the low tone up to 8 dB louder, so a decoder built to it may.
 */
export const TWIST_DB = 9;

/** The check's parameters, written to the manifest so that a change to them shows up in review. */
export const TALK_OFF_CHECK = {
  detector: { engine: 'wasm', boostDb: DEFAULT_BOOST_DB },
  screen: { windowMs: (SCREEN_WINDOW * 1000) / 8000, hopMs: (SCREEN_HOP * 1000) / 8000, pairShare: PAIR_SHARE, groupDominanceDb: GROUP_DOMINANCE_DB, twistDb: TWIST_DB },
} as const;

/** What the check found, for the build's error detail and the tests. */
export interface TalkOffFinding {
  /** `detector`: the project's detector on the clip; `detector+24dB`: on the boosted copy; `screen`: the lenient screen. */
  check: 'detector' | `detector+${number}dB` | 'screen';
  digit: DtmfKey;
  /** First sample of the detected tone (detector) or of the flagged 40 ms window (screen). */
  atSample: number;
}

const FREQS = [...DTMF_LOW, ...DTMF_HIGH];
// e^{-j w n} for each DTMF frequency, tabulated over one period: every frequency is a whole number of
// Hz, so the phase repeats every 8000 samples and the table is exact for any n (no drift over a clip).
const COS: Float64Array[] = FREQS.map((hz) => Float64Array.from({ length: SAMPLE_RATE }, (_, n) => Math.cos((2 * Math.PI * hz * n) / SAMPLE_RATE)));
const SIN: Float64Array[] = FREQS.map((hz) => Float64Array.from({ length: SAMPLE_RATE }, (_, n) => Math.sin((2 * Math.PI * hz * n) / SAMPLE_RATE)));

/** The lenient screen over linear samples: every 40 ms window (hop 5 ms) that looks like a key press. */
export function screenDtmf(samples: ArrayLike<number>): { digit: DtmfKey; atSample: number; share: number }[] {
  const subs = Math.floor(samples.length / SCREEN_HOP);
  // Per 5 ms sub-block: energy, and the complex DFT sum at each frequency with the phase referred to
  // sample 0, so that a window's DFT is the plain sum of its sub-blocks'.
  const energy = new Float64Array(subs);
  const re = new Float64Array(subs * 8);
  const im = new Float64Array(subs * 8);
  for (let s = 0; s < subs; s++) {
    let e = 0;
    for (let n = s * SCREEN_HOP; n < (s + 1) * SCREEN_HOP; n++) {
      const x = samples[n]!;
      e += x * x;
      const p = n % SAMPLE_RATE;
      for (let k = 0; k < 8; k++) {
        re[s * 8 + k] += x * COS[k]![p]!;
        im[s * 8 + k] -= x * SIN[k]![p]!;
      }
    }
    energy[s] = e;
  }
  const per = SCREEN_WINDOW / SCREEN_HOP;
  const dominance = 10 ** (GROUP_DOMINANCE_DB / 10);
  const twist = 10 ** (TWIST_DB / 10);
  const power = new Float64Array(8);
  const strongest = (from: number): number => {
    let best = from;
    for (let k = from + 1; k < from + 4; k++) if (power[k]! > power[best]!) best = k;
    for (let k = from; k < from + 4; k++) if (k !== best && power[k]! * dominance > power[best]!) return -1;
    return best;
  };
  const found: { digit: DtmfKey; atSample: number; share: number }[] = [];
  for (let s = 0; s + per <= subs; s++) {
    let e = 0;
    for (let j = s; j < s + per; j++) e += energy[j]!;
    if (e === 0) continue;
    for (let k = 0; k < 8; k++) {
      let r = 0;
      let i = 0;
      for (let j = s; j < s + per; j++) {
        r += re[j * 8 + k]!;
        i += im[j * 8 + k]!;
      }
      // |X|^2 / (N/2): the energy over the window of a sine at exactly this frequency.
      power[k] = (r * r + i * i) / (SCREEN_WINDOW / 2);
    }
    const row = strongest(0);
    const col = strongest(4);
    if (row < 0 || col < 0) continue;
    const low = power[row]!;
    const high = power[col]!;
    if (high > low * twist || low > high * twist) continue;
    const share = (low + high) / e;
    if (share >= PAIR_SHARE) found.push({ digit: DTMF_KEYS[row * 4 + col - 4]!, atSample: s * SCREEN_HOP, share });
  }
  return found;
}

/**
 * Digits the project's detector confirms in a mono mu-law clip, fed as the recording audit feeds
 * a recording (recording/scan.ts): as is, and with `boostDb` > 0 also on the amplified copy.
 */
function detectorFindings(mulaw: Uint8Array, boostDb: number): TalkOffFinding[] {
  const plain: TalkOffFinding[] = [];
  const boosted: TalkOffFinding[] = [];
  const clip = { encoding: 'mulaw' as const, sampleRate: SAMPLE_RATE, channels: 1, data: mulaw };
  detectInWav(
    clip,
    (e) => {
      if (e.type !== 'digit') return;
      const atSample = Math.round(e.startSample);
      if (e.channel === 0) plain.push({ check: 'detector', digit: e.digit, atSample });
      else boosted.push({ check: `detector+${boostDb}dB`, digit: e.digit, atSample });
    },
    'wasm',
    boostDb,
  );
  return [...plain, ...boosted];
}

/** Digits the project's detector confirms in a mono mu-law clip (no boosted copy). */
export function detectorDigits(mulaw: Uint8Array): { digit: DtmfKey; atSample: number }[] {
  return detectorFindings(mulaw, 0).map(({ digit, atSample }) => ({ digit, atSample }));
}

/** Everything either check finds in a mono 8 kHz mu-law clip; empty when the clip is clean. */
export function talkOffFindings(mulaw: Uint8Array): TalkOffFinding[] {
  const findings = detectorFindings(mulaw, DEFAULT_BOOST_DB);
  // One finding per run of flagged windows of the same digit.
  let last: { digit: DtmfKey; atSample: number } | undefined;
  for (const w of screenDtmf(mulawDecode(mulaw))) {
    if (!last || last.digit !== w.digit || w.atSample - last.atSample > SCREEN_HOP) findings.push({ check: 'screen', digit: w.digit, atSample: w.atSample });
    last = w;
  }
  return findings;
}

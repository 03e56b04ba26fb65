// The DTMF detector's algorithm constants, in one place for both engines. The TypeScript reference
// reads them from here; the AssemblyScript kernel carries the same values as literals in
// wasm/assembly/dtmf-tables.ts (generated from this file by `node --import tsx src/dtmf/gen-kernel-tables.ts`),
// and kernel-tables.test.ts checks the two agree bit for bit. Every value is rounded to f32 because the
// kernel computes in f32; the reference repeats each f32 operation with Math.fround, in the same order.
//
// Design (see research/dtmf.md for the numbers quoted):
// - Goertzel over 40-sample sub-blocks (5 ms); three consecutive sub-blocks are combined coherently
//   (complex sum with phase rotation) into a 120-sample block, hopped every sub-block. The 120-sample block
//   keeps the high group's +-1.5 % (up to 24.5 Hz at 1633 Hz) within 2 dB of the bin peak, and the 5 ms hop
//   gives the timing resolution that duration, dropout and onset rules need.
// - Frequency selectivity does not come from the bin width (a fixed-Hz bin cannot both pass 1.5 % at 1633 Hz
//   and stop 3.5 % at 697 Hz): each tone's frequency is measured from the phase advance of its block between
//   hops k-2 and k (80 samples), and must be within 2.5 % of nominal (midway between Q.24's accept 1.5 %
//   and reject 3.5 %). The measured offset also corrects the power for the bin's roll-off, so the energy
//   fraction and twist tests see the tone's true power.
// - Hit per block: both tones above the level floor, twist within limits, each tone 8 dB above the rest of
//   its group, the pair carrying >= 85 % of the block's energy (corrected), both frequencies within 2.5 %.
//   Because the fraction is about the share of the block the tone covers, it also measures duration.
// - Confirm after 4 consecutive hits of one digit; end after 8 consecutive non-hits. With hop 40 and block
//   120 this gives: tones >= 40 ms always confirmed (>= 5 hit blocks), <= 23 ms never (<= 3), a 10 ms
//   dropout costs <= 5 blocks (bridged), a 40 ms pause >= 10 blocks (split), confirmation ~30 ms after
//   onset. Measured (bench/dtmf-receiver.bench.ts): accept to 2.2 %, reject from 2.7 %; always from 31 ms,
//   never up to 25 ms; gaps bridged to 24 ms, split from 30 ms; 3..-37 dBm0; clean down to 12 dB S/N.
// - Extent: a block's coherent power grows with the square of the share the tone covers, so the first
//   partly covered block before (after) the full ones gives the onset (end) to a few samples. A suspected
//   span opens at the start of its first suspicious block (the onset is not measurable before a full
//   block is seen) and closes at the tone's measured end; a confirmed digit's onset can move it earlier.

const TAU = 2 * Math.PI;
const f = Math.fround;

export const SAMPLE_RATE = 8000;
/** Samples per sub-block: the Goertzel accumulation unit and the decision hop. */
export const SUB = 40;
export const SUBS_PER_BLOCK = 3;
export const BLOCK = SUB * SUBS_PER_BLOCK;
/** Sub-blocks of complex Goertzel outputs kept per channel (for block sums, phase and onset walk-back). */
export const RING = 8;

/** Rows then columns (Q.23). Bin index b: 0-3 rows, 4-7 columns; digit index = row * 4 + (col - 4). */
export const FREQS = [697, 770, 852, 941, 1209, 1336, 1477, 1633] as const;
export const BINS = 8;

const omega = FREQS.map((hz) => (TAU * hz) / SAMPLE_RATE);
/** Goertzel coefficient 2 cos(w). */
export const COEF = omega.map((w) => f(2 * Math.cos(w)));
/** cos(w) and sin(w): the complex output Y = (s1 - cos(w) s2) + j sin(w) s2. */
export const COS1 = omega.map((w) => f(Math.cos(w)));
export const SIN1 = omega.map((w) => f(Math.sin(w)));
/** e^{-j w SUB}: rotates the second sub-block of a block onto the first's phase reference. */
export const ROT1_RE = omega.map((w) => f(Math.cos(w * SUB)));
export const ROT1_IM = omega.map((w) => f(-Math.sin(w * SUB)));
/** e^{-j 2 w SUB}: for the third sub-block, and to remove the nominal phase advance over two hops. */
export const ROT2_RE = omega.map((w) => f(Math.cos(2 * w * SUB)));
export const ROT2_IM = omega.map((w) => f(-Math.sin(2 * w * SUB)));
/** Relative frequency tolerance of a hit: midway between Q.24 (AT&T) accept 1.5 % and reject 3.5 %. */
export const FREQ_TOLERANCE = 0.025;
/** cos of the largest phase advance over two hops (80 samples) a tone within tolerance can show. */
export const PHASE_COS = FREQS.map((hz) => f(Math.cos((TAU * FREQ_TOLERANCE * hz * 2 * SUB) / SAMPLE_RATE)));

/** |X|^2 * 2/BLOCK is the tone's energy over the block (a sine of peak A: BLOCK * A^2 / 2). */
export const PNORM = f(2 / BLOCK);
/** Energy over one block of a 0 dBm0 sine (peak 32768 * 10^(-3.14/20), G.711). */
export const P0 = f((BLOCK * Math.pow(32768 * Math.pow(10, -3.14 / 20), 2)) / 2);
const db = (x: number): number => Math.pow(10, x / 10);

/** Per-tone floor: Q.24 wants 0..-25 dBm0 accepted and < -55 never; -38 leaves room for -8 dB twist at -25. */
export const PMIN = f(P0 * db(-38));
/**
 * High-minus-low twist accepted: Q.24 (AT&T) asks [-8, +4] dB. The measured twist of a clean tone is off by
 * up to 0.6 dB (leakage of the louder tone through the block's sidelobes), and more at 15 dB S/N, so the
 * limits carry 2 dB of margin; Q.24 sets no rejection limit for twist.
 */
export const TWIST_HI = f(db(6));
export const TWIST_LO = f(db(-10));
/** Each tone must beat every other bin of its group by 8 dB (spandsp, Asterisk). */
export const REL_PEAK = f(db(8));
/** Share of block energy the corrected pair must carry. */
export const FRAC = f(0.85);
/** Floor of the roll-off correction (the phase test bounds the offset, so this only guards noise). */
export const GAIN_MIN = f(0.25);

/** Looser tests for "tone suspected" (masking): no phase test, uncorrected powers. */
export const PMIN_SUSPECT = f(P0 * db(-42));
export const TWIST_HI_SUSPECT = f(db(10));
export const TWIST_LO_SUSPECT = f(db(-14));
export const REL_PEAK_SUSPECT = f(db(6));
export const FRAC_SUSPECT = f(0.5);

export const CONFIRM_HITS = 4;
export const MISSES_TO_END = 8;
/** Blocks without suspicion that close a suspected span that never became a digit. */
export const SUSPECT_QUIET = 2;
/** A block whose tracked-pair power is >= FULL x the tone's full-block power counts as fully covered (>= 80 %). */
export const FULL = f(0.64);
/**
 * Margins on the measured extent of a tone, in samples. Leakage between the two tones of a pair makes a
 * block's power wobble by up to ~12 %, so the measured onset is within -11..+6 samples of the true one and
 * the end within -13..+8 (2000 random presses); the masker must cover the whole tone, so both are widened.
 */
export const ONSET_SAFETY = 10;
export const END_SAFETY = 16;

/** Event type codes written by both engines. */
export const EV_DIGIT = 1;
export const EV_DIGIT_END = 2;
export const EV_SUSPECT = 3;
export const EV_SUSPECT_END = 4;

export const ENC_MULAW = 0;
export const ENC_PCM16 = 1;

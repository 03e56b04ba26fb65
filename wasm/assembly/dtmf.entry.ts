// DTMF detector kernel (AssemblyScript -> wasm/build/dtmf.wasm). Mirrors src/dtmf/reference-kernel.ts
// operation for operation, in f32, so the two agree bit for bit; the design and the reasons for each
// constant are in src/dtmf/params.ts.
//
// Contract with the wrapper (src/dtmf/wasm-kernel.ts) is a memory map plus these exports:
// - per-channel state: STATE_BYTES at any 16-aligned offset the caller supplies (one instance serves many
//   channels; nothing per-channel lives in globals); init(state) before first use;
// - process(state, input, count, strideBytes, encoding, out, outCap): consumes `count` samples (mu-law
//   bytes or little-endian PCM16) from `input`, every `strideBytes` bytes (interleaved stereo), and writes
//   events of EVENT_BYTES each to `out`, at most `outCap`; returns how many. At most 4 events per 40 samples.
// - flush(state, out, outCap): feeds silence until any digit or suspected span has ended.
// Event record: i32 type, i32 digit, f64 startSample, f64 endSample, f64 detectedAtSample, f32 lowPower,
// f32 highPower (powers are block energies; the wrapper converts them to dBm0).
import {
  MULAW_F32, COEF, COS1, SIN1, ROT1_RE, ROT1_IM, ROT2_RE, ROT2_IM, PHASE_COS,
  SUB, SUBS_PER_BLOCK, BLOCK, RING, CONFIRM_HITS, MISSES_TO_END, SUSPECT_QUIET, ONSET_SAFETY, END_SAFETY,
  EV_DIGIT, EV_DIGIT_END, EV_SUSPECT, EV_SUSPECT_END, ENC_MULAW,
  PNORM, PMIN, TWIST_HI, TWIST_LO, REL_PEAK, FRAC, GAIN_MIN,
  PMIN_SUSPECT, TWIST_HI_SUSPECT, TWIST_LO_SUSPECT, REL_PEAK_SUSPECT, FRAC_SUSPECT, FULL,
} from './dtmf-tables';

// ---- per-channel state layout (byte offsets) ----
const S1: usize = 0; // f32[8] Goertzel s[n-1], rows then columns
const S2: usize = 32; // f32[8] s[n-2]
const YRE: usize = 64; // f32[RING][8] complex sub-block outputs, real parts
const YIM: usize = 320; // imaginary parts
const ERING: usize = 576; // f32[RING] sub-block energies
const ACC: usize = 608; // f32 energy of the current sub-block
const PHASE: usize = 612; // i32 samples into the current sub-block
const SUBCOUNT: usize = 616; // i32 completed sub-blocks
const ACTIVE: usize = 620; // i32 confirmed digit or -1
const CANDIDATE: usize = 624; // i32 digit of the current run of hits or -1
const RUN: usize = 628; // i32 consecutive hits of the candidate
const MISS: usize = 632; // i32 consecutive blocks without the active digit
const OPEN: usize = 636; // i32 a suspected span is open
const QUIET: usize = 640; // i32 consecutive blocks without suspicion
const TRACK_ROW: usize = 644; // i32 bins whose power tracks the tone's extent
const TRACK_COL: usize = 648;
const PBAR: usize = 652; // f32 tracked pair's power in a fully covered block
const SUSPECT_START: usize = 656; // f64
const TONE_END: usize = 664; // f64
const DIGIT_START: usize = 672; // f64
const LOW_POWER: usize = 680; // f32
const HIGH_POWER: usize = 684; // f32

export const STATE_BYTES: i32 = 688;
export const EVENT_BYTES: i32 = 40;

// Output area of the call in progress (not channel state: process() is not re-entered).
let outPtr: usize = 0;
let outCount: i32 = 0;
let outCap: i32 = 0;

// Block energy below which no hit or suspicion is possible (see decide()).
const QUIET_ENERGY: f32 = PMIN * GAIN_MIN < PMIN_SUSPECT ? PMIN * GAIN_MIN : PMIN_SUSPECT;

// Per-block scratch.
const PW: usize = memory.data(32, 16);
const XRE: usize = memory.data(32, 16);
const XIM: usize = memory.data(32, 16);

export function heapBase(): usize {
  return __heap_base;
}

/** Address of a constant table, for the wrapper's tests: 0 mu-law, 1 coefficients. */
export function tableAddress(which: i32): usize {
  return which == 0 ? MULAW_F32 : COEF;
}

export function init(st: usize): void {
  memory.fill(st, 0, <usize>STATE_BYTES);
  store<i32>(st + ACTIVE, -1);
  store<i32>(st + CANDIDATE, -1);
  store<i32>(st + TRACK_COL, 4);
}

export function position(st: usize): f64 {
  return <f64>load<i32>(st + SUBCOUNT) * <f64>SUB + <f64>load<i32>(st + PHASE);
}

export function process(st: usize, input: usize, count: i32, stride: i32, encoding: i32, out: usize, cap: i32): i32 {
  outPtr = out;
  outCount = 0;
  outCap = cap;
  if (encoding == ENC_MULAW) run(st, input, count, stride, ENC_MULAW);
  else run(st, input, count, stride, 1);
  return outCount;
}

export function flush(st: usize, out: usize, cap: i32): i32 {
  outPtr = out;
  outCount = 0;
  outCap = cap;
  for (let guard = 0; (load<i32>(st + ACTIVE) >= 0 || load<i32>(st + OPEN) != 0) && guard < 4 * RING; guard++) {
    run(st, 0, SUB - load<i32>(st + PHASE), 0, -1);
  }
  return outCount;
}

// The hot loop: 8 Goertzel bins as two f32x4 (rows, columns), recurrence written (x - s2) + c*s1,
// mu-law decoded by table inside the loop. One loop per encoding so the decode is not a branch per sample.
// Measured alternative, rejected: a two-sample step (s[n+1] from s[n-1], s[n-2]) shortens the dependency
// chain but costs ~45 % more operations, and V8's code for this loop is throughput-bound: 20 % slower.
// @ts-ignore: decorator
@inline
function sample(input: usize, encoding: i32): f32 {
  if (encoding == ENC_MULAW) return load<f32>(MULAW_F32 + (<usize>load<u8>(input) << 2));
  if (encoding < 0) return 0;
  return <f32>load<i16>(input);
}

// Feeds `count` samples (encoding -1: silence, for flush). The Goertzel state stays in locals across
// sub-blocks; it goes to memory only at the end of the call.
// @ts-ignore: decorator
@inline
function run(st: usize, input: usize, count: i32, stride: i32, encoding: i32): void {
  let s1r = v128.load(st + S1);
  let s1c = v128.load(st + S1, 16);
  let s2r = v128.load(st + S2);
  let s2c = v128.load(st + S2, 16);
  const cr = v128.load(COEF);
  const cc = v128.load(COEF, 16);
  let acc = load<f32>(st + ACC);
  let phase = load<i32>(st + PHASE);
  let left = count;
  while (left > 0) {
    let n = SUB - phase;
    if (n > left) n = left;
    for (let k = 0; k < n; k++) {
      const x = sample(input, encoding);
      input += stride;
      const xv = f32x4.splat(x);
      const r0 = f32x4.add(f32x4.sub(xv, s2r), f32x4.mul(cr, s1r));
      const c0 = f32x4.add(f32x4.sub(xv, s2c), f32x4.mul(cc, s1c));
      s2r = s1r;
      s1r = r0;
      s2c = s1c;
      s1c = c0;
      acc = acc + x * x;
    }
    phase += n;
    left -= n;
    if (phase == SUB) {
      endSubBlock(st, s1r, s1c, s2r, s2c, acc);
      const zero = f32x4.splat(0);
      s1r = zero;
      s1c = zero;
      s2r = zero;
      s2c = zero;
      acc = 0;
      phase = 0;
    }
  }
  v128.store(st + S1, s1r);
  v128.store(st + S1, s1c, 16);
  v128.store(st + S2, s2r);
  v128.store(st + S2, s2c, 16);
  store<f32>(st + ACC, acc);
  store<i32>(st + PHASE, phase);
}

// @ts-ignore: decorator
@inline
function ringAt(sub: i32, b: i32): usize {
  return (<usize>((sub & (RING - 1)) * 8 + b)) << 2;
}

// @ts-ignore: decorator
@inline
function tab(table: usize, b: i32): f32 {
  return load<f32>(table + (<usize>b << 2));
}

function emit(type: i32, digit: i32, start: f64, end: f64, at: f64, low: f32, high: f32): void {
  if (outCount >= outCap) return;
  const p = outPtr + <usize>(outCount * EVENT_BYTES);
  store<i32>(p, type);
  store<i32>(p, digit, 4);
  store<f64>(p, start, 8);
  store<f64>(p, end, 16);
  store<f64>(p, at, 24);
  store<f32>(p, low, 32);
  store<f32>(p, high, 36);
  outCount++;
}

function endSubBlock(st: usize, s1r: v128, s1c: v128, s2r: v128, s2c: v128, acc: f32): void {
  const subCount = load<i32>(st + SUBCOUNT);
  // Complex outputs of the 8 bins, four at a time: Y = (s1 - cos(w) s2) + j sin(w) s2.
  const slot = <usize>((subCount & (RING - 1)) << 5);
  v128.store(st + YRE + slot, f32x4.sub(s1r, f32x4.mul(v128.load(COS1), s2r)));
  v128.store(st + YRE + slot, f32x4.sub(s1c, f32x4.mul(v128.load(COS1, 16), s2c)), 16);
  v128.store(st + YIM + slot, f32x4.mul(v128.load(SIN1), s2r));
  v128.store(st + YIM + slot, f32x4.mul(v128.load(SIN1, 16), s2c), 16);
  store<f32>(st + ERING + (<usize>(subCount & (RING - 1)) << 2), acc);
  store<i32>(st + SUBCOUNT, subCount + 1);
  if (subCount + 1 >= SUBS_PER_BLOCK) decide(st);
}

/** Block outputs and powers of four bins (group 0 rows, 1 columns) for the block starting at `sub`. */
// @ts-ignore: decorator
@inline
function blockGroup(st: usize, sub: i32, g: usize): v128 {
  const o = g << 4;
  const a = (<usize>((sub & (RING - 1)) << 5)) + o;
  const m = (<usize>(((sub + 1) & (RING - 1)) << 5)) + o;
  const c = (<usize>(((sub + 2) & (RING - 1)) << 5)) + o;
  const r1r = v128.load(ROT1_RE + o);
  const r1i = v128.load(ROT1_IM + o);
  const r2r = v128.load(ROT2_RE + o);
  const r2i = v128.load(ROT2_IM + o);
  const yra = v128.load(st + YRE + a);
  const yia = v128.load(st + YIM + a);
  const yrm = v128.load(st + YRE + m);
  const yim = v128.load(st + YIM + m);
  const yrc = v128.load(st + YRE + c);
  const yic = v128.load(st + YIM + c);
  const xr = f32x4.add(
    f32x4.add(yra, f32x4.sub(f32x4.mul(r1r, yrm), f32x4.mul(r1i, yim))),
    f32x4.sub(f32x4.mul(r2r, yrc), f32x4.mul(r2i, yic)),
  );
  const xi = f32x4.add(
    f32x4.add(yia, f32x4.add(f32x4.mul(r1r, yim), f32x4.mul(r1i, yrm))),
    f32x4.add(f32x4.mul(r2r, yic), f32x4.mul(r2i, yrc)),
  );
  v128.store(XRE + o, xr);
  v128.store(XIM + o, xi);
  const pw = f32x4.mul(f32x4.add(f32x4.mul(xr, xr), f32x4.mul(xi, xi)), f32x4.splat(PNORM));
  v128.store(PW + o, pw);
  return pw;
}

// @ts-ignore: decorator
@inline
function maxLane(v: v128): f32 {
  const m = f32x4.max(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.max(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2)), 0);
}

/** Index of the first lane equal to `max` (the reference's strict-greater scan keeps the first maximum). */
// @ts-ignore: decorator
@inline
function firstLane(v: v128, max: f32): i32 {
  return ctz<i32>(i32x4.bitmask(f32x4.eq(v, f32x4.splat(max))));
}

function blockPower(st: usize, sub: i32, b: i32): f32 {
  const a = ringAt(sub, b);
  const m = ringAt(sub + 1, b);
  const c = ringAt(sub + 2, b);
  const r1r = tab(ROT1_RE, b);
  const r1i = tab(ROT1_IM, b);
  const r2r = tab(ROT2_RE, b);
  const r2i = tab(ROT2_IM, b);
  const yra = load<f32>(st + YRE + a);
  const yia = load<f32>(st + YIM + a);
  const yrm = load<f32>(st + YRE + m);
  const yim = load<f32>(st + YIM + m);
  const yrc = load<f32>(st + YRE + c);
  const yic = load<f32>(st + YIM + c);
  const xr = (yra + (r1r * yrm - r1i * yim)) + (r2r * yrc - r2i * yic);
  const xi = (yia + (r1r * yim + r1i * yrm)) + (r2r * yic + r2i * yrc);
  return (xr * xr + xi * xi) * PNORM;
}

function pairPower(st: usize, sub: i32): f32 {
  return blockPower(st, sub, load<i32>(st + TRACK_ROW)) + blockPower(st, sub, load<i32>(st + TRACK_COL));
}

// Follows where the tracked tone ends: a block's coherent power grows with the square of the part the tone
// covers, so the first partly covered block after full ones gives the end to a few samples. Runs in
// decide(), after the block powers of the newest block are in PW.
function trackTone(st: usize): void {
  const subCount = load<i32>(st + SUBCOUNT);
  const first = subCount - SUBS_PER_BLOCK;
  const p = tab(PW, load<i32>(st + TRACK_ROW)) + tab(PW, load<i32>(st + TRACK_COL));
  let pbar = load<f32>(st + PBAR);
  if (p > pbar) {
    pbar = p;
    store<f32>(st + PBAR, p);
  }
  const end = <f64>subCount * <f64>SUB;
  if (p >= FULL * pbar) store<f64>(st + TONE_END, end);
  else if (load<f64>(st + TONE_END) == end - <f64>SUB) {
    store<f64>(st + TONE_END, <f64>first * <f64>SUB + <f64>(<f32>BLOCK * Mathf.sqrt(p / pbar)) + <f64>END_SAFETY);
  }
}

// Walks back over the blocks in the ring to where the tracked tone began: past the fully covered blocks to
// the first partly covered one, whose power gives the covered length. Sets the tone's full-block power.
function onset(st: usize): f64 {
  const subCount = load<i32>(st + SUBCOUNT);
  const newest = subCount - SUBS_PER_BLOCK;
  const oldest = subCount - RING > 0 ? subCount - RING : 0;
  let pbar: f32 = 0;
  for (let j = newest; j >= oldest; j--) {
    const p = pairPower(st, j);
    if (p > pbar) pbar = p;
  }
  store<f32>(st + PBAR, pbar);
  const full = FULL * pbar;
  let j = newest;
  while (j >= oldest && pairPower(st, j) < full) j--;
  while (j >= oldest && pairPower(st, j) >= full) j--;
  if (j < oldest) return <f64>oldest * <f64>SUB;
  const r = pairPower(st, j) / pbar;
  const at = <f64>(j * SUB + BLOCK) - <f64>(<f32>BLOCK * Mathf.sqrt(r)) - <f64>ONSET_SAFETY;
  return at < 0 ? 0 : at;
}

function block(st: usize, sub: i32, b: i32): void {
  const a = ringAt(sub, b);
  const m = ringAt(sub + 1, b);
  const c = ringAt(sub + 2, b);
  const r1r = tab(ROT1_RE, b);
  const r1i = tab(ROT1_IM, b);
  const r2r = tab(ROT2_RE, b);
  const r2i = tab(ROT2_IM, b);
  const yra = load<f32>(st + YRE + a);
  const yia = load<f32>(st + YIM + a);
  const yrm = load<f32>(st + YRE + m);
  const yim = load<f32>(st + YIM + m);
  const yrc = load<f32>(st + YRE + c);
  const yic = load<f32>(st + YIM + c);
  store<f32>(XRE + (<usize>b << 2), (yra + (r1r * yrm - r1i * yim)) + (r2r * yrc - r2i * yic));
  store<f32>(XIM + (<usize>b << 2), (yia + (r1r * yim + r1i * yrm)) + (r2r * yic + r2i * yrc));
}

function gain(st: usize, b: i32, oldest: i32): f32 {
  const xr = load<f32>(XRE + (<usize>b << 2));
  const xi = load<f32>(XIM + (<usize>b << 2));
  block(st, oldest - 2, b);
  const pr = load<f32>(XRE + (<usize>b << 2));
  const pi = load<f32>(XIM + (<usize>b << 2));
  store<f32>(XRE + (<usize>b << 2), xr);
  store<f32>(XIM + (<usize>b << 2), xi);
  const tRe = xr * pr + xi * pi;
  const tIm = xi * pr - xr * pi;
  const zRe = tRe * tab(ROT2_RE, b) - tIm * tab(ROT2_IM, b);
  const zIm = tRe * tab(ROT2_IM, b) + tIm * tab(ROT2_RE, b);
  const mag = Mathf.sqrt(zRe * zRe + zIm * zIm);
  if (!(mag > 0) || zRe < tab(PHASE_COS, b) * mag) return 0;
  const cz = zRe / mag;
  const c1 = Mathf.sqrt((<f32>1 + cz) * <f32>0.5);
  const a = (<f32>1 + <f32>2 * c1) / <f32>3;
  const s = (<f32>1 - c1) * <f32>0.5;
  const rolloff = (<f32>1 - s / <f32>3) - (s * s) / <f32>15;
  const g = (a * a) * rolloff;
  return g < GAIN_MIN ? GAIN_MIN : g;
}

function decide(st: usize): void {
  const subCount = load<i32>(st + SUBCOUNT);
  const oldest = subCount - SUBS_PER_BLOCK;
  const energy =
    (load<f32>(st + ERING + (<usize>(oldest & (RING - 1)) << 2)) + load<f32>(st + ERING + (<usize>((oldest + 1) & (RING - 1)) << 2))) +
    load<f32>(st + ERING + (<usize>((oldest + 2) & (RING - 1)) << 2));
  const idle = load<i32>(st + CANDIDATE) < 0 && load<i32>(st + ACTIVE) < 0 && load<i32>(st + OPEN) == 0;
  // Quiet gate: a bin's block power is at most 2x the block energy (Cauchy-Schwarz), so in near-silence no
  // tone can reach a hit's floor (PMIN x GAIN_MIN) or a suspicion's; skip the block sums (results unchanged:
  // the factor 4 covers f32 rounding).
  if (idle && energy * <f32>4 < QUIET_ENERGY) return;
  const pwRows = blockGroup(st, oldest, 0);
  const pwCols = blockGroup(st, oldest, 1);
  if (!idle && (load<i32>(st + ACTIVE) >= 0 || load<i32>(st + OPEN) != 0)) trackTone(st);
  // Strongest row and column (values by SIMD reduction, branch-free; the index only when needed).
  const pRow = maxLane(pwRows);
  const pCol = maxLane(pwCols);

  // Gate: a corrected power is at most 4x the raw one (GAIN_MIN = 0.25, exact scaling), so below this
  // neither a hit nor a suspicion is possible and the remaining tests are skipped (results unchanged).
  let hit = -1;
  let suspect = false;
  let lowPower: f32 = 0;
  let highPower: f32 = 0;
  let row = 0;
  let col = 4;
  if ((pRow + pCol) * <f32>4 < FRAC * energy) {
    // Nothing in progress and nothing possible: step() would change nothing observable.
    if (idle) return;
  } else {
    row = firstLane(pwRows, pRow);
    col = 4 + firstLane(pwCols, pCol);
    // Relative peak, four bins at a time: every other bin of each group below the winner by 8 dB (6 dB
    // for suspicion). The winner's own lane always fails the comparison, so it is masked out.
    const others = ~((1 << row) | (1 << (col - 4)) << 4);
    const loudRows = i32x4.bitmask(f32x4.gt(f32x4.mul(pwRows, f32x4.splat(REL_PEAK)), f32x4.splat(pRow)));
    const loudCols = i32x4.bitmask(f32x4.gt(f32x4.mul(pwCols, f32x4.splat(REL_PEAK)), f32x4.splat(pCol)));
    const nearRows = i32x4.bitmask(f32x4.gt(f32x4.mul(pwRows, f32x4.splat(REL_PEAK_SUSPECT)), f32x4.splat(pRow)));
    const nearCols = i32x4.bitmask(f32x4.gt(f32x4.mul(pwCols, f32x4.splat(REL_PEAK_SUSPECT)), f32x4.splat(pCol)));
    const relPeak = ((loudRows | (loudCols << 4)) & others) == 0;
    const relPeakSuspect = ((nearRows | (nearCols << 4)) & others) == 0;
    suspect =
      pRow >= PMIN_SUSPECT &&
      pCol >= PMIN_SUSPECT &&
      pCol <= pRow * TWIST_HI_SUSPECT &&
      pCol >= pRow * TWIST_LO_SUSPECT &&
      relPeakSuspect &&
      pRow + pCol >= FRAC_SUSPECT * energy;
    if (relPeak && subCount >= SUBS_PER_BLOCK + 2) {
      const gRow = gain(st, row, oldest);
      const gCol: f32 = gRow > 0 ? gain(st, col, oldest) : 0;
      if (gCol > 0) {
        lowPower = pRow / gRow;
        highPower = pCol / gCol;
        if (
          lowPower >= PMIN &&
          highPower >= PMIN &&
          highPower <= lowPower * TWIST_HI &&
          highPower >= lowPower * TWIST_LO &&
          lowPower + highPower >= FRAC * energy
        ) {
          hit = row * 4 + (col - 4);
        }
      }
    }
  }
  step(st, hit, suspect || hit >= 0, row, col, lowPower, highPower, pRow, pCol);
}

function step(st: usize, hit: i32, suspicious: bool, row: i32, col: i32, lowPower: f32, highPower: f32, pRow: f32, pCol: f32): void {
  const subCount = load<i32>(st + SUBCOUNT);
  const now = <f64>subCount * <f64>SUB;
  let candidate = load<i32>(st + CANDIDATE);
  let run = load<i32>(st + RUN);
  if (hit >= 0 && hit == candidate) run++;
  else {
    candidate = hit;
    run = hit >= 0 ? 1 : 0;
  }
  store<i32>(st + CANDIDATE, candidate);
  store<i32>(st + RUN, run);
  let active = load<i32>(st + ACTIVE);
  if (active >= 0) {
    if (hit == active) {
      store<i32>(st + MISS, 0);
      store<f32>(st + LOW_POWER, lowPower);
      store<f32>(st + HIGH_POWER, highPower);
    } else {
      const miss = load<i32>(st + MISS) + 1;
      store<i32>(st + MISS, miss);
      if (miss >= MISSES_TO_END || (candidate >= 0 && candidate != active && run >= CONFIRM_HITS)) {
        endDigit(st, now);
        active = -1;
      }
    }
  }
  if (active < 0 && candidate >= 0 && run >= CONFIRM_HITS) {
    const digit = candidate;
    active = digit;
    store<i32>(st + ACTIVE, digit);
    store<i32>(st + MISS, 0);
    store<i32>(st + TRACK_ROW, digit >> 2);
    store<i32>(st + TRACK_COL, 4 + (digit & 3));
    const start = onset(st);
    store<f64>(st + DIGIT_START, start);
    store<f64>(st + TONE_END, now);
    store<f32>(st + LOW_POWER, lowPower);
    store<f32>(st + HIGH_POWER, highPower);
    if (load<i32>(st + OPEN) != 0) {
      if (start < load<f64>(st + SUSPECT_START)) store<f64>(st + SUSPECT_START, start);
    } else {
      store<i32>(st + OPEN, 1);
      store<f64>(st + SUSPECT_START, start);
      emit(EV_SUSPECT, digit, start, -1, now, pRow, pCol);
    }
    emit(EV_DIGIT, digit, start, -1, now, lowPower, highPower);
  }
  let quiet = load<i32>(st + QUIET);
  quiet = suspicious ? 0 : quiet + 1;
  store<i32>(st + QUIET, quiet);
  if (active >= 0) return;
  const open = load<i32>(st + OPEN) != 0;
  if (suspicious && !open) {
    store<i32>(st + OPEN, 1);
    store<i32>(st + TRACK_ROW, row);
    store<i32>(st + TRACK_COL, col);
    // The first suspicious block is only partly covered, so the onset is not measurable yet: start the
    // span at the block's start (at most ~60 samples early); the digit, if any, refines it.
    store<f32>(st + PBAR, pairPower(st, subCount - SUBS_PER_BLOCK));
    const start = <f64>(subCount - SUBS_PER_BLOCK) * <f64>SUB;
    store<f64>(st + SUSPECT_START, start);
    store<f64>(st + TONE_END, now);
    emit(EV_SUSPECT, row * 4 + (col - 4), start, -1, now, pRow, pCol);
  } else if (!suspicious && open && quiet >= SUSPECT_QUIET) {
    store<i32>(st + OPEN, 0);
    const start = load<f64>(st + SUSPECT_START);
    const toneEnd = load<f64>(st + TONE_END);
    emit(EV_SUSPECT_END, load<i32>(st + TRACK_ROW) * 4 + (load<i32>(st + TRACK_COL) - 4), start, toneEnd > start ? toneEnd : start, now, 0, 0);
  }
}

function endDigit(st: usize, now: f64): void {
  const digit = load<i32>(st + ACTIVE);
  const toneEnd = load<f64>(st + TONE_END);
  const start = load<f64>(st + DIGIT_START);
  emit(EV_DIGIT_END, digit, start, toneEnd > start ? toneEnd : start, now, load<f32>(st + LOW_POWER), load<f32>(st + HIGH_POWER));
  if (load<i32>(st + OPEN) != 0) {
    const sStart = load<f64>(st + SUSPECT_START);
    emit(EV_SUSPECT_END, digit, sStart, toneEnd > sStart ? toneEnd : sStart, now, 0, 0);
    store<i32>(st + OPEN, 0);
  }
  store<i32>(st + ACTIVE, -1);
  store<i32>(st + MISS, 0);
  store<i32>(st + QUIET, 0);
}

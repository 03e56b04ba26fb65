// The plain TypeScript DTMF kernel: one channel's state and the per-sample and per-block steps. It is the
// reference the WASM kernel (wasm/assembly/dtmf.entry.ts) is tested against, and the benchmark baseline.
// Every f32 operation of the kernel is repeated here with Math.fround in the same order, so the two agree
// bit for bit (IEEE single add/sub/mul/div/sqrt are exact after one rounding from double).
import { MULAW_TO_LINEAR } from '../audio/g711.js';
import * as P from './params.js';

const f = Math.fround;
const { SUB, RING, BINS } = P;

/** Receives one raw event: the same fields the WASM kernel writes to its output area. */
export type RawEventSink = (
  type: number,
  digit: number,
  startSample: number,
  endSample: number,
  detectedAtSample: number,
  lowPower: number,
  highPower: number,
) => void;

const MULAW = Float32Array.from(MULAW_TO_LINEAR);

export class ReferenceKernel {
  // Goertzel state of the current sub-block, bins 0-7.
  readonly #s1 = new Float32Array(BINS);
  readonly #s2 = new Float32Array(BINS);
  #acc = 0; // f32 energy of the current sub-block
  #phase = 0; // samples into the current sub-block
  #subCount = 0; // completed sub-blocks
  readonly #yRe = new Float32Array(RING * BINS);
  readonly #yIm = new Float32Array(RING * BINS);
  readonly #eRing = new Float32Array(RING);
  #active = -1;
  #candidate = -1;
  #run = 0;
  #miss = 0;
  #open = false;
  #quiet = 0;
  #trackRow = 0;
  #trackCol = 4;
  #pbar = 0; // f32 tracked pair power in a fully covered block
  #suspectStart = 0;
  #toneEnd = 0;
  #digitStart = 0;
  #lowPower = 0;
  #highPower = 0;
  // Per-block scratch (not state: rebuilt every block).
  readonly #pw = new Float32Array(BINS);
  readonly #xRe = new Float32Array(BINS);
  readonly #xIm = new Float32Array(BINS);

  /** Samples consumed so far. */
  get positionSamples(): number {
    return this.#subCount * SUB + this.#phase;
  }

  reset(): void {
    this.#s1.fill(0);
    this.#s2.fill(0);
    this.#yRe.fill(0);
    this.#yIm.fill(0);
    this.#eRing.fill(0);
    this.#acc = 0;
    this.#phase = 0;
    this.#subCount = 0;
    this.#active = -1;
    this.#candidate = -1;
    this.#run = 0;
    this.#miss = 0;
    this.#open = false;
    this.#quiet = 0;
    this.#trackRow = 0;
    this.#trackCol = 4;
    this.#pbar = 0;
    this.#suspectStart = 0;
    this.#toneEnd = 0;
    this.#digitStart = 0;
    this.#lowPower = 0;
    this.#highPower = 0;
  }

  /**
   * Consumes `count` samples of `input` starting at index `first`, every `stride`-th element
   * (mu-law bytes when `encoding` is ENC_MULAW, PCM16 samples when ENC_PCM16).
   */
  process(input: Uint8Array | Int16Array, first: number, count: number, stride: number, encoding: number, emit: RawEventSink): void {
    const s1 = this.#s1;
    const s2 = this.#s2;
    const coef = P.COEF;
    const mu = encoding === P.ENC_MULAW;
    let i = first;
    let left = count;
    while (left > 0) {
      const n = Math.min(left, SUB - this.#phase);
      let acc = this.#acc;
      for (let k = 0; k < n; k++, i += stride) {
        const x = mu ? MULAW[input[i]!]! : f(input[i]!);
        for (let b = 0; b < BINS; b++) {
          const s0 = f(f(x - s2[b]!) + f(coef[b]! * s1[b]!));
          s2[b] = s1[b]!;
          s1[b] = s0;
        }
        acc = f(acc + f(x * x));
      }
      this.#acc = acc;
      this.#phase += n;
      left -= n;
      if (this.#phase === SUB) this.#endSubBlock(emit);
    }
  }

  /** Ends the stream: feeds silence until any digit or suspected span in progress has ended. */
  flush(encoding: number, emit: RawEventSink): void {
    const silence = encoding === P.ENC_MULAW ? new Uint8Array(SUB).fill(0xff) : new Int16Array(SUB);
    for (let guard = 0; (this.#active >= 0 || this.#open) && guard < 4 * RING; guard++) {
      this.process(silence, 0, SUB - this.#phase, 1, encoding, emit);
    }
  }

  #endSubBlock(emit: RawEventSink): void {
    const slot = (this.#subCount & (RING - 1)) * BINS;
    for (let b = 0; b < BINS; b++) {
      const a1 = this.#s1[b]!;
      const a2 = this.#s2[b]!;
      this.#yRe[slot + b] = f(a1 - f(P.COS1[b]! * a2));
      this.#yIm[slot + b] = f(P.SIN1[b]! * a2);
      this.#s1[b] = 0;
      this.#s2[b] = 0;
    }
    this.#eRing[this.#subCount & (RING - 1)] = this.#acc;
    this.#acc = 0;
    this.#phase = 0;
    this.#subCount++;
    if (this.#subCount >= P.SUBS_PER_BLOCK) this.#decide(emit);
  }

  /** Power (uncorrected) of bin b over the block whose oldest sub-block is `sub`. */
  #blockPower(sub: number, b: number): number {
    const a = (sub & (RING - 1)) * BINS + b;
    const m = ((sub + 1) & (RING - 1)) * BINS + b;
    const c = ((sub + 2) & (RING - 1)) * BINS + b;
    const yr = this.#yRe;
    const yi = this.#yIm;
    const r1r = P.ROT1_RE[b]!;
    const r1i = P.ROT1_IM[b]!;
    const r2r = P.ROT2_RE[b]!;
    const r2i = P.ROT2_IM[b]!;
    const xr = f(f(yr[a]! + f(f(r1r * yr[m]!) - f(r1i * yi[m]!))) + f(f(r2r * yr[c]!) - f(r2i * yi[c]!)));
    const xi = f(f(yi[a]! + f(f(r1r * yi[m]!) + f(r1i * yr[m]!))) + f(f(r2r * yi[c]!) + f(r2i * yr[c]!)));
    return f(f(f(xr * xr) + f(xi * xi)) * P.PNORM);
  }

  /** Power of the tracked tone pair over the block whose oldest sub-block is `sub`. */
  #pairPower(sub: number): number {
    return f(this.#blockPower(sub, this.#trackRow) + this.#blockPower(sub, this.#trackCol));
  }

  /**
   * Follows where the tracked tone ends. A block's coherent power grows with the square of the part of it
   * the tone covers, so the first partly covered block after full ones gives the end to a few samples.
   * Runs in #decide once the newest block's powers are in #pw.
   */
  #trackTone(): void {
    const first = this.#subCount - P.SUBS_PER_BLOCK;
    const p = f(this.#pw[this.#trackRow]! + this.#pw[this.#trackCol]!);
    if (p > this.#pbar) this.#pbar = p;
    const end = this.#subCount * SUB;
    if (p >= f(P.FULL * this.#pbar)) this.#toneEnd = end;
    else if (this.#toneEnd === end - SUB) this.#toneEnd = first * SUB + f(P.BLOCK * f(Math.sqrt(f(p / this.#pbar)))) + P.END_SAFETY;
  }

  /**
   * Walks back over the blocks in the ring to where the tracked tone began: past the fully covered blocks
   * to the first partly covered one, whose power gives the covered length. Sets the tone's full-block power.
   */
  #onset(): number {
    const newest = this.#subCount - P.SUBS_PER_BLOCK;
    const oldest = Math.max(0, this.#subCount - RING);
    let pbar = 0;
    for (let j = newest; j >= oldest; j--) {
      const p = this.#pairPower(j);
      if (p > pbar) pbar = p;
    }
    this.#pbar = pbar;
    const full = f(P.FULL * pbar);
    let j = newest;
    while (j >= oldest && this.#pairPower(j) < full) j--;
    while (j >= oldest && this.#pairPower(j) >= full) j--;
    if (j < oldest) return oldest * SUB;
    const r = f(this.#pairPower(j) / pbar);
    const at = j * SUB + P.BLOCK - f(P.BLOCK * f(Math.sqrt(r))) - P.ONSET_SAFETY;
    return at < 0 ? 0 : at;
  }

  /** Block complex output of bin b for the block whose oldest sub-block is `sub`, into xRe/xIm[b]. */
  #block(sub: number, b: number): void {
    const a = (sub & (RING - 1)) * BINS + b;
    const m = ((sub + 1) & (RING - 1)) * BINS + b;
    const c = ((sub + 2) & (RING - 1)) * BINS + b;
    const yr = this.#yRe;
    const yi = this.#yIm;
    const r1r = P.ROT1_RE[b]!;
    const r1i = P.ROT1_IM[b]!;
    const r2r = P.ROT2_RE[b]!;
    const r2i = P.ROT2_IM[b]!;
    this.#xRe[b] = f(f(yr[a]! + f(f(r1r * yr[m]!) - f(r1i * yi[m]!))) + f(f(r2r * yr[c]!) - f(r2i * yi[c]!)));
    this.#xIm[b] = f(f(yi[a]! + f(f(r1r * yi[m]!) + f(r1i * yr[m]!))) + f(f(r2r * yi[c]!) + f(r2i * yr[c]!)));
  }

  /**
   * Roll-off gain of bin b for the tone in it, from the phase advance between the current block and the
   * one two hops back; 0 when the tone is outside the frequency tolerance.
   */
  #gain(b: number, oldest: number): number {
    const xr = this.#xRe[b]!;
    const xi = this.#xIm[b]!;
    this.#block(oldest - 2, b);
    const pr = this.#xRe[b]!;
    const pi = this.#xIm[b]!;
    this.#xRe[b] = xr;
    this.#xIm[b] = xi;
    const tRe = f(f(xr * pr) + f(xi * pi));
    const tIm = f(f(xi * pr) - f(xr * pi));
    const zRe = f(f(tRe * P.ROT2_RE[b]!) - f(tIm * P.ROT2_IM[b]!));
    const zIm = f(f(tRe * P.ROT2_IM[b]!) + f(tIm * P.ROT2_RE[b]!));
    const mag = f(Math.sqrt(f(f(zRe * zRe) + f(zIm * zIm))));
    if (!(mag > 0) || zRe < f(P.PHASE_COS[b]! * mag)) return 0;
    const cz = f(zRe / mag);
    const c1 = f(Math.sqrt(f(f(1 + cz) * 0.5)));
    const a = f(f(1 + f(2 * c1)) / 3);
    const s = f(f(1 - c1) * 0.5);
    const rolloff = f(f(1 - f(s / 3)) - f(f(s * s) / 15));
    const g = f(f(a * a) * rolloff);
    return g < P.GAIN_MIN ? P.GAIN_MIN : g;
  }

  #decide(emit: RawEventSink): void {
    const oldest = this.#subCount - P.SUBS_PER_BLOCK;
    const pw = this.#pw;
    for (let b = 0; b < BINS; b++) {
      this.#block(oldest, b);
      const xr = this.#xRe[b]!;
      const xi = this.#xIm[b]!;
      pw[b] = f(f(f(xr * xr) + f(xi * xi)) * P.PNORM);
    }
    if (this.#active >= 0 || this.#open) this.#trackTone();
    const e = this.#eRing;
    const energy = f(f(e[oldest & (RING - 1)]! + e[(oldest + 1) & (RING - 1)]!) + e[(oldest + 2) & (RING - 1)]!);
    let row = 0;
    for (let b = 1; b < 4; b++) if (pw[b]! > pw[row]!) row = b;
    let col = 4;
    for (let b = 5; b < 8; b++) if (pw[b]! > pw[col]!) col = b;
    const pRow = pw[row]!;
    const pCol = pw[col]!;

    // Gate: a corrected power is at most 4x the raw one (GAIN_MIN = 0.25, exact scaling), so below this
    // neither a hit nor a suspicion is possible and the remaining tests are skipped (results unchanged).
    let hit = -1;
    let suspect = false;
    let lowPower = 0;
    let highPower = 0;
    if (f(f(pRow + pCol) * 4) >= f(P.FRAC * energy)) {
      let relPeak = true;
      let relPeakSuspect = true;
      for (let b = 0; b < BINS; b++) {
        if (b === row || b === col) continue;
        const top = b < 4 ? pRow : pCol;
        if (f(pw[b]! * P.REL_PEAK) > top) relPeak = false;
        if (f(pw[b]! * P.REL_PEAK_SUSPECT) > top) relPeakSuspect = false;
      }
      suspect =
        pRow >= P.PMIN_SUSPECT &&
        pCol >= P.PMIN_SUSPECT &&
        pCol <= f(pRow * P.TWIST_HI_SUSPECT) &&
        pCol >= f(pRow * P.TWIST_LO_SUSPECT) &&
        relPeakSuspect &&
        f(pRow + pCol) >= f(P.FRAC_SUSPECT * energy);
      if (relPeak && this.#subCount >= P.SUBS_PER_BLOCK + 2) {
        const gRow = this.#gain(row, oldest);
        const gCol = gRow > 0 ? this.#gain(col, oldest) : 0;
        if (gCol > 0) {
          lowPower = f(pRow / gRow);
          highPower = f(pCol / gCol);
          if (
            lowPower >= P.PMIN &&
            highPower >= P.PMIN &&
            highPower <= f(lowPower * P.TWIST_HI) &&
            highPower >= f(lowPower * P.TWIST_LO) &&
            f(lowPower + highPower) >= f(P.FRAC * energy)
          ) {
            hit = row * 4 + (col - 4);
          }
        }
      }
    }
    this.#step(hit, suspect || hit >= 0, row, col, lowPower, highPower, pRow, pCol, emit);
  }

  /** The per-block state machine: confirm, bridge, end; open and close suspected spans. */
  #step(hit: number, suspicious: boolean, row: number, col: number, lowPower: number, highPower: number, pRow: number, pCol: number, emit: RawEventSink): void {
    const now = this.#subCount * SUB;
    if (hit >= 0 && hit === this.#candidate) this.#run++;
    else {
      this.#candidate = hit;
      this.#run = hit >= 0 ? 1 : 0;
    }
    if (this.#active >= 0) {
      if (hit === this.#active) {
        this.#miss = 0;
        this.#lowPower = lowPower;
        this.#highPower = highPower;
      } else {
        this.#miss++;
        if (this.#miss >= P.MISSES_TO_END || (this.#candidate >= 0 && this.#candidate !== this.#active && this.#run >= P.CONFIRM_HITS)) {
          this.#endDigit(now, emit);
        }
      }
    }
    if (this.#active < 0 && this.#candidate >= 0 && this.#run >= P.CONFIRM_HITS) {
      const digit = this.#candidate;
      this.#active = digit;
      this.#miss = 0;
      this.#trackRow = digit >> 2;
      this.#trackCol = 4 + (digit & 3);
      this.#digitStart = this.#onset();
      this.#toneEnd = now;
      this.#lowPower = lowPower;
      this.#highPower = highPower;
      if (this.#open) {
        if (this.#digitStart < this.#suspectStart) this.#suspectStart = this.#digitStart;
      } else {
        this.#open = true;
        this.#suspectStart = this.#digitStart;
        emit(P.EV_SUSPECT, digit, this.#suspectStart, -1, now, pRow, pCol);
      }
      emit(P.EV_DIGIT, digit, this.#digitStart, -1, now, lowPower, highPower);
    }
    if (suspicious) this.#quiet = 0;
    else this.#quiet++;
    if (this.#active >= 0) return;
    if (suspicious && !this.#open) {
      this.#open = true;
      this.#trackRow = row;
      this.#trackCol = col;
      // The first suspicious block is only partly covered, so the onset is not measurable yet: start the
      // span at the block's start (at most ~60 samples early); the digit, if any, refines it.
      this.#pbar = this.#pairPower(this.#subCount - P.SUBS_PER_BLOCK);
      this.#suspectStart = (this.#subCount - P.SUBS_PER_BLOCK) * SUB;
      this.#toneEnd = now;
      emit(P.EV_SUSPECT, row * 4 + (col - 4), this.#suspectStart, -1, now, pRow, pCol);
    } else if (!suspicious && this.#open && this.#quiet >= P.SUSPECT_QUIET) {
      this.#open = false;
      const end = this.#toneEnd > this.#suspectStart ? this.#toneEnd : this.#suspectStart;
      emit(P.EV_SUSPECT_END, this.#trackRow * 4 + (this.#trackCol - 4), this.#suspectStart, end, now, 0, 0);
    }
  }

  #endDigit(now: number, emit: RawEventSink): void {
    const digit = this.#active;
    const end = this.#toneEnd > this.#digitStart ? this.#toneEnd : this.#digitStart;
    emit(P.EV_DIGIT_END, digit, this.#digitStart, end, now, this.#lowPower, this.#highPower);
    if (this.#open) {
      const sEnd = this.#toneEnd > this.#suspectStart ? this.#toneEnd : this.#suspectStart;
      emit(P.EV_SUSPECT_END, digit, this.#suspectStart, sEnd, now, 0, 0);
      this.#open = false;
    }
    this.#active = -1;
    this.#miss = 0;
    this.#quiet = 0;
  }
}

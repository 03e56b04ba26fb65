// One channel of the delay line: mu-law bytes held by stream position from `base` (the oldest sample
// not yet released) on. Unwritten positions read as silence. Writes before `base` are refused.
import { MULAW_SILENCE } from '../audio/g711.js';

export class PositionBuffer {
  #buf = new Uint8Array(4096).fill(MULAW_SILENCE);
  #base = 0;
  /** One past the highest position written. */
  #end = 0;

  get base(): number {
    return this.#base;
  }

  get end(): number {
    return this.#end;
  }

  /** Stores `bytes` at `position`; drops what falls before `minPosition` (or base). Returns the samples kept. */
  write(bytes: Uint8Array, position: number, minPosition = this.#base): number {
    const from = Math.max(position, minPosition, this.#base);
    const skip = from - position;
    if (skip >= bytes.length) return 0;
    const to = position + bytes.length;
    this.#ensure(to);
    this.#buf.set(bytes.subarray(skip), from - this.#base);
    this.#end = Math.max(this.#end, to);
    return to - from;
  }

  /** A copy of positions [from, to); unwritten ones are silence. */
  read(from: number, to: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, to - from)).fill(MULAW_SILENCE);
    const lo = Math.max(from, this.#base);
    const hi = Math.min(to, this.#end);
    if (hi > lo) out.set(this.#buf.subarray(lo - this.#base, hi - this.#base), lo - from);
    return out;
  }

  /**
   * Positions [from, to) without copying when they are all held (a view, valid until the next write
   * or discard); otherwise a silence-padded copy.
   */
  view(from: number, to: number): Uint8Array {
    if (from >= this.#base && to <= this.#base + this.#buf.length) return this.#buf.subarray(from - this.#base, to - this.#base);
    return this.read(from, to);
  }

  /** Forgets everything before `position`. */
  discardBefore(position: number): void {
    if (position <= this.#base) return;
    const used = Math.max(0, this.#end - this.#base);
    const drop = Math.min(position - this.#base, used);
    this.#buf.copyWithin(0, drop, used);
    this.#buf.fill(MULAW_SILENCE, used - drop, used);
    this.#base = position;
    this.#end = Math.max(this.#end, position);
  }

  #ensure(to: number): void {
    const need = to - this.#base;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size).fill(MULAW_SILENCE);
    grown.set(this.#buf);
    this.#buf = grown;
  }
}

// Turns the detector's event stream into mask spans: a span opens at the earliest onset estimate of a
// suspected or confirmed tone (minus a guard) and stays open, masking everything after it, until the
// detector reports the end (plus a guard). Pure; the same tracker serves the live recorder and --redact.
import type { DtmfEvent } from '../dtmf/events.js';
import type { MaskSpan } from './spans.js';

export interface DtmfSpanGuards {
  /** Samples masked before the onset estimate (the estimate may land a few samples late). */
  readonly beforeSamples: number;
  /** Samples masked after the end estimate (one 5 ms sub-block at least: the end may be early). */
  readonly afterSamples: number;
}

export const DEFAULT_GUARDS: DtmfSpanGuards = { beforeSamples: 40, afterSamples: 80 };

interface Open {
  start: number;
}

export class DtmfSpanTracker {
  readonly #guards: DtmfSpanGuards;
  // Per channel: the open suspected span and the open confirmed tone, if any.
  readonly #suspect = new Map<number, Open>();
  readonly #digit = new Map<number, Open>();

  constructor(guards: DtmfSpanGuards = DEFAULT_GUARDS) {
    this.#guards = guards;
  }

  /** Feeds one event; returns the span it closes, if any. */
  onEvent(e: DtmfEvent): MaskSpan | undefined {
    const g = this.#guards;
    switch (e.type) {
      case 'suspect':
        this.#suspect.set(e.channel, { start: this.#onset(e.startSample) });
        return undefined;
      case 'digit': {
        // A confirmed digit's onset estimate may come later than the suspect's; keep the earliest.
        const suspect = this.#suspect.get(e.channel);
        const start = Math.min(this.#onset(e.startSample), suspect?.start ?? Infinity);
        this.#digit.set(e.channel, { start });
        return undefined;
      }
      case 'suspectend': {
        const open = this.#suspect.get(e.channel);
        this.#suspect.delete(e.channel);
        const start = Math.min(open?.start ?? Infinity, this.#onset(e.startSample));
        return { start, end: Math.ceil(e.endSample) + g.afterSamples, reason: 'dtmf_suspect' };
      }
      case 'digitend': {
        const open = this.#digit.get(e.channel);
        this.#digit.delete(e.channel);
        const start = Math.min(open?.start ?? Infinity, this.#onset(e.startSample));
        return { start, end: Math.ceil(e.endSample) + g.afterSamples, reason: 'dtmf' };
      }
    }
  }

  /** Earliest start of any span still open (masking runs on from there), or undefined. */
  openFrom(): number | undefined {
    let from: number | undefined;
    for (const o of [...this.#suspect.values(), ...this.#digit.values()]) from = from === undefined ? o.start : Math.min(from, o.start);
    return from;
  }

  /** Closes every open span at `end` (the stream ended mid-tone). */
  closeAll(end: number): MaskSpan[] {
    const out: MaskSpan[] = [];
    for (const o of this.#suspect.values()) out.push({ start: o.start, end: end + this.#guards.afterSamples, reason: 'dtmf_suspect' });
    for (const o of this.#digit.values()) out.push({ start: o.start, end: end + this.#guards.afterSamples, reason: 'dtmf' });
    this.#suspect.clear();
    this.#digit.clear();
    return out;
  }

  #onset(sample: number): number {
    return Math.max(0, Math.floor(sample) - this.#guards.beforeSamples);
  }
}

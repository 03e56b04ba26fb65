// Merges the two reports of a key press in a call: the in-band digit found in the audio, and the
// out-of-band `dtmf` message carrying a stream position. Pure and clock-free: positions are samples.
//
// A message's position is the stream position when Genesys sent it (research/audiohook.md 4.7): somewhere
// from the tone's onset to a little after its end. So a message at p and an in-band tone [start, end] of
// the same key are one press when p is within `toleranceSamples` of the tone; while the tone lasts its end
// is open (any message for that key meanwhile is this press). Each report pairs at most once, nearest
// first. The first report of a press is emitted at once (waiting gains nothing: a later report either
// pairs with it or is a new press); the second is a duplicate.
//
// Tolerance: 30 ms by default. It covers the in-band extent error (< 3 ms) and a send delay after key-up,
// and stays below Q.24's 40 ms minimum pause, so a message for the next press of the same key (sent at
// or after its onset, >= 40 ms after this tone's end) cannot pair with this tone.
//
// Order: presses come out in arrival order. If the in-band detector misses a press and its message lags
// the audio by more than the next press's pause plus confirmation time (~70 ms at Q.24's fastest), the
// message's press comes out after the next one; `positionSamples` shows the true order.
import type { DtmfKey } from '../audio/tones.js';

export type PressSource = 'inband' | 'outofband';

export interface Press {
  digit: DtmfKey;
  /** Where the press was first placed: the tone's onset (in-band) or the message position. */
  positionSamples: number;
  source: PressSource;
}

/** The outcome of one report: a new press to act on, or a second report of a press already emitted. */
export type MergeOutcome = { code: 'press'; press: Press } | { code: 'duplicate'; press: Press };

export interface DigitMergerOptions {
  toleranceSamples?: number;
  /** Reports older than this (behind the latest position seen) are forgotten. Default 10 s. */
  horizonSamples?: number;
}

interface Entry {
  press: Press;
  /** In-band extent, when the press was heard; `end` is unset while the tone lasts. */
  start?: number;
  end?: number;
  /** Out-of-band position, when a message reported it. */
  oob?: number;
}

export class DigitMerger {
  readonly #tolerance: number;
  readonly #horizon: number;
  #entries: Entry[] = [];
  #latest = 0;

  constructor(o: DigitMergerOptions = {}) {
    this.#tolerance = o.toleranceSamples ?? 240;
    this.#horizon = o.horizonSamples ?? 80000;
  }

  /** An in-band digit was confirmed (detector 'digit' event). */
  inband(e: { digit: DtmfKey; startSample: number; detectedAtSample: number }): MergeOutcome {
    this.#seen(e.detectedAtSample);
    let best: Entry | undefined;
    let bestDistance = Infinity;
    for (const entry of this.#entries) {
      if (entry.start !== undefined || entry.press.digit !== e.digit || entry.oob === undefined) continue;
      const d = distance(entry.oob, e.startSample, Infinity);
      if (d <= this.#tolerance && d < bestDistance) {
        best = entry;
        bestDistance = d;
      }
    }
    if (best) {
      best.start = e.startSample;
      return { code: 'duplicate', press: best.press };
    }
    const press: Press = { digit: e.digit, positionSamples: e.startSample, source: 'inband' };
    this.#entries.push({ press, start: e.startSample });
    return { code: 'press', press };
  }

  /** The in-band tone ended (detector 'digitend' event): widens its window for a late message. */
  inbandEnd(e: { digit: DtmfKey; startSample: number; endSample: number }): void {
    this.#seen(e.endSample);
    const entry = this.#entries.find((x) => x.start === e.startSample && x.press.digit === e.digit);
    if (entry) entry.end = e.endSample;
  }

  /** An out-of-band `dtmf` message arrived, at stream position `positionSamples`. */
  outOfBand(e: { digit: DtmfKey; positionSamples: number }): MergeOutcome {
    this.#seen(e.positionSamples);
    let best: Entry | undefined;
    let bestDistance = Infinity;
    for (const entry of this.#entries) {
      if (entry.oob !== undefined || entry.press.digit !== e.digit || entry.start === undefined) continue;
      const d = distance(e.positionSamples, entry.start, entry.end ?? Infinity);
      if (d <= this.#tolerance && d < bestDistance) {
        best = entry;
        bestDistance = d;
      }
    }
    if (best) {
      best.oob = e.positionSamples;
      return { code: 'duplicate', press: best.press };
    }
    const press: Press = { digit: e.digit, positionSamples: e.positionSamples, source: 'outofband' };
    this.#entries.push({ press, oob: e.positionSamples });
    return { code: 'press', press };
  }

  #seen(position: number): void {
    if (position > this.#latest) this.#latest = position;
    const limit = this.#latest - this.#horizon;
    if (this.#entries.length > 0 && this.#entries[0]!.press.positionSamples < limit) {
      this.#entries = this.#entries.filter((x) => Math.max(x.end ?? -Infinity, x.oob ?? -Infinity, x.press.positionSamples) >= limit);
    }
  }
}

/** Distance from point p to the interval [a, b]. */
function distance(p: number, a: number, b: number): number {
  return p < a ? a - p : p > b ? p - b : 0;
}

// The events a DTMF detector emits. Sample indices count samples of one channel from the start of the
// stream (or the last reset()). Suspected spans carry no digit: the masker needs where, not what.
import type { DtmfKey } from '../audio/tones.js';
import { DTMF_KEYS } from '../audio/tones.js';
import * as P from './params.js';

/** A key press confirmed; `startSample` is the estimated true onset of the tone. */
export interface DigitEvent {
  type: 'digit';
  channel: number;
  digit: DtmfKey;
  startSample: number;
  /** Where the detector was when it confirmed the digit (latency = detectedAtSample - startSample). */
  detectedAtSample: number;
  /** Level of the low-group (row) tone, dBm0. */
  levelDbm0: number;
  /** High-group minus low-group level, dB. */
  twistDb: number;
}

/** The press's tone ended at `endSample` (exclusive); levels are from its last full block. */
export interface DigitEndEvent {
  type: 'digitend';
  channel: number;
  digit: DtmfKey;
  startSample: number;
  endSample: number;
  detectedAtSample: number;
  levelDbm0: number;
  twistDb: number;
}

/** Energy that looks like DTMF began at `startSample` (not yet, and maybe never, a digit). */
export interface SuspectEvent {
  type: 'suspect';
  channel: number;
  startSample: number;
  detectedAtSample: number;
}

/** The suspected span [startSample, endSample) is over; mask all of it. */
export interface SuspectEndEvent {
  type: 'suspectend';
  channel: number;
  startSample: number;
  endSample: number;
  detectedAtSample: number;
}

export type DtmfEvent = DigitEvent | DigitEndEvent | SuspectEvent | SuspectEndEvent;

const LOG10 = 10 / Math.LN10;

/** Builds the public event from a kernel record; pure. Powers are block energies (see params.ts P0). */
export function toEvent(
  channel: number,
  type: number,
  digit: number,
  startSample: number,
  endSample: number,
  detectedAtSample: number,
  lowPower: number,
  highPower: number,
): DtmfEvent {
  switch (type) {
    case P.EV_DIGIT:
    case P.EV_DIGIT_END: {
      const levelDbm0 = round2(Math.log(lowPower / P.P0) * LOG10);
      const twistDb = round2(Math.log(highPower / lowPower) * LOG10);
      const key = DTMF_KEYS[digit]!;
      return type === P.EV_DIGIT
        ? { type: 'digit', channel, digit: key, startSample, detectedAtSample, levelDbm0, twistDb }
        : { type: 'digitend', channel, digit: key, startSample, endSample, detectedAtSample, levelDbm0, twistDb };
    }
    case P.EV_SUSPECT:
      return { type: 'suspect', channel, startSample, detectedAtSample };
    default:
      return { type: 'suspectend', channel, startSample, endSample, detectedAtSample };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

// What masked audio becomes: mu-law silence, or a low single marker tone a listener can hear as
// "masked here". A single tone can never pair into a DTMF digit, and its frequency is kept away from
// every DTMF tone so that no detector's row or column filter sees it.
import { MULAW_SILENCE, mulawEncodeSample } from '../audio/g711.js';
import { DTMF_HIGH, DTMF_LOW, dbm0ToPeak } from '../audio/tones.js';
import { recordingError } from './errors.js';

export type MaskFill = { readonly kind: 'silence' } | { readonly kind: 'marker'; readonly hz: number; readonly dbm0: number };

export const SILENCE_FILL: MaskFill = { kind: 'silence' };
export const DEFAULT_MARKER: MaskFill = { kind: 'marker', hz: 440, dbm0: -30 };

/** Lowest distance (relative) a marker keeps from every DTMF frequency. */
const MARKER_CLEARANCE = 0.1;

export function checkFill(fill: MaskFill): void {
  if (fill.kind === 'silence') return;
  const near = [...DTMF_LOW, ...DTMF_HIGH].some((f) => Math.abs(fill.hz - f) / f < MARKER_CLEARANCE);
  if (near || !(fill.hz > 0 && fill.hz < 4000) || !(fill.dbm0 <= -10)) {
    throw recordingError('ERR_RECORDING_OPTIONS', { markerHz: fill.hz, markerDbm0: fill.dbm0 });
  }
}

/**
 * Overwrites samples [from, to) of one channel of an interleaved mu-law buffer whose first sample sits
 * at stream position `bufferStart`; the marker's phase follows the stream position, so consecutive
 * chunks join without clicks. Pure apart from writing into `out`.
 */
export function fillMulaw(
  out: Uint8Array,
  bufferStart: number,
  channels: number,
  channel: number,
  from: number,
  to: number,
  fill: MaskFill,
): void {
  const lo = Math.max(from, bufferStart);
  const hi = Math.min(to, bufferStart + Math.floor(out.length / channels));
  if (fill.kind === 'silence') {
    for (let p = lo; p < hi; p++) out[(p - bufferStart) * channels + channel] = MULAW_SILENCE;
    return;
  }
  const a = dbm0ToPeak(fill.dbm0);
  const w = (2 * Math.PI * fill.hz) / 8000;
  for (let p = lo; p < hi; p++) out[(p - bufferStart) * channels + channel] = mulawEncodeSample(Math.round(a * Math.sin(w * p)));
}

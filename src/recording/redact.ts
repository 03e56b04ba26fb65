// Offline redaction of a whole recording (`payhook audit --redact`): the same detector and the same
// span rules as the live recorder (DtmfSpanTracker, same guards), applied to every channel of a WAV in
// its own encoding. With the whole file at hand there is no lookahead limit.
import { ALAW_SILENCE, MULAW_SILENCE } from '../audio/g711.js';
import type { WavAudio } from '../audio/wav.js';
import type { DtmfEngine } from '../dtmf/detector.js';
import { DtmfSpanTracker, DEFAULT_GUARDS, type DtmfSpanGuards } from './dtmf-spans.js';
import { detectInWav } from './scan.js';
import { consolidateSpans, type MaskSpan } from './spans.js';

export interface RedactOptions {
  readonly engine?: DtmfEngine;
  readonly guards?: DtmfSpanGuards;
  /** Gain of the low-level detection path (boost.ts); default 24 dB. */
  readonly boostDb?: number;
}

export interface Redacted {
  readonly wav: WavAudio;
  readonly spans: MaskSpan[];
}

/** A copy of `wav` with every suspected or confirmed DTMF tone silenced in all channels. */
export function redactWav(wav: WavAudio, options: RedactOptions = {}): Redacted {
  const tracker = new DtmfSpanTracker(options.guards ?? DEFAULT_GUARDS);
  const raw: MaskSpan[] = [];
  const samples = detectInWav(
    wav,
    (e) => {
      const span = tracker.onEvent(e);
      if (span) raw.push(span);
    },
    options.engine,
    options.boostDb,
  );
  raw.push(...tracker.closeAll(samples));
  const spans = consolidateSpans(raw).map((s) => ({ ...s, end: Math.min(s.end, samples) }));
  const data = new Uint8Array(wav.data);
  const frameBytes = wav.channels * (wav.encoding === 'pcm16' ? 2 : 1);
  const fill = wav.encoding === 'mulaw' ? MULAW_SILENCE : wav.encoding === 'alaw' ? ALAW_SILENCE : 0;
  for (const s of spans) data.fill(fill, s.start * frameBytes, s.end * frameBytes);
  return { wav: { ...wav, data }, spans };
}

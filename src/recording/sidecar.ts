// The sidecar JSON beside a recording: which stretches were masked and why (no digits, no values).
import type { RecordingResult } from './sink.js';
import { samplesToMs, toSidecarSpan, type SidecarSpan } from './spans.js';

export interface Sidecar {
  readonly version: 1;
  readonly sampleRate: 8000;
  readonly channels: readonly ['caller', 'bot'];
  /** False when written by repairRecordings for a file whose recorder never finished. */
  readonly complete: boolean;
  readonly durationSamples: number;
  readonly durationMs: number;
  readonly lookaheadMs: number;
  readonly fill: string;
  /** Null when the span list was lost (crash); the audio itself was masked before it was written. */
  readonly spans: readonly SidecarSpan[] | null;
  readonly maskedMs?: number;
  readonly lateMaskSamples?: number;
  readonly lateBotSamples?: number;
}

export function sidecarPathFor(wavPath: string): string {
  return wavPath.replace(/\.wav$/i, '') + '.masks.json';
}

export function buildSidecar(result: RecordingResult): Sidecar {
  const spans = result.spans.map(toSidecarSpan);
  const masked = spans.reduce((n, s) => n + (s.endSample - s.startSample), 0);
  return {
    version: 1,
    sampleRate: 8000,
    channels: ['caller', 'bot'],
    complete: true,
    durationSamples: result.durationSamples,
    durationMs: samplesToMs(result.durationSamples),
    lookaheadMs: samplesToMs(result.lookaheadSamples),
    fill: result.fill.kind === 'silence' ? 'silence' : `marker ${result.fill.hz} Hz ${result.fill.dbm0} dBm0`,
    spans,
    maskedMs: samplesToMs(masked),
    lateMaskSamples: result.stats.lateMaskSamples,
    lateBotSamples: result.stats.lateBotSamples,
  };
}

export function incompleteSidecar(durationSamples: number): Sidecar {
  return {
    version: 1,
    sampleRate: 8000,
    channels: ['caller', 'bot'],
    complete: false,
    durationSamples,
    durationMs: samplesToMs(durationSamples),
    lookaheadMs: 0,
    fill: 'unknown',
    spans: null,
  };
}

// Recordings with the card audio removed: the per-call recorder, its sinks, start-up repair, and the
// audit and redaction used by `payhook audit`.
export { Recorder, createRecorder, type RecorderEvents, type RecorderOptions } from './recorder.js';
export {
  RecordingMasker,
  detectorChannels,
  DEFAULT_LOOKAHEAD_SAMPLES,
  MAX_LOOKAHEAD_SAMPLES,
  type DetectorPort,
  type MaskedChunk,
  type MaskerOptions,
  type MaskerStats,
} from './masker.js';
export { DtmfSpanTracker, DEFAULT_GUARDS, type DtmfSpanGuards } from './dtmf-spans.js';
export { DEFAULT_MARKER, SILENCE_FILL, type MaskFill } from './mask-fill.js';
export { DEFAULT_BOOST_DB } from './boost.js';
export { consolidateSpans, type MaskReason, type MaskSpan, type SidecarSpan } from './spans.js';
export type { RecordingResult, RecordingSink } from './sink.js';
export { WavFileSink, createWavSink, type WavSinkOptions } from './wav-sink.js';
export { repairRecordings, type RepairReport } from './repair.js';
export { buildSidecar, sidecarPathFor, type Sidecar } from './sidecar.js';
export { DownstreamSink, createDownstreamSink, secureOrLoopback, type DownstreamOptions, type DownstreamState, type DownstreamStats } from './downstream-sink.js';
export { scanRecording, detectInWav, groupRuns, holdsCard, type DigitRun, type FoundDigit, type ScanResult } from './scan.js';
export { redactWav, type Redacted } from './redact.js';
export { RECORDING_ERRORS, recordingError, type RecordingErrorCode } from './errors.js';

// Typed error codes of the recording area. Messages are fixed text: never digits, audio or paths from
// caller input (a path may appear in `detail`, which is for logs only).
import { defineErrors, PayhookError } from '../core/errors.js';

export const RECORDING_ERRORS = defineErrors({
  ERR_RECORDING_OPTIONS: {
    message: 'invalid recorder options',
    hint: 'lookahead must cover the detector latency (40..100 ms), guards must be >= 0, the marker must not be a DTMF frequency.',
  },
  ERR_RECORDING_CLOSED: {
    message: 'the recorder is closed',
    hint: 'Audio or windows arrived after close(); create a new recorder per call.',
  },
  ERR_RECORDING_FILE: {
    message: 'a recording file could not be written',
    hint: 'Check that the recording directory exists, is writable and has space; the call continues without this sink.',
  },
  ERR_RECORDING_DOWNSTREAM_CONNECT: {
    message: 'the downstream AudioHook server could not be reached',
    hint: 'Check the downstream URL, API key and client secret; the call continues without the downstream stream.',
  },
  ERR_RECORDING_DOWNSTREAM_OPEN: {
    message: 'the downstream AudioHook server refused or did not answer open',
    hint: 'Check that the downstream accepts PCMU 8 kHz external/internal media and answers within the open timeout.',
  },
  ERR_RECORDING_DOWNSTREAM_LOST: {
    message: 'the downstream AudioHook stream ended before the call',
    hint: 'The downstream disconnected or the connection dropped; the rest of this call is not forwarded.',
  },
  ERR_RECORDING_SINK: {
    message: 'a recording sink failed and was detached',
    hint: 'See the cause in the log line; the call and the other sinks continue.',
  },
  ERR_RECORDING_AUDIT_FORMAT: {
    message: 'the recording cannot be audited',
    hint: 'The audit reads 8 kHz WAV files in PCM16, mu-law or A-law, mono or stereo.',
  },
});

export type RecordingErrorCode = keyof typeof RECORDING_ERRORS;

export function recordingError(code: RecordingErrorCode, detail?: Record<string, unknown>, cause?: unknown): PayhookError<RecordingErrorCode> {
  return new PayhookError(code, RECORDING_ERRORS[code], detail, cause === undefined ? undefined : { cause });
}

// What a recording sink is: it receives the masked stereo recording in stream order, then the result
// (spans and figures) when the call ends. Sinks never see unmasked audio.
import type { MaskedChunk, MaskerStats } from './masker.js';
import type { MaskFill } from './mask-fill.js';
import type { MaskSpan } from './spans.js';

export interface RecordingResult {
  /** Samples per channel in the recording (stream position of its end). */
  readonly durationSamples: number;
  readonly lookaheadSamples: number;
  readonly fill: MaskFill;
  /** Consolidated masked spans; no digits, no values. */
  readonly spans: readonly MaskSpan[];
  readonly stats: Readonly<MaskerStats>;
}

export interface RecordingSink {
  /** For logs: 'wav', 'downstream', ... */
  readonly name: string;
  /** Takes one chunk; must not block. A throw detaches the sink (the call goes on). */
  write(chunk: MaskedChunk): void;
  /** The recording is complete; resolves once the sink has finished with it. */
  close(result: RecordingResult): Promise<void>;
}

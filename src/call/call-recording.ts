// Builds the recorder of one session from configuration: a masked stereo WAV per call and/or a
// masked downstream AudioHook stream. Used by payment calls (caller + bot) and by the Monitor
// route, where PayHook is a masking relay (Genesys Monitor audio in, masked AudioHook out).
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { Participant } from '../audiohook/protocol/messages.js';
import { createRecorder, type Recorder } from '../recording/recorder.js';
import { createWavSink } from '../recording/wav-sink.js';
import { createDownstreamSink } from '../recording/downstream-sink.js';
import { DEFAULT_MARKER, SILENCE_FILL } from '../recording/mask-fill.js';
import type { RecordingSink } from '../recording/sink.js';

export interface RecordingSettings {
  /** Directory of the per-call WAV files and their masks sidecars; none: no files. */
  dir?: string;
  /** What masked audio becomes. */
  fill: 'silence' | 'marker';
  /** A downstream AudioHook server (existing recorder or transcription service). */
  downstream?: { url: string; apiKey: string; clientSecret?: string };
}

export interface SessionIds {
  sessionId: string;
  organizationId: string;
  conversationId?: string;
  participant?: Participant;
}

export function createCallRecorder(settings: RecordingSettings, ids: SessionIds, clock: Clock, logger: Logger): Recorder | undefined {
  const sinks: RecordingSink[] = [];
  if (settings.dir) sinks.push(createWavSink({ path: join(settings.dir, `${ids.sessionId}.wav`) }));
  if (settings.downstream) {
    sinks.push(
      createDownstreamSink({
        ...settings.downstream,
        organizationId: ids.organizationId,
        ...(ids.conversationId ? { conversationId: ids.conversationId } : {}),
        ...(ids.participant ? { participant: ids.participant } : {}),
        clock,
        logger,
      }),
    );
  }
  if (sinks.length === 0) return undefined;
  return createRecorder({ sinks, logger, fill: settings.fill === 'marker' ? DEFAULT_MARKER : SILENCE_FILL });
}

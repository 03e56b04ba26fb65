// Media offers the client puts in `open`. Genesys's real Audio Connector offer has not been seen;
// it sends only the external (caller) channel, so PCMU mono external is the default.
import type { MediaParameter } from '../protocol/messages.js';

export const AUDIO_CONNECTOR_OFFER: MediaParameter = { type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 };

/** The reference Monitor client's preference order for a stereo source. */
export const MONITOR_STEREO_OFFERS: readonly MediaParameter[] = [
  { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 },
  { type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 },
  { type: 'audio', format: 'PCMU', channels: ['internal'], rate: 8000 },
];

export const DEFAULT_OFFERS: readonly MediaParameter[] = [AUDIO_CONNECTOR_OFFER];

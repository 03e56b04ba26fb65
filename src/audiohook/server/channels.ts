// Stereo frames arrive sample-interleaved in the order of the selected media's `channels` array
// (research/audiohook.md section 5); this splits them by channel name.
import type { MediaChannel, MediaParameter } from '../protocol/messages.js';

export type ChannelFrames = { [C in MediaChannel]?: Uint8Array };

/**
 * One Uint8Array per channel named in `media.channels` (pure; copies for stereo, a view for mono).
 * A trailing partial sample group is ignored; the session rejects such frames before this runs.
 */
export function splitChannels(frame: Uint8Array, media: Pick<MediaParameter, 'channels'>): ChannelFrames {
  const names = media.channels;
  const out: ChannelFrames = {};
  if (names.length === 1) {
    out[names[0]!] = frame;
    return out;
  }
  const n = Math.floor(frame.length / names.length);
  names.forEach((name, ch) => {
    const samples = new Uint8Array(n);
    for (let i = 0; i < n; i++) samples[i] = frame[i * names.length + ch]!;
    out[name] = samples;
  });
  return out;
}

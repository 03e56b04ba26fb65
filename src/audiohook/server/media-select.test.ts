import { describe, expect, it } from 'vitest';
import type { MediaParameter } from '../protocol/messages.js';
import { selectMedia } from './media-select.js';

const offer = (channels: MediaParameter['channels'], format: MediaParameter['format'] = 'PCMU'): MediaParameter => ({
  type: 'audio',
  format,
  channels,
  rate: 8000,
});

describe('selectMedia', () => {
  it('returns the offered object itself so opened echoes it verbatim', () => {
    const mono = offer(['external']);
    expect(selectMedia([offer(['external', 'internal']), mono], 'audioconnector')).toBe(mono);
  });

  it('gives Audio Connector mono external PCMU or nothing', () => {
    expect(selectMedia([offer(['internal']), offer(['external', 'internal']), offer(['external'], 'L16')], 'audioconnector')).toBeNull();
    expect(selectMedia([], 'audioconnector')).toBeNull();
  });

  it('gives Monitor the first stereo offer in client order, then mono external, then mono internal', () => {
    const reversed = offer(['internal', 'external']);
    expect(selectMedia([offer(['external']), reversed, offer(['external', 'internal'])], 'monitor')).toBe(reversed);
    const external = offer(['external']);
    expect(selectMedia([offer(['internal']), external], 'monitor')).toBe(external);
    const internal = offer(['internal']);
    expect(selectMedia([offer(['external', 'internal'], 'L16'), internal], 'monitor')).toBe(internal);
  });
});

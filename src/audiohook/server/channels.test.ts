import { describe, expect, it } from 'vitest';
import { splitChannels } from './channels.js';

describe('splitChannels', () => {
  it('names each stereo channel by the selected order', () => {
    const frame = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect(splitChannels(frame, { channels: ['external', 'internal'] })).toEqual({
      external: Uint8Array.from([1, 3, 5]),
      internal: Uint8Array.from([2, 4, 6]),
    });
    expect(splitChannels(frame, { channels: ['internal', 'external'] })).toEqual({
      internal: Uint8Array.from([1, 3, 5]),
      external: Uint8Array.from([2, 4, 6]),
    });
  });

  it('hands a mono frame through under its one channel name', () => {
    const frame = Uint8Array.from([9, 8, 7]);
    const out = splitChannels(frame, { channels: ['external'] });
    expect(out.external).toBe(frame);
    expect(out.internal).toBeUndefined();
  });

  it('splits an empty frame into empty channels', () => {
    expect(splitChannels(new Uint8Array(0), { channels: ['external', 'internal'] })).toEqual({
      external: new Uint8Array(0),
      internal: new Uint8Array(0),
    });
  });
});

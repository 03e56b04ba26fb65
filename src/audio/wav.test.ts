import { describe, expect, it } from 'vitest';
import { encodeWav, parseWav, wavToLinear, channelOf, interleave, WavFormatError } from './wav.js';

describe('WAV', () => {
  it('round-trips PCM16 stereo', () => {
    const samples = Int16Array.from([1, -1, 1000, -1000, 32767, -32768]);
    const wav = parseWav(encodeWav('pcm16', 2, 8000, samples));
    expect(wav).toMatchObject({ encoding: 'pcm16', channels: 2, sampleRate: 8000 });
    expect(Array.from(wavToLinear(wav))).toEqual(Array.from(samples));
    expect(Array.from(channelOf(wavToLinear(wav), 2, 1))).toEqual([-1, -1000, -32768]);
  });

  it('reads mu-law and walks past extra chunks before data', () => {
    const body = Uint8Array.from([0xff, 0x00, 0x7f]);
    const plain = encodeWav('mulaw', 1, 8000, body);
    // Insert a LIST chunk of odd size (padded) between fmt and data, as some writers do.
    const list = Uint8Array.from([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]);
    const withList = new Uint8Array(plain.length + list.length);
    withList.set(plain.subarray(0, 36), 0);
    withList.set(list, 36);
    withList.set(plain.subarray(36), 36 + list.length);
    const wav = parseWav(withList);
    expect(wav.encoding).toBe('mulaw');
    expect(Array.from(wav.data)).toEqual([0xff, 0x00, 0x7f]);
  });

  it('recovers a data chunk whose size was never written', () => {
    const file = encodeWav('alaw', 1, 8000, Uint8Array.from([1, 2, 3, 4]));
    new DataView(file.buffer).setUint32(40, 0, true);
    expect(parseWav(file).data.length).toBe(4);
  });

  it('rejects what it cannot read with a typed error', () => {
    expect(() => parseWav(new Uint8Array(10))).toThrow(WavFormatError);
  });

  it('interleaves channels padding the shorter', () => {
    expect(Array.from(interleave([Uint8Array.from([1, 2]), Uint8Array.from([9])], 0xff))).toEqual([1, 9, 2, 0xff]);
  });
});

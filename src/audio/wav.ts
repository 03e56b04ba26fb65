// WAV (RIFF) read and write for the three encodings telephony uses: PCM16, mu-law, A-law.
// The reader walks chunks properly (espeak-ng's data chunk starts at byte 58, not 44) and
// tolerates a data size of 0 or 0xFFFFFFFF, which a crashed or streaming writer leaves behind.
import { mulawDecode, alawDecode } from './g711.js';

export type WavEncoding = 'pcm16' | 'mulaw' | 'alaw';

export interface WavAudio {
  encoding: WavEncoding;
  sampleRate: number;
  channels: number;
  /** Raw sample bytes as stored (interleaved when stereo). */
  data: Uint8Array;
}

const FORMAT_PCM = 1;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
  readonly code = 'ERR_AUDIO_WAV_FORMAT';
}

function fourcc(buf: Uint8Array, at: number): string {
  return String.fromCharCode(buf[at]!, buf[at + 1]!, buf[at + 2]!, buf[at + 3]!);
}

export function parseWav(buf: Uint8Array): WavAudio {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 12 || fourcc(buf, 0) !== 'RIFF' || fourcc(buf, 8) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let at = 12;
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
  while (at + 8 <= buf.length) {
    const id = fourcc(buf, at);
    let size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new WavFormatError('fmt chunk too short');
      let format = view.getUint16(body, true);
      if (format === FORMAT_EXTENSIBLE && size >= 40) format = view.getUint16(body + 24, true);
      fmt = {
        format,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('data chunk before fmt chunk');
      if (size === 0 || size === 0xffffffff || body + size > buf.length) size = buf.length - body;
      const encoding = encodingOf(fmt.format, fmt.bits);
      const frameBytes = fmt.channels * (encoding === 'pcm16' ? 2 : 1);
      size -= size % frameBytes;
      return { encoding, sampleRate: fmt.sampleRate, channels: fmt.channels, data: buf.subarray(body, body + size) };
    }
    at = body + size + (size & 1);
  }
  throw new WavFormatError('no data chunk');
}

function encodingOf(format: number, bits: number): WavEncoding {
  if (format === FORMAT_PCM && bits === 16) return 'pcm16';
  if (format === FORMAT_MULAW && bits === 8) return 'mulaw';
  if (format === FORMAT_ALAW && bits === 8) return 'alaw';
  throw new WavFormatError(`unsupported WAV format ${format} with ${bits} bits (need PCM16, mu-law or A-law)`);
}

/** Interleaved linear samples of a parsed WAV, whatever its encoding. */
export function wavToLinear(wav: WavAudio): Int16Array {
  if (wav.encoding === 'mulaw') return mulawDecode(wav.data);
  if (wav.encoding === 'alaw') return alawDecode(wav.data);
  const out = new Int16Array(wav.data.length >> 1);
  const view = new DataView(wav.data.buffer, wav.data.byteOffset, wav.data.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** One channel of interleaved samples. */
export function channelOf<T extends Int16Array | Uint8Array>(interleaved: T, channels: number, channel: number): T {
  if (channels === 1) return interleaved;
  const n = Math.floor(interleaved.length / channels);
  const out = new (interleaved.constructor as new (n: number) => T)(n);
  for (let i = 0; i < n; i++) out[i] = interleaved[i * channels + channel]!;
  return out;
}

export const WAV_HEADER_BYTES = 44;

/** A canonical 44-byte header; `dataBytes` may be 0 for a file whose size is not known yet. */
export function wavHeader(encoding: WavEncoding, channels: number, sampleRate: number, dataBytes: number): Uint8Array {
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const v = new DataView(header.buffer);
  const bytesPerSample = encoding === 'pcm16' ? 2 : 1;
  const format = encoding === 'pcm16' ? FORMAT_PCM : encoding === 'mulaw' ? FORMAT_MULAW : FORMAT_ALAW;
  header.set([0x52, 0x49, 0x46, 0x46], 0); // RIFF
  v.setUint32(4, 36 + dataBytes, true);
  header.set([0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20], 8); // WAVEfmt_
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * bytesPerSample, true);
  v.setUint16(32, channels * bytesPerSample, true);
  v.setUint16(34, bytesPerSample * 8, true);
  header.set([0x64, 0x61, 0x74, 0x61], 36); // data
  v.setUint32(40, dataBytes, true);
  return header;
}

/** A whole WAV file. PCM16 data is given as samples; mu-law and A-law as bytes. */
export function encodeWav(encoding: WavEncoding, channels: number, sampleRate: number, data: Uint8Array | Int16Array): Uint8Array {
  let bytes: Uint8Array;
  if (encoding === 'pcm16') {
    const samples = data instanceof Int16Array ? data : new Int16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
    bytes = new Uint8Array(samples.length * 2);
    const v = new DataView(bytes.buffer);
    for (let i = 0; i < samples.length; i++) v.setInt16(i * 2, samples[i]!, true);
  } else {
    bytes = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  const out = new Uint8Array(WAV_HEADER_BYTES + bytes.length);
  out.set(wavHeader(encoding, channels, sampleRate, bytes.length), 0);
  out.set(bytes, WAV_HEADER_BYTES);
  return out;
}

/** Interleaves mono channels of equal length (the shorter ones padded with `pad`). */
export function interleave(channels: Uint8Array[], pad: number): Uint8Array {
  const n = Math.max(0, ...channels.map((c) => c.length));
  const out = new Uint8Array(n * channels.length).fill(pad);
  channels.forEach((c, ch) => {
    for (let i = 0; i < c.length; i++) out[i * channels.length + ch] = c[i]!;
  });
  return out;
}

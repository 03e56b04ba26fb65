// G.711 mu-law and A-law (ITU-T G.711), table-driven. Decode tables are built once at load;
// encoding uses the classic segment search (Sun/CCITT reference algorithm).

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

/** Mu-law silence: 0xFF decodes to 0 (0x00 is the most negative sample, a loud click). */
export const MULAW_SILENCE = 0xff;
/** A-law silence: 0xD5 decodes to +8, the smallest positive step. */
export const ALAW_SILENCE = 0xd5;

export function mulawDecodeSample(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + MULAW_BIAS) << exponent) - MULAW_BIAS;
  return (sign ? -magnitude : magnitude) | 0;
}

export function mulawEncodeSample(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > MULAW_CLIP) s = MULAW_CLIP;
  s += MULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function alawDecodeSample(byte: number): number {
  const a = byte ^ 0x55;
  const sign = a & 0x80;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return sign ? magnitude : -magnitude;
}

export function alawEncodeSample(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  let sign = 0x80;
  if (s < 0) {
    sign = 0;
    s = -s - 1;
  }
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = exponent === 0 ? (s >> 4) & 0x0f : (s >> (exponent + 3)) & 0x0f;
  return (sign | (exponent << 4) | mantissa) ^ 0x55;
}

function buildTable(decode: (b: number) => number): Int16Array {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i++) t[i] = decode(i);
  return t;
}

/** byte -> linear PCM16. Shared by every decoder, including the WASM detector's own copy. */
export const MULAW_TO_LINEAR: Int16Array = buildTable(mulawDecodeSample);
export const ALAW_TO_LINEAR: Int16Array = buildTable(alawDecodeSample);

export function mulawDecode(input: Uint8Array, out = new Int16Array(input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) out[i] = MULAW_TO_LINEAR[input[i]!]!;
  return out;
}

export function mulawEncode(input: Int16Array | Float32Array | number[], out = new Uint8Array(input.length)): Uint8Array {
  for (let i = 0; i < input.length; i++) out[i] = mulawEncodeSample(input[i]!);
  return out;
}

export function alawDecode(input: Uint8Array, out = new Int16Array(input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) out[i] = ALAW_TO_LINEAR[input[i]!]!;
  return out;
}

export function alawEncode(input: Int16Array | Float32Array | number[], out = new Uint8Array(input.length)): Uint8Array {
  for (let i = 0; i < input.length; i++) out[i] = alawEncodeSample(input[i]!);
  return out;
}

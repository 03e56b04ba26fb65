// Typed error codes of the DTMF area. Messages are fixed text: never digits, audio or caller input.
import { defineErrors, PayhookError } from '../core/errors.js';

export const DTMF_ERRORS = defineErrors({
  ERR_DTMF_KERNEL_MISSING: {
    message: 'the DTMF WebAssembly kernel is not built',
    hint: 'Run `npm run build:wasm` (npm install and npm test run it) to produce wasm/build/dtmf.wasm.',
  },
  ERR_DTMF_KERNEL_INIT: {
    message: 'the DTMF WebAssembly kernel could not be loaded',
    hint: 'The binary is corrupt, from another version, or the runtime lacks WebAssembly SIMD (node >= 16.4); rebuild with `npm run build:wasm`.',
  },
  ERR_DTMF_OPTIONS: {
    message: 'invalid DTMF detector options',
    hint: 'channels must be an integer from 1 to 8, encoding "mulaw" or "pcm16", engine "wasm" or "reference".',
  },
  ERR_DTMF_FRAME: {
    message: 'audio frame does not match the detector format',
    hint: 'Pass whole interleaved sample frames: mu-law as Uint8Array; PCM16 as Int16Array or little-endian bytes of even length.',
  },
  ERR_DTMF_CLOSED: {
    message: 'the DTMF detector is closed',
    hint: 'Create a new detector; a closed one has released its kernel state.',
  },
});

export type DtmfErrorCode = keyof typeof DTMF_ERRORS;

export function dtmfError(code: DtmfErrorCode, detail?: Record<string, unknown>, cause?: unknown): PayhookError<DtmfErrorCode> {
  return new PayhookError(code, DTMF_ERRORS[code], detail, cause === undefined ? undefined : { cause });
}

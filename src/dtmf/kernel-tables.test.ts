// The kernel's constants are generated from params.ts and g711.ts; these tests catch a stale
// wasm/assembly/dtmf-tables.ts and check the built kernel's tables against the reference's.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { MULAW_TO_LINEAR } from '../audio/g711.js';
import { kernelTablesSource } from './gen-kernel-tables.js';
import * as P from './params.js';
import { DtmfKernel } from './wasm-kernel.js';

describe('kernel tables', () => {
  it('wasm/assembly/dtmf-tables.ts is what gen-kernel-tables.ts generates from the current sources', () => {
    const committed = readFileSync(new URL('../../wasm/assembly/dtmf-tables.ts', import.meta.url), 'utf8');
    expect(committed).toBe(kernelTablesSource());
  });

  it('the built kernel decodes mu-law exactly as g711.ts and uses the reference coefficients bit for bit', () => {
    const k = DtmfKernel.load();
    const mulaw = k.f32.subarray(k.tableAddress(0) >> 2, (k.tableAddress(0) >> 2) + 256);
    expect(Array.from(mulaw)).toEqual(Array.from(MULAW_TO_LINEAR));
    const coef = k.f32.subarray(k.tableAddress(1) >> 2, (k.tableAddress(1) >> 2) + 8);
    expect(Array.from(coef)).toEqual(P.COEF);
    // Coefficient accuracy: f32 rounding of 2cos(w), well under a hundredth of a hertz of bin shift.
    P.FREQS.forEach((hz, b) => expect(Math.abs(coef[b]! - 2 * Math.cos((2 * Math.PI * hz) / 8000))).toBeLessThan(2 ** -23));
  });

  it('a detector state fits in a few hundred bytes', () => {
    const k = DtmfKernel.load();
    expect(k.stateBytes).toBeLessThanOrEqual(704);
  });

  it('a missing or corrupt kernel fails with a typed error', () => {
    expect(() => DtmfKernel.load(new Uint8Array([0, 97, 115, 109, 9, 9]))).toThrow(expect.objectContaining({ code: 'ERR_DTMF_KERNEL_INIT' }));
  });
});

// Loads the DTMF WebAssembly kernel (synchronously: the module is small) and owns its memory map:
//   [heap base] input area | event output area | channel states (fixed-size slots, free list) ...
// One instance serves every detector in the process. Views over memory are re-created after a grow; only
// allocState() grows memory (the kernel never allocates), so process() need not check (reading
// memory.buffer on every call costs more than the kernel's work on a 20 ms frame).
import { readFileSync } from 'node:fs';
import { dtmfError } from './errors.js';

// The project's TypeScript lib (ES2023, @types/node 20) does not declare the WebAssembly JS API; these are
// the few parts used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  readonly value: unknown;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  memory: WasmMemory;
  STATE_BYTES: WasmGlobal;
  EVENT_BYTES: WasmGlobal;
  heapBase(): number;
  tableAddress(which: number): number;
  init(state: number): void;
  position(state: number): number;
  process(state: number, input: number, count: number, stride: number, encoding: number, out: number, cap: number): number;
  flush(state: number, out: number, cap: number): number;
}

/** Bytes of input copied into the kernel per call; larger frames are fed in pieces. */
export const INPUT_BYTES = 16384;
const PAGE = 65536;
/** The kernel writes at most 4 events per 40-sample sub-block. */
const EVENT_CAPACITY = 4 * (Math.ceil(INPUT_BYTES / 40) + 2);

export const KERNEL_URL = new URL('../../wasm/build/dtmf.wasm', import.meta.url);

export class DtmfKernel {
  readonly stateBytes: number;
  readonly eventBytes: number;
  readonly inputAt: number;
  readonly outAt: number;
  readonly eventCapacity = EVENT_CAPACITY;
  readonly #x: KernelExports;
  readonly #free: number[] = [];
  #nextState: number;
  #buffer: ArrayBuffer;
  u8: Uint8Array;
  i16: Int16Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;

  private constructor(x: KernelExports) {
    this.#x = x;
    this.stateBytes = x.STATE_BYTES.value as number;
    this.eventBytes = x.EVENT_BYTES.value as number;
    const base = align16(x.heapBase());
    this.inputAt = base;
    this.outAt = align16(base + INPUT_BYTES);
    this.#nextState = align16(this.outAt + EVENT_CAPACITY * this.eventBytes);
    this.#ensure(this.#nextState);
    this.#buffer = x.memory.buffer;
    this.u8 = new Uint8Array(this.#buffer);
    this.i16 = new Int16Array(this.#buffer);
    this.i32 = new Int32Array(this.#buffer);
    this.f32 = new Float32Array(this.#buffer);
    this.f64 = new Float64Array(this.#buffer);
  }

  /** Compiles and instantiates the kernel from bytes (default: wasm/build/dtmf.wasm). */
  static load(bytes?: Uint8Array): DtmfKernel {
    let code = bytes;
    if (!code) {
      try {
        code = readFileSync(KERNEL_URL);
      } catch (err) {
        throw dtmfError('ERR_DTMF_KERNEL_MISSING', { path: KERNEL_URL.pathname }, err);
      }
    }
    try {
      const module = new WA.Module(code);
      const instance = new WA.Instance(module, { env: { abort: abortFromKernel } });
      const x = instance.exports as unknown as KernelExports;
      for (const name of ['memory', 'STATE_BYTES', 'EVENT_BYTES', 'heapBase', 'init', 'process', 'flush', 'position'] as const) {
        if (!(name in x)) throw new Error(`missing export ${name}`);
      }
      return new DtmfKernel(x);
    } catch (err) {
      throw dtmfError('ERR_DTMF_KERNEL_INIT', undefined, err);
    }
  }

  /** Reserves and initialises one channel's state; returns its address. */
  allocState(): number {
    let at = this.#free.pop();
    if (at === undefined) {
      at = this.#nextState;
      this.#nextState += align16(this.stateBytes);
      this.#ensure(this.#nextState);
    }
    this.#x.init(at);
    return at;
  }

  freeState(at: number): void {
    this.#free.push(at);
  }

  init(state: number): void {
    this.#x.init(state);
  }

  position(state: number): number {
    return this.#x.position(state);
  }

  /** Runs the kernel over input already copied to `inputAt + offset`; returns the number of events at outAt. */
  process(state: number, offset: number, count: number, stride: number, encoding: number): number {
    return this.#x.process(state, this.inputAt + offset, count, stride, encoding, this.outAt, EVENT_CAPACITY);
  }

  flush(state: number): number {
    return this.#x.flush(state, this.outAt, EVENT_CAPACITY);
  }

  /** Address of a kernel constant table (0: mu-law to linear f32[256], 1: Goertzel coefficients f32[8]). */
  tableAddress(which: 0 | 1): number {
    return this.#x.tableAddress(which);
  }

  #ensure(end: number): void {
    const memory = this.#x.memory;
    const need = Math.ceil(end / PAGE) - memory.buffer.byteLength / PAGE;
    if (need > 0) {
      memory.grow(need);
      this.#refresh();
    }
  }

  #refresh(): void {
    const buffer = this.#x.memory.buffer;
    if (buffer === this.#buffer) return;
    this.#buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.i16 = new Int16Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

function abortFromKernel(): never {
  throw dtmfError('ERR_DTMF_KERNEL_INIT', { reason: 'kernel abort' });
}

let shared: DtmfKernel | undefined;

/** The process-wide kernel instance, loaded on first use. */
export function sharedKernel(): DtmfKernel {
  shared ??= DtmfKernel.load();
  return shared;
}

// The WAV file sink: one stereo mu-law file per call (left = caller, right = bot), appended as the
// recording is released. The header is written first with the sizes at 0 (readers, ours included, take
// that as "to the end of the file") and patched every few seconds and at the end, so a crash leaves a
// playable file that repairRecordings() fixes on the next start.
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { WAV_HEADER_BYTES, wavHeader } from '../audio/wav.js';
import { recordingError } from './errors.js';
import type { MaskedChunk } from './masker.js';
import { buildSidecar, sidecarPathFor } from './sidecar.js';
import type { RecordingResult, RecordingSink } from './sink.js';

export interface WavSinkOptions {
  readonly path: string;
  /** Bytes gathered before a write; default 2 s of stereo audio. */
  readonly writeEveryBytes?: number;
  /** Header sizes patched after this much audio; default 10 s. */
  readonly patchEveryBytes?: number;
  /** Write the sidecar JSON beside the file; default true. */
  readonly sidecar?: boolean;
}

export class WavFileSink implements RecordingSink {
  readonly name = 'wav';
  readonly path: string;
  readonly #writeEvery: number;
  readonly #patchEvery: number;
  readonly #sidecar: boolean;
  #file: Promise<FileHandle>;
  /** Serialises every file operation, in order. */
  #chain: Promise<unknown>;
  #failure: unknown;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #dataBytes = 0;
  #patchedAt = 0;

  constructor(options: WavSinkOptions) {
    this.path = options.path;
    // One write per 2 s of audio: at thousands of concurrent calls each write is a thread-pool job,
    // and a crash loses at most this much of the recording's tail (the call itself loses nothing).
    this.#writeEvery = options.writeEveryBytes ?? 32_000;
    this.#patchEvery = options.patchEveryBytes ?? 160_000;
    this.#sidecar = options.sidecar ?? true;
    this.#file = open(this.path, 'w');
    this.#chain = this.#file.then((fh) => fh.write(wavHeader('mulaw', 2, 8000, 0), 0, WAV_HEADER_BYTES, 0));
    this.#chain.catch((e: unknown) => (this.#failure ??= e));
  }

  /** Bytes of audio handed to the file so far (written or queued). */
  get dataBytes(): number {
    return this.#dataBytes + this.#pendingBytes;
  }

  write(chunk: MaskedChunk): void {
    if (this.#failure) throw recordingError('ERR_RECORDING_FILE', { path: this.path }, this.#failure);
    this.#pending.push(chunk.stereo);
    this.#pendingBytes += chunk.stereo.length;
    if (this.#pendingBytes >= this.#writeEvery) this.#flush();
  }

  /** Writes what is gathered; resolves when every queued operation is done. */
  async sync(): Promise<void> {
    this.#flush();
    await this.#chain;
    if (this.#failure) throw recordingError('ERR_RECORDING_FILE', { path: this.path }, this.#failure);
  }

  async close(result: RecordingResult): Promise<void> {
    this.#flush();
    const written = this.#dataBytes;
    this.#enqueue(async (fh) => {
      await patchHeader(fh, written);
      await fh.close();
    });
    await this.#chain;
    if (this.#failure) throw recordingError('ERR_RECORDING_FILE', { path: this.path }, this.#failure);
    if (this.#sidecar) await writeFile(sidecarPathFor(this.path), JSON.stringify(buildSidecar(result), null, 2) + '\n');
  }

  /** Stops without patching or closing cleanly: what a crash leaves (tests). */
  async abandon(): Promise<void> {
    await this.#chain.catch(() => undefined);
    const fh = await this.#file;
    await fh.close().catch(() => undefined);
  }

  #flush(): void {
    if (this.#pendingBytes === 0) return;
    const bytes = Buffer.concat(this.#pending);
    const at = WAV_HEADER_BYTES + this.#dataBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#dataBytes += bytes.length;
    const written = this.#dataBytes;
    const patch = written - this.#patchedAt >= this.#patchEvery;
    if (patch) this.#patchedAt = written;
    this.#enqueue(async (fh) => {
      await fh.write(bytes, 0, bytes.length, at);
      // The header only ever claims bytes already on disk.
      if (patch) await patchHeader(fh, written);
    });
  }

  #enqueue(op: (fh: FileHandle) => Promise<void>): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#failure) return;
      await op(await this.#file);
    });
    this.#chain.catch((e: unknown) => (this.#failure ??= e));
  }
}

async function patchHeader(fh: FileHandle, dataBytes: number): Promise<void> {
  await fh.write(wavHeader('mulaw', 2, 8000, dataBytes), 0, WAV_HEADER_BYTES, 0);
}

export function createWavSink(options: WavSinkOptions): WavFileSink {
  return new WavFileSink(options);
}

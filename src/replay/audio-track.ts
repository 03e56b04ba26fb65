// A mu-law track laid out on the call's timeline: chunks are placed at the sample where they play,
// silence (0xFF) in between, so caller and bot WAVs line up when opened side by side.
import { MULAW_SILENCE } from '../audio/g711.js';

export class AudioTrack {
  #data = new Uint8Array(8000 * 10).fill(MULAW_SILENCE);
  #length = 0;

  /** Writes `bytes` from sample `at` on (overwriting). */
  put(at: number, bytes: Uint8Array): void {
    const end = at + bytes.length;
    if (end > this.#data.length) {
      const grown = new Uint8Array(Math.max(end, this.#data.length * 2)).fill(MULAW_SILENCE);
      grown.set(this.#data.subarray(0, this.#length));
      this.#data = grown;
    }
    this.#data.set(bytes, at);
    this.#length = Math.max(this.#length, end);
  }

  bytes(): Uint8Array {
    return this.#data.slice(0, this.#length);
  }
}

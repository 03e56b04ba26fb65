// How Genesys plays the server's audio: bytes are queued and drained at the real-time rate.
// Playback starts when audio arrives at an empty buffer and completes when the buffer runs dry;
// the client sends playback_started / playback_completed at those instants.

export interface PlayoutUpdate {
  /** True when this audio began a playback (the buffer was empty). */
  readonly started: boolean;
  /** Clock time at which the buffer will run dry if nothing more arrives. */
  readonly drainsAt: number;
}

export class PlayoutModel {
  #drainsAt = -Infinity;

  /** @param bytesPerSecond 8000 per channel for 8 kHz PCMU. */
  constructor(readonly bytesPerSecond = 8000) {}

  /** Pure state update for `bytes` of audio arriving at clock time `now` (ms). */
  receive(bytes: number, now: number): PlayoutUpdate {
    const started = now >= this.#drainsAt;
    const from = started ? now : this.#drainsAt;
    this.#drainsAt = from + (bytes * 1000) / this.bytesPerSecond;
    return { started, drainsAt: this.#drainsAt };
  }

  /** Whether audio is still playing at `now`. */
  playing(now: number): boolean {
    return now < this.#drainsAt;
  }

  /** Drops whatever is buffered (e.g. after a barge-in). */
  flush(): void {
    this.#drainsAt = -Infinity;
  }
}

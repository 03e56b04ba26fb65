// The live sessions of this instance: counted for readiness and metrics, drained on shutdown.
import type { ServerSession, SessionSummary } from '../audiohook/server/server-session.js';

export class SessionRegistry {
  readonly #sessions = new Set<ServerSession>();

  get size(): number {
    return this.#sessions.size;
  }

  add(session: ServerSession): void {
    this.#sessions.add(session);
    void session.whenEnded().then(() => this.#sessions.delete(session));
  }

  /** Lets every live session finish for up to `drainMs`, then ends the rest the protocol's way. */
  async drain(drainMs: number): Promise<SessionSummary[]> {
    return Promise.all([...this.#sessions].map((s) => s.shutdown(drainMs)));
  }
}

// The live view's state: follows every payment call of a CallDirectory, folds each call's
// card-free events into a LiveSession (session-view.ts), publishes the snapshots on the fan-out
// port and keeps the latest snapshot of every session it hears of, from any instance, for the
// supervisor list and the SSE feeds. Ended sessions stay visible for `retainMs`.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../core/log.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import type { PaymentCallEvents } from '../call/payment-call.js';
import { findCardData, looksLikePan } from '../store/card-guard.js';
import { LIVE_ERRORS } from './errors.js';
import { MemoryFanout, type FanoutOrigin, type LiveFanout } from './fanout.js';
import { parseLiveEvent } from './schema.js';
import { applyEnded, applyOutcome, applySecureWindow, applyStatus, createView, isOver } from './session-view.js';
import type { LiveEvent, LiveSession } from './types.js';

/** What the hub needs of a call: its card-free events (PaymentCall satisfies it). */
export interface LiveCallSource {
  on<K extends 'started' | 'status' | 'securewindow' | 'finished' | 'ended'>(
    event: K,
    listener: (...args: PaymentCallEvents[K]) => void,
  ): unknown;
}

/** What the hub needs of a CallDirectory. */
export interface CallAnnouncer {
  on(event: 'call', listener: (call: LiveCallSource, connectorId: string) => void): unknown;
  off(event: 'call', listener: (call: LiveCallSource, connectorId: string) => void): unknown;
}

export interface LiveHubOptions {
  /** Names this instance in snapshots; default: host name. */
  instanceId?: string;
  fanout?: LiveFanout;
  /** Wall clock, epoch ms; tests inject one. */
  now?: () => number;
  /** How long an ended session stays listed; default 15 minutes. */
  retainMs?: number;
  /** Most sessions kept; the oldest ended ones go first. Default 10000. */
  maxSessions?: number;
  logger?: Logger;
}

export type LiveHubEvents = {
  /** A session's new snapshot (from this instance or another). */
  session: [session: LiveSession];
};

const PRUNE_INTERVAL_MS = 1000;

export class LiveHub extends TypedEmitter<LiveHubEvents> {
  readonly instanceId: string;
  readonly #fanout: LiveFanout;
  readonly #now: () => number;
  readonly #retainMs: number;
  readonly #maxSessions: number;
  readonly #log: Logger | undefined;
  readonly #sessions = new Map<string, LiveSession>();
  readonly #unsubscribe: () => void;
  #closed = false;
  /** True while this hub's own publish() runs (fan-outs hand local subscribers the event at once). */
  #inOwnPublish = false;
  #prunedAt = Number.NEGATIVE_INFINITY;

  constructor(options: LiveHubOptions = {}) {
    super();
    this.instanceId = options.instanceId ?? hostname();
    this.#fanout = options.fanout ?? new MemoryFanout();
    this.#now = options.now ?? Date.now;
    this.#retainMs = options.retainMs ?? 15 * 60_000;
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#log = options.logger;
    this.onListenerError = (event, error) =>
      this.#log?.error({ code: 'ERR_LIVE_LISTENER', event, errName: error instanceof Error ? error.name : typeof error }, 'live listener threw');
    this.#unsubscribe = this.#fanout.subscribe((event, origin) => this.#receive(event, origin));
  }

  /** Follows every call the directory announces from now on; returns the detach function. */
  attach(directory: CallAnnouncer): () => void {
    const onCall = (call: LiveCallSource, connectorId: string) => this.track(call, connectorId);
    directory.on('call', onCall);
    return () => directory.off('call', onCall);
  }

  /** Follows one call. Its view appears once the call has started (after `opened`). */
  track(call: LiveCallSource, connectorId: string): void {
    let view: LiveSession | undefined;
    const update = (next: LiveSession) => {
      view = next;
      this.#publish(next);
    };
    call.on('started', (info) => {
      if (view) return;
      update(createView({
        id: randomUUID(),
        conversationId: String(info.conversationId),
        connectorId: String(connectorId),
        instanceId: this.instanceId,
        mode: String(info.mode),
        language: String(info.language),
        now: this.#now(),
      }));
    });
    call.on('status', (status) => view && update(applyStatus(view, status, this.#now())));
    call.on('securewindow', (info) => view && update(applySecureWindow(view, info.open, this.#now())));
    call.on('finished', (outcome) => view && update(applyOutcome(view, outcome, this.#now(), looksLikePan)));
    call.on('ended', () => view && update(applyEnded(view, this.#now())));
  }

  /**
   * Publishes again the latest snapshot of every session of this instance still listed, for an
   * instance that has just joined the fan-out and knows only what is published from now on.
   */
  republish(): void {
    this.#prune(true);
    for (const s of [...this.#sessions.values()]) if (s.instanceId === this.instanceId) this.#publish(s);
  }

  /** Live and recently ended sessions, newest first. */
  list(): LiveSession[] {
    this.#prune(true);
    return [...this.#sessions.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  get(id: string): LiveSession | undefined {
    return this.#sessions.get(id);
  }

  /** The newest session of a conversation (a conversation may hold several payments). */
  latestFor(conversationId: string): LiveSession | undefined {
    let best: LiveSession | undefined;
    for (const s of this.#sessions.values()) {
      if (s.conversationId === conversationId && (!best || s.startedAt >= best.startedAt)) best = s;
    }
    return best;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    this.removeAllListeners();
  }

  #publish(session: LiveSession): void {
    if (this.#closed) return;
    const parsed = parseLiveEvent({ type: 'session', session });
    // Backstop: the view is built from whitelisted facts, so this never fires unless a bug let
    // something through; then the snapshot is dropped rather than shown.
    const leak = parsed.ok ? findCardData(parsed.event) : undefined;
    if (!parsed.ok || leak) {
      const code = leak ? 'ERR_LIVE_CARD_DATA' : 'ERR_LIVE_FANOUT_EVENT';
      this.#log?.error({ code, field: leak?.path ?? (parsed.ok ? '' : parsed.path) }, LIVE_ERRORS[code].message);
      return;
    }
    this.#inOwnPublish = true;
    try {
      this.#fanout.publish(parsed.event);
    } finally {
      this.#inOwnPublish = false;
    }
  }

  #receive(input: unknown, origin: FanoutOrigin | undefined): void {
    // Our own snapshot, handed back by the fan-out from inside #publish, passed these checks a
    // moment ago. Anything else, even published on the same fan-out by other code, is checked.
    const event = origin === 'local' && this.#inOwnPublish ? (input as LiveEvent) : this.#checked(input);
    if (!event) return;
    const session = event.session;
    const known = this.#sessions.get(session.id);
    // Across instances events may be reordered: an older snapshot never replaces a newer one.
    if (known && (known.updatedAt > session.updatedAt || (known.phase === 'ended' && session.phase !== 'ended'))) return;
    this.#sessions.set(session.id, session);
    this.#prune(false);
    this.safeEmit('session', session);
  }

  #checked(input: unknown): LiveEvent | undefined {
    const parsed = parseLiveEvent(input);
    const leak = parsed.ok ? findCardData(parsed.event) : undefined;
    if (!parsed.ok || leak) {
      const code = leak ? 'ERR_LIVE_CARD_DATA' : 'ERR_LIVE_FANOUT_EVENT';
      this.#log?.warn({ code, field: leak?.path ?? (parsed.ok ? '' : parsed.path) }, LIVE_ERRORS[code].message);
      return undefined;
    }
    return parsed.event;
  }

  // Snapshots arrive several times per call per second at thousands of calls, so the walk over
  // every session runs at most once a second from here (list() always runs it), and eviction
  // goes down to 90 % of capacity so that its sort runs once per tenth of capacity.
  #prune(force: boolean): void {
    const now = this.#now();
    if (!force && now - this.#prunedAt < PRUNE_INTERVAL_MS && this.#sessions.size <= this.#maxSessions) return;
    this.#prunedAt = now;
    const cutoff = now - this.#retainMs;
    for (const [id, s] of this.#sessions) if (s.endedAt !== undefined && isOver(s) && s.endedAt < cutoff) this.#sessions.delete(id);
    if (this.#sessions.size <= this.#maxSessions) return;
    const keep = Math.floor(this.#maxSessions * 0.9);
    const byAge = [...this.#sessions.values()].sort((a, b) => Number(isOver(b)) - Number(isOver(a)) || a.updatedAt - b.updatedAt);
    for (const s of byAge.slice(0, this.#sessions.size - keep)) this.#sessions.delete(s.id);
  }
}

export type { LiveEvent };

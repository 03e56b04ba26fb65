// The two live feeds, over any sink (the SSE writer in production, an array in tests):
// one conversation for the agent page, and every session for the supervisor page. Each sends
// the current state first, then every change.
import type { LiveHub } from './live-hub.js';
import { isOver } from './session-view.js';
import type { LiveSession } from './types.js';

export interface FeedSink {
  send(event: string, data: unknown): void;
  /** The feed has nothing more to say: close the stream. */
  end(): void;
}

/** Stops the feed (the client went away); idempotent. */
export type StopFeed = () => void;

/**
 * Follows the newest payment of one conversation: `waiting` until one starts (the agent page is
 * often opened before the transfer), then `session` snapshots, then `end` once it is over.
 */
export function followConversation(hub: LiveHub, conversationId: string, sink: FeedSink): StopFeed {
  let followed: string | undefined;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    hub.off('session', onSession);
  };
  const show = (s: LiveSession) => {
    followed = s.id;
    sink.send('session', s);
    if (isOver(s)) {
      sink.send('end', { id: s.id });
      stop();
      sink.end();
    }
  };
  const onSession = (s: LiveSession) => {
    if (s.conversationId !== conversationId) return;
    // A newer payment of the same conversation replaces the one followed; older ones are ignored.
    const current = followed === undefined ? undefined : hub.get(followed);
    if (s.id !== followed && current && current.startedAt > s.startedAt) return;
    show(s);
  };
  hub.on('session', onSession);
  const latest = hub.latestFor(conversationId);
  if (latest) show(latest);
  else sink.send('waiting', { conversationId });
  return stop;
}

/** Every session: one `sessions` list, then `session` snapshots as they change. */
export function followAll(hub: LiveHub, sink: FeedSink): StopFeed {
  const onSession = (s: LiveSession) => sink.send('session', s);
  hub.on('session', onSession);
  sink.send('sessions', hub.list());
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    hub.off('session', onSession);
  };
}

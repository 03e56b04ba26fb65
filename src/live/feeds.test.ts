import { describe, expect, it } from 'vitest';
import { CallEvents } from './call-events.js';
import { followAll, followConversation, type FeedSink } from './feeds.js';
import { LiveHub } from './live-hub.js';

class ArraySink implements FeedSink {
  readonly events: Array<[string, unknown]> = [];
  ended = false;
  send(event: string, data: unknown): void {
    this.events.push([event, data]);
  }
  end(): void {
    this.ended = true;
  }
  get names(): string[] {
    return this.events.map(([e]) => e);
  }
}

function setup() {
  let t = 1_000;
  const hub = new LiveHub({ now: () => (t += 5) });
  const call = new CallEvents();
  hub.track(call, 'payments');
  return { hub, call };
}

describe('live feeds', () => {
  it('the conversation feed waits for the call, follows it and ends once it is over', () => {
    const { hub, call } = setup();
    const sink = new ArraySink();
    followConversation(hub, 'conv-1', sink);
    expect(sink.names).toEqual(['waiting']);
    call.emit('started', { conversationId: 'conv-1', mode: 'automated', language: 'en-US' });
    call.emit('status', { phase: 'collecting', field: 'cardNumber', digits: 2 });
    call.emit('finished', { result: 'hung_up', nextAction: 'continue', failureReason: 'caller_hung_up' }, {});
    expect(sink.ended).toBe(false);
    call.emit('ended');
    expect(sink.names).toEqual(['waiting', 'session', 'session', 'session', 'session', 'end']);
    expect(sink.ended).toBe(true);
    call.emit('status', { phase: 'finished' });
    expect(sink.names).toHaveLength(6); // detached: nothing after the end
  });

  it('the conversation feed ignores other conversations and sends a late viewer the current state at once', () => {
    const { hub, call } = setup();
    call.emit('started', { conversationId: 'conv-1', mode: 'automated', language: 'en-US' });
    call.emit('status', { phase: 'charging', attempt: 1 });
    const other = new ArraySink();
    followConversation(hub, 'conv-2', other);
    const late = new ArraySink();
    followConversation(hub, 'conv-1', late);
    expect(late.events).toHaveLength(1);
    expect(late.events[0]![1]).toMatchObject({ conversationId: 'conv-1', phase: 'charging', gateway: 'in_progress' });
    expect(other.names).toEqual(['waiting']);
  });

  it('the all-sessions feed sends the list, then every change, until stopped', () => {
    const { hub, call } = setup();
    call.emit('started', { conversationId: 'conv-1', mode: 'automated', language: 'en-US' });
    const sink = new ArraySink();
    const stop = followAll(hub, sink);
    expect(sink.events[0]![0]).toBe('sessions');
    expect(sink.events[0]![1]).toHaveLength(1);
    call.emit('securewindow', { open: true, field: 'cardNumber', positionSamples: 0, botSample: 0 });
    stop();
    call.emit('securewindow', { open: false, field: 'cardNumber', positionSamples: 0, botSample: 0 });
    expect(sink.names).toEqual(['sessions', 'session']);
    expect(sink.events[1]![1]).toMatchObject({ secure: true });
  });
});

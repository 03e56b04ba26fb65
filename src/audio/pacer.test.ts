import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../core/clock.js';
import { MAX_CHUNK_BYTES, Pacer } from './pacer.js';

interface Sent {
  at: number;
  bytes: Uint8Array;
}

function setup(opts: { chunkBytes?: number; leadMs?: number; minChunkBytes?: number } = {}) {
  const clock = new VirtualClock(1000);
  const sent: Sent[] = [];
  const events: string[] = [];
  const pacer = new Pacer<string>({
    clock,
    sink: (bytes) => sent.push({ at: clock.now(), bytes }),
    onSegmentStart: (tag, pos) => events.push(`start ${tag} @${pos}`),
    onSegmentEnd: (tag, pos) => events.push(`end ${tag} @${pos}`),
    ...opts,
  });
  return { clock, sent, events, pacer };
}

const bytes = (n: number, v = 0x55) => new Uint8Array(n).fill(v);

describe('Pacer', () => {
  it('sends the first chunk at once and the next when the far end is down to the lead', () => {
    const { clock, sent, pacer } = setup({ chunkBytes: 1600, leadMs: 150 });
    pacer.enqueue(bytes(8000), 'a');
    expect(sent.map((s) => s.at)).toEqual([1000]);
    clock.advance(49);
    expect(sent).toHaveLength(1);
    clock.advance(1);
    expect(sent.map((s) => s.at)).toEqual([1000, 1050]);
    clock.advance(1000);
    expect(sent.map((s) => s.at)).toEqual([1000, 1050, 1250, 1450, 1650]);
    expect(sent.every((s) => s.bytes.length === 1600)).toBe(true);
  });

  it('pads a short final chunk with mu-law silence up to the minimum chunk', () => {
    const { clock, sent, pacer } = setup({ chunkBytes: 1600, minChunkBytes: 800 });
    pacer.enqueue(bytes(1700), 'a');
    clock.advance(1000);
    expect(sent.map((s) => s.bytes.length)).toEqual([1600, 800]);
    const last = sent[1]!.bytes;
    expect(last.subarray(0, 100).every((b) => b === 0x55)).toBe(true);
    expect(last.subarray(100).every((b) => b === 0xff)).toBe(true);
    expect(pacer.position).toBe(2400);
  });

  it('reports segment boundaries as stream positions, across chunk edges', () => {
    const { clock, events, pacer } = setup({ chunkBytes: 1000, minChunkBytes: 500 });
    pacer.enqueue(bytes(1500), 'a');
    pacer.enqueue(bytes(0), 'empty');
    pacer.enqueue(bytes(700), 'b');
    clock.advance(5000);
    expect(events).toEqual(['start a @0', 'end a @1500', 'start empty @1500', 'end empty @1500', 'start b @1500', 'end b @2200']);
  });

  it('schedules from an absolute anchor, so late timers do not accumulate drift', () => {
    const clock = new VirtualClock(0);
    const sent: number[] = [];
    const pacer = new Pacer({ clock, sink: () => sent.push(clock.now()) });
    pacer.enqueue(bytes(8000 * 10), undefined);
    // Each timer fires 30 ms late: the pacer catches up instead of sliding the schedule.
    while (pacer.queuedBytes > 0) {
      const next = clock.nextTimerAt();
      if (next === undefined) break;
      clock.advanceTo(next + 30);
    }
    // 10 s of audio in 50 chunks; chunk k is due at 200k - 150 ms (k >= 1).
    expect(sent).toHaveLength(50);
    sent.forEach((t, k) => {
      const due = k === 0 ? 0 : 200 * k - 150;
      expect(t - due).toBeGreaterThanOrEqual(0);
      expect(t - due).toBeLessThanOrEqual(30);
    });
  });

  it('continues the same schedule when new audio arrives before the far end runs dry', () => {
    const { clock, sent, pacer } = setup();
    pacer.enqueue(bytes(1600), 'a');
    clock.advance(100); // far end has 100 ms left
    pacer.enqueue(bytes(1600), 'b');
    // Sent once the far end is down to 150 ms: right away (it holds 100 ms).
    expect(sent.map((s) => s.at)).toEqual([1000, 1100]);
    expect(pacer.playTimeOf(pacer.position)).toBe(1400);
  });

  it('restarts the schedule after the far end ran dry', () => {
    const { clock, pacer } = setup();
    pacer.enqueue(bytes(1600), 'a');
    clock.advance(1000);
    expect(pacer.idle).toBe(true);
    pacer.enqueue(bytes(1600), 'b');
    expect(pacer.playTimeOf(1600)).toBe(2000);
    expect(pacer.playTimeOf(3200)).toBe(2200);
  });

  it('flush drops queued audio, returns the unfinished tags and stops sending', () => {
    const { clock, sent, pacer } = setup();
    pacer.enqueue(bytes(4000), 'a');
    pacer.enqueue(bytes(4000), 'b');
    clock.advance(60);
    expect(sent).toHaveLength(2);
    expect(pacer.flush()).toEqual(['a', 'b']);
    clock.advance(5000);
    expect(sent).toHaveLength(2);
    expect(pacer.queuedBytes).toBe(0);
  });

  it('after a flush with the far end cleared, new audio starts at once', () => {
    const { clock, sent, pacer } = setup();
    pacer.enqueue(bytes(16000), 'a');
    clock.advance(60); // two chunks out, the far end holds 340 ms
    pacer.flush(true);
    pacer.enqueue(bytes(1600), 'b');
    expect(sent.at(-1)!.at).toBe(1060);
    expect(pacer.playTimeOf(pacer.position)).toBe(1260);
  });

  it('a callback may flush or enqueue while a chunk is being sent', () => {
    const clock = new VirtualClock();
    const sent: number[] = [];
    const pacer: Pacer<string> = new Pacer<string>({
      clock,
      sink: (c) => sent.push(c.length),
      onSegmentStart: (tag) => {
        if (tag === 'b') pacer.flush(true);
      },
      onSegmentEnd: (tag) => {
        if (tag === 'a') pacer.enqueue(bytes(800), 'c');
      },
    });
    pacer.enqueue(bytes(1000), 'a'); // sent at once; its end enqueues c, sent in the same turn
    pacer.enqueue(bytes(3000), 'b'); // b's first chunk flushes the rest of b
    clock.advance(5000);
    expect(sent).toEqual([1000, 800, 1600]);
    expect(pacer.queuedBytes).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a flush and a new segment from inside a callback restart the schedule without a burst', () => {
    const clock = new VirtualClock();
    const sent: number[] = [];
    const pacer: Pacer<string> = new Pacer<string>({
      clock,
      sink: () => sent.push(clock.now()),
      onSegmentEnd: (tag) => {
        if (tag !== 'a') return;
        pacer.flush(true);
        pacer.enqueue(bytes(16000), 'next');
      },
    });
    pacer.enqueue(bytes(1600), 'a');
    expect(sent).toEqual([0, 0]); // a, then the first chunk of next on a fresh schedule
    clock.advance(1000);
    expect(sent).toEqual([0, 0, 50, 250, 450, 650, 850]);
  });

  it('refuses chunk sizes over the AudioHook limit of 64000 bytes', () => {
    const clock = new VirtualClock();
    expect(() => new Pacer({ clock, sink: () => {}, chunkBytes: MAX_CHUNK_BYTES + 1 })).toThrow(RangeError);
    expect(() => new Pacer({ clock, sink: () => {}, chunkBytes: 1000, minChunkBytes: 2000 })).toThrow(RangeError);
  });

  it('accepts nothing after close', () => {
    const { clock, sent, pacer } = setup();
    pacer.enqueue(bytes(8000), 'a');
    expect(pacer.close()).toEqual(['a']);
    expect(pacer.enqueue(bytes(100), 'b')).toBe(false);
    clock.advance(5000);
    expect(sent).toHaveLength(1);
  });
});

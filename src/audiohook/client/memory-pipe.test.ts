import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock.js';
import { createMemoryPipe } from './memory-pipe.js';
import type { TransportHandlers } from './transport.js';

function recorder(log: string[], name: string): TransportHandlers {
  return {
    text: (t) => log.push(`${name} text ${t}`),
    binary: (b) => log.push(`${name} binary ${b.length}`),
    closed: (code) => log.push(`${name} closed ${code}`),
  };
}

describe('createMemoryPipe', () => {
  it('delivers in order after the latency on the clock, never inside the send call', () => {
    const clock = new VirtualClock();
    const { client, server } = createMemoryPipe({ clock, latencyMs: 7 });
    const log: string[] = [];
    server.attach(recorder(log, 'server'));
    client.sendText('a');
    client.sendBinary(new Uint8Array(3));
    expect(log).toEqual([]);
    clock.advance(6);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual(['server text a', 'server binary 3']);
  });

  it('holds messages that arrive before a receiver is attached', async () => {
    const { client, server } = createMemoryPipe();
    const log: string[] = [];
    server.sendText('early');
    await Promise.resolve();
    client.attach(recorder(log, 'client'));
    expect(log).toEqual(['client text early']);
  });

  it('copies binary frames so the sender may reuse its buffer', async () => {
    const { client, server } = createMemoryPipe();
    const got: Uint8Array[] = [];
    server.attach({ text: () => {}, binary: (b) => got.push(b), closed: () => {} });
    const buf = new Uint8Array([1, 2, 3]);
    client.sendBinary(buf);
    buf[0] = 9;
    await Promise.resolve();
    expect([...got[0]!]).toEqual([1, 2, 3]);
  });

  it('closes both ends once and drops anything sent after close', async () => {
    const { client, server } = createMemoryPipe();
    const log: string[] = [];
    client.attach(recorder(log, 'client'));
    server.attach(recorder(log, 'server'));
    client.close(1000);
    client.close(1001);
    server.sendText('late');
    await Promise.resolve();
    expect(log).toEqual(['client closed 1000', 'server closed 1000']);
  });
});

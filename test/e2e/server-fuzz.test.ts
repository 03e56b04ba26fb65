// Hostile input at a live server: mutated and random messages and frames. Whatever arrives, the
// process keeps serving, every session ends the protocol's way (at most one disconnect, closed
// only after close), no session is left behind, and memory stays bounded.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ sessions: { idleTimeoutSeconds: 2, closeTimeoutSeconds: 2, openTimeoutSeconds: 1 } });
});
afterAll(async () => server.close());

const TYPES = ['open', 'close', 'ping', 'paused', 'resumed', 'discarded', 'update', 'error', 'dtmf', 'playback_started', 'playback_completed', 'bogus', ''];

type Action =
  | { kind: 'message'; type: string; seqDelta: number; mutate: number; parameters: unknown }
  | { kind: 'raw'; text: string }
  | { kind: 'binary'; size: number };

const jsonish = fc.jsonValue({ maxDepth: 4 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('message' as const),
    type: fc.constantFrom(...TYPES),
    seqDelta: fc.constantFrom(1, 1, 1, 1, 0, 2, -1),
    mutate: fc.integer({ min: 0, max: 7 }),
    parameters: fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 12 }), jsonish, { maxKeys: 4 }), jsonish),
  }),
  fc.record({ kind: fc.constant('raw' as const), text: fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })) }),
  fc.record({ kind: fc.constant('binary' as const), size: fc.oneof(fc.integer({ min: 0, max: 3300 }), fc.constant(70_000)) }),
);

describe('server under hostile input', () => {
  it('never crashes, always ends sessions the protocol way, and keeps memory bounded', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), fc.boolean(), async (actions, openFirst) => {
        const client = await connect(server);
        const disconnects: unknown[] = [];
        client.on('disconnect', (p) => disconnects.push(p));
        if (openFirst) await client.open();
        let seq = client.timeline.filter((e) => e.dir === 'out' && e.kind === 'text').length;
        for (const a of actions) {
          if (client.state === 'closed') break;
          if (a.kind === 'raw') client.sendRawText(a.text);
          else if (a.kind === 'binary') client.sendRawBinary(new Uint8Array(a.size).fill(0xff));
          else {
            seq += a.seqDelta;
            const msg: Record<string, unknown> = {
              version: '2', id: client.sessionId, type: a.type, seq, serverseq: client.lastServerSeq, position: 'PT0S', parameters: a.parameters,
            };
            const keys = Object.keys(msg);
            if (a.mutate < keys.length) delete msg[keys[a.mutate]!]; // drop one field (or keep all: mutate 7)
            client.sendRawText(JSON.stringify(msg));
          }
        }
        // Give the server a moment, then end the session the client's way.
        await new Promise((r) => setTimeout(r, 10));
        if (client.state !== 'closed') await client.close('end');
        const end = Date.now() + 5000;
        while (client.state !== 'closed' && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
        expect(client.state).toBe('closed');
        expect(disconnects.length).toBeLessThanOrEqual(1);
        // `closed` from the server only ever follows a `close` from the client.
        // Raw sends are recorded untyped: read their type from the text the client sent.
        const typeOf = (e: (typeof client.timeline)[number]) => {
          if (e.kind !== 'text') return undefined;
          if (e.type) return e.type;
          try {
            const parsed: unknown = typeof e.message === 'string' ? JSON.parse(e.message) : e.message;
            return typeof parsed === 'object' && parsed !== null ? (parsed as { type?: unknown }).type : undefined;
          } catch {
            return undefined;
          }
        };
        const firstClose = client.timeline.findIndex((e) => e.dir === 'out' && typeOf(e) === 'close');
        const firstClosed = client.timeline.findIndex((e) => e.kind === 'text' && e.dir === 'in' && e.type === 'closed');
        if (firstClosed >= 0) expect(firstClose).toBeGreaterThanOrEqual(0);
        if (firstClosed >= 0) expect(firstClosed).toBeGreaterThan(firstClose);
      }),
      { numRuns: 40 },
    );
    const end = Date.now() + 5000;
    while (server.payhook.registry.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(server.payhook.registry.size).toBe(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // Bounded: forty hostile sessions leave no more than a few MiB behind.
    global.gc?.();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});

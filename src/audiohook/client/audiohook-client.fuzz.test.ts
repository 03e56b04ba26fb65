import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock.js';
import { AudioHookClient } from './audiohook-client.js';
import { createMemoryPipe } from './memory-pipe.js';

// Hostile servers: whatever arrives, the client never throws, signals at most one error, and
// ends up closed once the close timeout has run.
const serverish = fc.oneof(
  fc.string(),
  fc.json(),
  fc.record({
    version: fc.constantFrom('2', '1', 2),
    id: fc.constantFrom('SESSION', 'other'),
    type: fc.constantFrom('opened', 'pong', 'closed', 'disconnect', 'pause', 'resume', 'event', 'updated', 'reconnect', 'bogus'),
    seq: fc.integer({ min: -1, max: 5 }),
    clientseq: fc.integer({ min: -1, max: 5 }),
    parameters: fc.oneof(fc.constant({}), fc.object(), fc.constant(null), fc.constant({ media: [] }), fc.constant({ reason: 'completed' })),
  }),
);

describe('AudioHookClient under hostile server input', () => {
  it('never throws, signals at most one error, and always ends closed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(serverish, fc.uint8Array({ maxLength: 64 })), { maxLength: 12 }), async (inputs) => {
        const clock = new VirtualClock();
        const pipe = createMemoryPipe({ clock });
        let errors = 0;
        pipe.server.attach({
          text: (t) => {
            if ((JSON.parse(t) as { type: string }).type === 'error') errors++;
          },
          binary: () => {},
          closed: () => {},
        });
        const client = new AudioHookClient({ transport: pipe.client, clock });
        void client.open();
        for (const input of inputs) {
          if (input instanceof Uint8Array) pipe.server.sendBinary(input);
          else {
            const text = typeof input === 'string' ? input : JSON.stringify(input).replace('"SESSION"', JSON.stringify(client.sessionId));
            pipe.server.sendText(text);
          }
          clock.advance(100);
        }
        clock.advance(30_000);
        expect(errors).toBeLessThanOrEqual(1);
        expect(client.state).toBe('closed');
      }),
      { numRuns: 300 },
    );
  });
});

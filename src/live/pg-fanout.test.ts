// The live fan-out over PostgreSQL LISTEN/NOTIFY against a real server started for this file.
// Without server binaries the file skips locally; under CI=true it fails instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createDatabase, pgUnavailable, startPgServer, type PgServer } from '../../test/store/pg-server.js';
import { createLogger } from '../core/log.js';
import { LogCapture } from '../../test/helpers/server.js';
import { LiveHub } from './live-hub.js';
import { PgFanout } from './pg-fanout.js';
import { createView } from './session-view.js';
import type { LiveEvent } from './types.js';

const unavailable = pgUnavailable();

function event(conversationId: string, connectorId = 'payments'): LiveEvent {
  return {
    type: 'session',
    session: createView({ id: `s-${conversationId}`, conversationId, connectorId, instanceId: 'a', mode: 'automated', language: 'en-US', now: Date.now() }),
  };
}

function nextEvent(fanout: PgFanout): Promise<unknown> {
  return new Promise((resolve) => {
    const off = fanout.subscribe((e) => {
      off();
      resolve(e);
    });
  });
}

describe.skipIf(unavailable !== undefined)('PostgreSQL live fan-out', () => {
  let server: PgServer;
  let url: string;
  beforeAll(async () => {
    server = await startPgServer();
    url = await createDatabase(server, `fanout_${process.pid}`);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('delivers an event to subscribers on the publishing instance and on another one, once each', async () => {
    const a = await PgFanout.open({ connectionString: url });
    const b = await PgFanout.open({ connectionString: url });
    try {
      const onA: unknown[] = [];
      a.subscribe((e) => onA.push(e));
      const atB = nextEvent(b);
      const sent = event('c0ffee00-0000-4000-8000-000000000001');
      a.publish(sent);
      expect(onA).toEqual([sent]);
      expect(await atB).toEqual(sent);
      // The database's echo of A's own event is not delivered a second time.
      await new Promise((r) => setTimeout(r, 200));
      expect(onA).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps instances on other channels apart', async () => {
    const a = await PgFanout.open({ connectionString: url, channel: 'payhook_live_a' });
    const b = await PgFanout.open({ connectionString: url, channel: 'payhook_live_b' });
    try {
      const atB: unknown[] = [];
      b.subscribe((e) => atB.push(e));
      a.publish(event('c0ffee00-0000-4000-8000-000000000002'));
      await new Promise((r) => setTimeout(r, 300));
      expect(atB).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps an event over the NOTIFY size limit local and logs it with a code', async () => {
    const logs = new LogCapture();
    const a = await PgFanout.open({ connectionString: url, logger: createLogger({ level: 'debug', destination: logs }) });
    const b = await PgFanout.open({ connectionString: url });
    try {
      const atB: unknown[] = [];
      b.subscribe((e) => atB.push(e));
      const onA: unknown[] = [];
      a.subscribe((e) => onA.push(e));
      a.publish(event('c0ffee00-0000-4000-8000-000000000003', 'x'.repeat(9000)));
      await new Promise((r) => setTimeout(r, 300));
      expect(onA).toHaveLength(1);
      expect(atB).toEqual([]);
      expect(logs.text).toContain('ERR_LIVE_FANOUT_PUBLISH');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses to publish an event carrying a card number', async () => {
    const logs = new LogCapture();
    const a = await PgFanout.open({ connectionString: url, logger: createLogger({ level: 'debug', destination: logs }) });
    const b = await PgFanout.open({ connectionString: url });
    try {
      const atB: unknown[] = [];
      b.subscribe((e) => atB.push(e));
      a.publish(event('c0ffee00-0000-4000-8000-000000000004', '4242424242424242'));
      await new Promise((r) => setTimeout(r, 300));
      expect(atB).toEqual([]);
      expect(logs.text).toContain('ERR_LIVE_CARD_DATA');
      expect(logs.text).not.toContain('4242424242424242');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('listens again after its database connection is cut, and logs the loss with a code', async () => {
    const logs = new LogCapture();
    const a = await PgFanout.open({ connectionString: url });
    const b = await PgFanout.open({ connectionString: url, reconnectMs: 100, logger: createLogger({ level: 'debug', destination: logs }) });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // Ends every session that is LISTENing, as a server restart or a failover would.
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()");
      const lost = Date.now() + 3000;
      while (!logs.text.includes('ERR_LIVE_FANOUT_PUBLISH') && Date.now() < lost) await new Promise((r) => setTimeout(r, 20));
      expect(logs.text).toContain('ERR_LIVE_FANOUT_PUBLISH');
      const received: unknown[] = [];
      b.subscribe((e) => received.push(e));
      const deadline = Date.now() + 5000;
      while (received.length === 0 && Date.now() < deadline) {
        a.publish(event('c0ffee00-0000-4000-8000-000000000006'));
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(received.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
      await a.close();
      await b.close();
    }
  });

  it('lets a hub on one instance list a session published by a hub on another', async () => {
    const fa = await PgFanout.open({ connectionString: url });
    const fb = await PgFanout.open({ connectionString: url });
    const hubA = new LiveHub({ instanceId: 'a', fanout: fa });
    const hubB = new LiveHub({ instanceId: 'b', fanout: fb });
    try {
      const seen = new Promise<string>((resolve) => hubB.once('session', (s) => resolve(s.conversationId)));
      fa.publish(event('c0ffee00-0000-4000-8000-000000000005'));
      expect(await seen).toBe('c0ffee00-0000-4000-8000-000000000005');
      expect(hubB.latestFor('c0ffee00-0000-4000-8000-000000000005')?.instanceId).toBe('a');
    } finally {
      await hubA.close();
      await hubB.close();
      await fa.close();
      await fb.close();
    }
  });
});

if (unavailable) console.warn(unavailable);

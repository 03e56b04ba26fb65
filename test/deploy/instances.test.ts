// Two PayHook instances, started exactly as `payhook serve` starts one (startInstance), sharing
// one PostgreSQL server on loopback: records and reports are global, the live view on B follows
// a call carried by A, a signed upgrade replayed to the other instance is refused, and draining
// one instance leaves the other serving. Skipped locally without PostgreSQL; fails under CI=true.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../../src/audiohook/client/connect.js';
import type { AudioHookClient } from '../../src/audiohook/client/audiohook-client.js';
import { prepareConnectors } from '../../src/call/connectors.js';
import { startInstance, type PayhookInstance } from '../../src/cli/commands/serve.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/core/log.js';
import type { LiveSession } from '../../src/live/types.js';
import { startGatewaySim, type GatewaySim } from '../../src/payment/gateway-sim/server.js';
import { createDatabase, pgUnavailable, startPgServer, type PgServer } from '../store/pg-server.js';
import { LogCapture, ORG_ID, SIGNED_KEY, SIGNED_SECRET } from '../helpers/server.js';
import { signedHeaders, tryUpgrade } from './signed-upgrade.js';

const unavailable = pgUnavailable();
if (unavailable) console.warn(unavailable);

const TOKEN = 'a-live-view-token-for-tests-0123';
const PATH = '/api/v1/audioconnector/payments';

interface Running {
  instance: PayhookInstance;
  logs: LogCapture;
  ws: string;
  http: string;
}

describe.skipIf(unavailable !== undefined)('two instances sharing one PostgreSQL', () => {
  let pgServer: PgServer;
  let sim: GatewaySim;
  let a: Running;
  let b: Running;

  async function start(instanceId: string, postgresUrl: string): Promise<Running> {
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0, drainTimeoutSeconds: 5, instanceId },
      logLevel: 'debug',
      apiKeys: [{ apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET, connectors: '*' }],
      connectors: { payments: { gateway: { provider: 'stripe', baseUrl: sim.url } } },
      store: { backend: 'postgres', postgresUrl },
      recording: { enabled: false },
      live: { accessTokens: [TOKEN] },
    });
    const logs = new LogCapture();
    const instance = await startInstance(config, prepareConnectors(config.connectors), createLogger({ level: 'debug', destination: logs }));
    return { instance, logs, http: instance.address, ws: instance.address.replace(/^http/, 'ws') };
  }

  async function openCall(on: Running, inputs: Record<string, string>): Promise<AudioHookClient> {
    const result = await connectClient(
      { url: `${on.ws}${PATH}`, apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET, organizationId: ORG_ID },
      { conversationId: randomUUID(), ping: false, autoPlayback: true, language: 'en-US', inputVariables: inputs },
    );
    if (!result.ok) throw new Error(`connect failed: ${JSON.stringify(result)}`);
    expect((await result.client.open()).code).toBe('OPENED');
    return result.client;
  }

  async function untilClosed(client: AudioHookClient): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (client.state !== 'closed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  function snapshotOn(on: Running, match: (s: LiveSession) => boolean): Promise<LiveSession> {
    return new Promise((resolve) => {
      const listener = (s: LiveSession) => {
        if (!match(s)) return;
        on.instance.hub.off('session', listener);
        resolve(s);
      };
      on.instance.hub.on('session', listener);
    });
  }

  const get = (on: Running, path: string) => fetch(`${on.http}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });

  let dbUrl: string;

  beforeAll(async () => {
    pgServer = await startPgServer();
    sim = await startGatewaySim({ port: 0 });
    const url = await createDatabase(pgServer, `instances_${process.pid}`);
    dbUrl = url;
    // One after the other: the first applies the migrations.
    a = await start('instance-a', url);
    b = await start('instance-b', url);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([a?.instance.close(200), b?.instance.close(200)]);
    await sim?.close();
    await pgServer?.stop();
  });

  it('the live view on B follows a call carried by A, from start to end', async () => {
    const inputs = { PAYHOOK_MODE: 'automated', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00' };
    const liveOnB = snapshotOn(b, (s) => s.instanceId === 'instance-a' && s.phase === 'collecting');
    const client = await openCall(a, inputs);
    const live = await liveOnB;
    expect(live.instanceId).toBe('instance-a');
    const listed = (await (await get(b, '/api/v1/live/sessions')).json()) as { sessions: LiveSession[] };
    expect(listed.sessions.map((s) => s.id)).toContain(live.id);

    const endedOnB = snapshotOn(b, (s) => s.id === live.id && s.phase === 'ended');
    await client.close('end');
    const ended = await endedOnB;
    expect(ended.outcome?.result).toBe('hung_up');
  });

  it('records and reports are global: a call on A is found through B, and both report the same', async () => {
    const client = await openCall(a, { PAYHOOK_CALLER_IDENTIFIED: 'false' });
    await untilClosed(client);
    const record = await b.instance.store!.getSession(client.sessionId);
    expect(record?.instanceId).toBe('instance-a');
    expect(record?.outcome?.result).toBe('not_identified');
    const total = async (on: Running) => {
      const body = (await (await get(on, '/api/v1/reports')).json()) as { rows: Array<{ sessions: number }> };
      return body.rows.reduce((n, r) => n + r.sessions, 0);
    };
    const [ta, tb] = [await total(a), await total(b)];
    expect(ta).toBeGreaterThanOrEqual(2);
    expect(tb).toBe(ta);
  });

  it('a signed upgrade accepted by A is refused when replayed to B', async () => {
    // Behind a load balancer both instances see the same Host; the test sends A's to B.
    const host = new URL(a.http).host;
    const headers = signedHeaders(`${a.ws}${PATH}`);
    expect((await tryUpgrade(`${a.ws}${PATH}`, headers)).status).toBe(101);
    expect((await tryUpgrade(`${b.ws}${PATH}`, headers, { host })).status).toBe(401);
    expect(b.logs.text).toContain('ERR_AUTH_NONCE_REPLAYED');
    // Control: fresh headers for the same Host pass on B, so the refusal was the nonce.
    expect((await tryUpgrade(`${b.ws}${PATH}`, signedHeaders(`${a.ws}${PATH}`), { host })).status).toBe(101);
  });

  it('draining A refuses new calls there while B keeps serving, and A finishes its live call', async () => {
    const onA = await openCall(a, { PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '10.00' });
    const drained = a.instance.close(10_000);
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`${a.http}/readyz`)).status).toBe(503);
    expect((await tryUpgrade(`${a.ws}${PATH}`, signedHeaders(`${a.ws}${PATH}`))).status).toBe(503);
    expect((await fetch(`${b.http}/readyz`)).status).toBe(200);
    const onB = await openCall(b, { PAYHOOK_CALLER_IDENTIFIED: 'false' });
    await untilClosed(onB);
    expect(onA.state).not.toBe('closed');
    await onA.close('end');
    await drained;
    expect(a.logs.text).toContain('drained; closing');
  });

  it('a start that fails after connecting to the database leaves no connection behind', async () => {
    const connections = async () => {
      const client = new pg.Client({ connectionString: dbUrl });
      await client.connect();
      try {
        const r = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        return (r.rows[0] as { n: number }).n;
      } finally {
        await client.end();
      }
    };
    const before = await connections();
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0, instanceId: 'instance-c', tls: { certFile: '/nonexistent/tls.crt', keyFile: '/nonexistent/tls.key' } },
      apiKeys: [{ apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET }],
      connectors: { payments: { gateway: { provider: 'stripe', baseUrl: sim.url } } },
      store: { backend: 'postgres', postgresUrl: dbUrl },
      recording: { enabled: false },
      logLevel: 'silent',
    });
    const error = await startInstance(config, prepareConnectors(config.connectors), createLogger({ level: 'silent' })).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ERR_CONFIG_TLS_FILES');
    // Pools end asynchronously on the server side; give it a moment.
    let after = await connections();
    for (let i = 0; i < 20 && after > before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await connections();
    }
    expect(after).toBeLessThanOrEqual(before);
  });
});

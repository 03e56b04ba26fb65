// Full payment calls through the live server, signed like Genesys: the caller keys the card by
// out-of-band `dtmf` messages in one test and by in-band tones in another, and both end approved
// in the sandbox gateway with the right output variables. A third hangs up mid-card.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { parseWav } from '../../src/audio/wav.js';
import { scanRecording } from '../../src/recording/scan.js';
import { multimonDigits } from '../../src/recording/multimon.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { systemClock } from '../../src/core/clock.js';
import { prepareConnectors } from '../../src/call/connectors.js';
import { CallDirectory, createPaymentCalls } from '../../src/call/payment-calls.js';
import { startGatewaySim, type GatewaySim } from '../../src/payment/gateway-sim/server.js';
import { connect, startTestServer, type TestServer } from '../helpers/server.js';
import { ScriptedCaller } from '../helpers/caller.js';
import { withoutRandomIds } from '../helpers/pci.js';

const PAN = '4242424242424242';
const CVV = '737';

let sim: GatewaySim;
let server: TestServer | undefined;
let store: SessionStore;
const dataDir = mkdtempSync(join(tmpdir(), 'payhook-e2e-'));
const recordingsDir = mkdtempSync(join(tmpdir(), 'payhook-e2e-rec-'));
const directory = new CallDirectory();
beforeAll(async () => {
  sim = await startGatewaySim({ port: 0 });
  store = await openStore({ backend: 'sqlite', dataDir });
});
afterAll(async () => {
  await sim.close();
  await store.close();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function startPaymentServer(connector: Record<string, unknown>) {
  const connectors = { payments: { gateway: { provider: 'stripe', baseUrl: sim.url }, ...connector } };
  const calls = createPaymentCalls(
    { connectors: prepareConnectors(connectors), clock: systemClock, store, recording: { dir: recordingsDir, fill: 'silence' } },
    directory,
  );
  return startTestServer({ connectors }, { calls });
}

const inputs = { PAYHOOK_MODE: 'automated', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00', PAYHOOK_PAYMENT_REFERENCE: 'INV-1001' };

async function runCall(keying: 'inband' | 'outofband', entries: string[], connector: Record<string, unknown> = {}) {
  server = await startPaymentServer(connector);
  const client = await connect(server, '/api/v1/audioconnector/payments', {}, { inputVariables: inputs, autoPlayback: true, language: 'en-US' });
  const disconnect = new Promise<Record<string, string>>((resolve) => client.once('disconnect', (p) => resolve(p.outputVariables ?? {})));
  expect((await client.open()).code).toBe('OPENED');
  const caller = new ScriptedCaller(client, { keying, entries });
  caller.start();
  const outputs = await disconnect;
  caller.stop();
  const deadline = Date.now() + 5000;
  while (client.state !== 'closed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return { client, outputs, logs: server.logs };
}

describe('a full payment call through the live server', () => {
  it('approves a card keyed by dtmf messages, with expiry and security code', async () => {
    const before = sim.charges().length;
    const events: string[] = [];
    const follow = (call: Parameters<Parameters<CallDirectory['on']>[1]>[0]) => {
      for (const name of ['started', 'digit', 'promptstarted', 'promptfinished', 'securewindow', 'tone', 'status', 'finished'] as const) {
        call.on(name, (...args: unknown[]) => events.push(JSON.stringify([name, ...args])));
      }
    };
    directory.on('call', follow);
    const { client, outputs, logs } = await runCall('outofband', [`${PAN}#`, '1', '1230', '1', CVV, '1']);
    directory.off('call', follow);
    const metrics = await (await fetch(`${server!.url}/metrics`)).text();
    expect(outputs).toMatchObject({
      PAYHOOK_RESULT: 'approved',
      PAYHOOK_NEXT_ACTION: 'continue',
      PAYHOOK_CARD_BRAND: 'visa',
      PAYHOOK_CARD_LAST4: '4242',
      PAYHOOK_CURRENCY: 'USD',
    });
    expect(outputs.PAYHOOK_TRANSACTION_REF).toMatch(/\w{6,}/);
    const charges = sim.charges().slice(before);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ last4: '4242', amountMinor: 2500 });
    expect(client.state).toBe('closed');

    // The record was durable before the disconnect, complete and card-free; the audit chain holds.
    const [record] = await store.listSessions({ limit: 1 });
    expect(record).toMatchObject({ outcome: { result: 'approved', nextAction: 'continue' }, disconnectReason: 'completed', brand: 'visa', last4: '4242', amountMinor: 2500, currency: 'USD' });
    expect(record!.charges).toHaveLength(1);
    expect(record!.segments.map((s) => s.kind)).toEqual(expect.arrayContaining(['ivr', 'secure_capture', 'gateway']));
    expect((await store.verifyAuditChain()).ok).toBe(true);
    const audit = JSON.stringify(await store.listAudit({ limit: 1000 }));
    const dbBytes = readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f)).toString('latin1')).join('');
    expect(dbBytes).not.toContain(PAN);
    expect(audit + JSON.stringify(record)).not.toContain(PAN.slice(0, 8));
    // PCI: neither the PAN nor the CVV (nor a long run of the PAN) in any log line or output.
    expect(events.some((e) => e.startsWith('["securewindow"'))).toBe(true);
    // The caller heard the approval and the reference in full before the session ended.
    const approved = events.findIndex((e) => e.startsWith('["promptfinished",{"name":"approved","interrupted":false'));
    expect(approved).toBeGreaterThan(0);
    expect(approved).toBeLessThan(events.findIndex((e) => e.startsWith('["finished"')));
    const everything = [logs.text, JSON.stringify(outputs), JSON.stringify(client.timeline.filter((e) => e.kind === 'text' && e.dir === 'in')), events.join('\n'), metrics].join('\n');
    expect(everything).not.toContain(PAN);
    expect(everything).not.toContain(PAN.slice(0, 8));
    expect(withoutRandomIds(everything)).not.toMatch(new RegExp(`"${CVV}"|[^0-9.]${CVV}[^0-9]`));
  }, 120_000);

  it('approves a card keyed by in-band tones only, and its recording holds no tone', async () => {
    const before = sim.charges().length;
    const { client, outputs, logs } = await runCall('inband', [`${PAN}#`, '1'], { required: { expiry: false, securityCode: false } });
    expect(outputs).toMatchObject({ PAYHOOK_RESULT: 'approved', PAYHOOK_CARD_LAST4: '4242' });
    expect(sim.charges().slice(before)).toHaveLength(1);
    expect(logs.text).not.toContain(PAN);

    // The masked stereo recording (caller left, bot right): neither PayHook's detector nor
    // multimon-ng finds a digit, though the caller keyed 18 of them in-band.
    const file = join(recordingsDir, `${client.sessionId}.wav`);
    const deadline = Date.now() + 5000;
    while (!readdirSync(recordingsDir).includes(`${client.sessionId}.masks.json`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const bytes = new Uint8Array(readFileSync(file));
    const wav = parseWav(bytes);
    expect(wav.channels).toBe(2);
    expect(wav.data.length / 2 / 8000).toBeGreaterThan(10);
    expect(scanRecording(wav).digits).toEqual([]);
    expect(await multimonDigits(bytes, 1)).toEqual([]);
    expect(await multimonDigits(bytes, 2)).toEqual([]);
    const sidecar = readFileSync(join(recordingsDir, `${client.sessionId}.masks.json`), 'utf8');
    expect(sidecar).toMatch(/secure_window|dtmf/);
    expect(sidecar).not.toContain(PAN.slice(0, 8));
  }, 120_000);
});

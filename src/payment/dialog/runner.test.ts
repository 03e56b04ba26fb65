// The dialog shell end to end without audio: virtual-clock timers, prompts "played" instantly,
// charges through the Stripe-style client to the real sandbox gateway on 127.0.0.1.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DtmfDigit } from '../../audiohook/protocol/messages.js';
import { VirtualClock } from '../../core/clock.js';
import { createLogger } from '../../core/log.js';
import { parsePaymentConfig } from '../config.js';
import { startGatewaySim, type GatewaySim } from '../gateway-sim/server.js';
import { createGatewayClient } from '../gateway/create.js';
import { parseCallContext } from '../input-variables.js';
import { TEST_NOW } from './harness.js';
import { PaymentDialog } from './runner.js';

let sim: GatewaySim;
beforeAll(async () => {
  sim = await startGatewaySim({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

function setup(vars: Record<string, string>, configExtra: Record<string, unknown> = {}) {
  const parsed = parsePaymentConfig({ gateway: { provider: 'stripe', baseUrl: sim.url, requestTimeoutMs: 300, maxRetries: 2, backoffMs: 10 }, ...configExtra });
  if (!parsed.ok) throw new Error('config');
  const gateway = createGatewayClient(parsed.value.gateway);
  if (!gateway.ok) throw new Error(gateway.code);
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
  const clock = new VirtualClock();
  const context = parseCallContext(vars, { conversationId: 'c0ffee00-0000-4000-8000-000000000001' }, parsed.value);
  const dialog = new PaymentDialog({ config: parsed.value, context, clock, gateway: gateway.client, wallClock: () => TEST_NOW, logger });
  const events: unknown[][] = [];
  let playing: number[] = [];
  dialog.on('play', (id, prompt) => (playing.push(id), events.push(['play', prompt.name, prompt.items])));
  dialog.on('stopprompts', () => ((playing = []), events.push(['stop'])));
  dialog.on('status', (s) => events.push(['status', s]));
  dialog.on('securewindow', (open, field) => events.push(['secure', open, field]));
  dialog.on('finish', (o, v) => events.push(['finish', o, v]));
  let position = 0;
  const hear = () => {
    while (playing.length) dialog.promptFinished(playing.shift()!);
  };
  const keys = (k: string) => {
    hear();
    for (const d of k) dialog.digit(d as DtmfDigit, ++position);
  };
  return { dialog, clock, keys, hear, events, lines };
}

describe('PaymentDialog (shell) with the sandbox gateway', () => {
  it('takes a full automated payment and the sandbox shows exactly one charge', async () => {
    const t = setup({ PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '42.50', PAYHOOK_PAYMENT_REFERENCE: 'INV-42' });
    t.dialog.start();
    t.keys('4242424242424242#');
    t.keys('1');
    t.keys('1230');
    t.keys('1');
    t.keys('123');
    t.keys('1');
    // The gateway answers over real HTTP; then the approval prompt plays and the dialog ends.
    await new Promise<void>((resolve) => t.dialog.once('play', () => resolve()));
    t.hear();
    const { outputVariables } = await t.dialog.done;
    expect(outputVariables).toMatchObject({ PAYHOOK_RESULT: 'approved', PAYHOOK_AMOUNT: '42.50', PAYHOOK_CARD_LAST4: '4242', PAYHOOK_CARD_BRAND: 'visa' });
    expect(outputVariables.PAYHOOK_TRANSACTION_REF).toMatch(/^pi_/);
    expect(sim.charges()).toEqual([expect.objectContaining({ status: 'succeeded', amountMinor: 4250, last4: '4242' })]);
    const everything = JSON.stringify(t.events) + t.lines.join('');
    for (const bad of ['4242424242424242', '424242424242', '"123"']) expect(everything).not.toContain(bad);
  });

  it('fires the first-digit timeout on the injected clock and re-prompts', () => {
    const t = setup({ PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '10.00' });
    t.dialog.start();
    t.hear();
    t.clock.advance(7_999);
    expect(t.events.filter((e) => e[0] === 'play')).toHaveLength(2);
    t.clock.advance(1);
    expect(t.events.filter((e) => e[0] === 'play').at(-1)?.slice(0, 2)).toEqual(['play', 'enter_card_number_retry_no_input']);
  });

  it('hang-up during a slow gateway call still reports the charge that went through', async () => {
    const t = setup({ PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '10.00' });
    sim.queueFaults({ kind: 'delay', ms: 100 });
    t.dialog.start();
    t.keys(`378282246310005`);
    t.keys('1');
    t.keys('0429');
    t.keys('1');
    t.keys('1234');
    t.keys('1');
    t.dialog.hangup();
    expect(t.dialog.finished).toBe(false);
    const { outputVariables } = await t.dialog.done;
    expect(outputVariables).toMatchObject({ PAYHOOK_RESULT: 'approved', PAYHOOK_CALLER_HUNG_UP: 'true', PAYHOOK_CARD_BRAND: 'american-express' });
    expect(sim.charges()).toHaveLength(1);
  });

  it('a listener that throws does not break the dialog', () => {
    const t = setup({ PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '10.00' });
    t.dialog.on('status', () => {
      throw new Error('boom');
    });
    t.dialog.start();
    t.keys('4');
    expect(t.lines.join('')).toContain('ERR_PAYMENT_LISTENER');
    t.dialog.hangup();
    expect(t.dialog.result?.outcome.result).toBe('hung_up');
  });
});

// The agent page in headless Chromium: a synthetic call fed to the LiveHub step by step (every
// field status checked as it changes), and one real call end to end through the live server
// with the scripted caller. Screenshots go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../helpers/server.js';
import { ScriptedCaller } from '../helpers/caller.js';
import { startGatewaySim, type GatewaySim } from '../../src/payment/gateway-sim/server.js';
import { DialogHarness } from '../../src/payment/dialog/harness.js';
import { CallEvents } from '../../src/live/call-events.js';
import { chromiumAvailable, openBrowser, screenshot, type BrowserSession } from './browser.js';
import { ACCESS_TOKEN, startLiveServer, type LiveTestServer } from './live-server.js';

const PAN = '4242424242424242';
const CVV = '737';

/** Field -> data-status of the agent checklist, as the page shows it now. */
async function fieldStatuses(browser: BrowserSession): Promise<Record<string, string>> {
  return browser.page.$$eval('#checklist [data-field]', (rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-field'), r.getAttribute('data-status')])));
}

async function waitForField(browser: BrowserSession, field: string, status: string, extra = ''): Promise<void> {
  await browser.page.waitForSelector(`#checklist [data-field="${field}"][data-status="${status}"]${extra}`, { timeout: 10_000 });
}

if (chromiumAvailable()) {
  describe('agent page (headless Chromium)', () => {
    let server: LiveTestServer;
    let sim: GatewaySim;
    let browser: BrowserSession;

    beforeAll(async () => {
      sim = await startGatewaySim({ port: 0 });
      server = await startLiveServer({ connectors: { payments: { gateway: { provider: 'stripe', baseUrl: sim.url } } } });
      browser = await openBrowser({ width: 760, height: 900 });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await sim?.close();
    });

    it('refuses to work without the access token', async () => {
      const res = await browser.page.goto(`${server.url}/agent?conversationId=conv-x`);
      expect(res?.status()).toBe(401);
      expect(await browser.page.$('#checklist')).toBeNull();
      expect(await browser.page.textContent('h1')).toContain('Access token required');
      const wrong = await browser.page.goto(`${server.url}/agent?conversationId=conv-x&token=not-the-token-at-all`);
      expect(wrong?.status()).toBe(401);
    });

    it('shows each field status of a synthetic call as it changes, then the outcome', async () => {
      browser.problems.length = 0;
      const conversationId = 'b5f0f1a2-33c4-4d5e-8f60-718293a4b5c6';
      const res = await browser.page.goto(`${server.url}/agent?conversationId=${conversationId}&token=${ACCESS_TOKEN}`);
      const csp = res?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      await browser.page.waitForSelector('#connection[data-state="waiting"]');
      expect(await browser.page.textContent('#headline-text')).toContain('Waiting for the caller');

      const call = new CallEvents();
      server.hub.track(call, 'payments');
      const h = DialogHarness.create({}, { PAYHOOK_MODE: 'agent_assisted', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_BALANCE: '142.50', PAYHOOK_CURRENCY: 'GBP' });
      let sent = 0;
      const flush = () => {
        call.replay(h.log.slice(sent));
        sent = h.log.length;
      };
      call.emit('started', { conversationId, mode: 'agent_assisted', language: 'en-GB' });
      flush();
      await waitForField(browser, 'amount', 'in_progress');
      h.answer('1');
      flush();
      await waitForField(browser, 'amount', 'confirmed');

      h.answer('40000566');
      flush();
      await waitForField(browser, 'cardNumber', 'in_progress', '[data-digits="8"]');
      expect(await browser.page.textContent('[data-field="cardNumber"] .row-detail')).toBe('8 digits · Visa');
      h.press('55665556#');
      flush();
      await waitForField(browser, 'cardNumber', 'valid');
      h.answer('2'); // the caller says the read-back is wrong
      flush();
      await waitForField(browser, 'cardNumber', 'in_progress', '[data-digits="0"]');
      expect(await browser.page.textContent('[data-field="cardNumber"] .row-detail')).toContain('1 rejected entry');
      h.answer('4000056655665556#').answer('1');
      flush();
      await waitForField(browser, 'cardNumber', 'confirmed');
      h.answer('0931').answer('1').answer('84');
      flush();
      await waitForField(browser, 'securityCode', 'in_progress', '[data-digits="2"]');
      expect(await fieldStatuses(browser)).toEqual({ amount: 'confirmed', cardNumber: 'confirmed', expiry: 'confirmed', securityCode: 'in_progress' });
      expect(await browser.page.getAttribute('#headline', 'data-secure')).toBe('true');
      await screenshot(browser.page, 'agent-entering-security-code');

      h.press('6').answer('1');
      flush();
      await browser.page.waitForSelector('#gateway[data-gateway="in_progress"]');
      expect(await browser.page.textContent('#headline-text')).toBe('Processing the payment');
      h.gateway({ status: 'approved', transactionRef: 'pi_3QbT7e2eKx' }).hearAll();
      flush();
      call.emit('ended');
      await browser.page.waitForSelector('#outcome[data-result="approved"]');
      await browser.page.waitForSelector('#connection[data-state="ended"]');
      expect(await browser.page.textContent('#outcome-title')).toBe('Payment approved');
      expect(await browser.page.textContent('#transaction-ref')).toBe('pi_3QbT7e2eKx');
      expect(await browser.page.textContent('#outcome')).toContain('Back to the agent');
      await screenshot(browser.page, 'agent-approved');
      expect(browser.problems).toEqual([]);
    });

    it('follows a real call through the live server to its approved outcome', async () => {
      browser.problems.length = 0;
      const conversationId = 'e2e0c0de-1111-4222-8333-944455566677';
      await browser.page.goto(`${server.url}/agent?conversationId=${conversationId}&token=${ACCESS_TOKEN}`);
      await browser.page.waitForSelector('#connection[data-state="waiting"]');
      // Record every status the page shows, to check the progression and not just the end.
      // (A source string: the test compiles without DOM types.)
      await browser.page.evaluate(`(() => {
        const seen = (window.seen = new Set());
        const note = () => {
          for (const r of document.querySelectorAll('#checklist [data-field]')) seen.add(r.dataset.field + ':' + r.dataset.status);
          seen.add('gateway:' + document.getElementById('gateway').dataset.gateway);
        };
        new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });
      })()`);

      const client = await connect(
        { url: server.url, wsBase: server.wsBase } as Parameters<typeof connect>[0],
        '/api/v1/audioconnector/payments',
        {},
        {
          conversationId,
          inputVariables: { PAYHOOK_MODE: 'automated', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00', PAYHOOK_PAYMENT_REFERENCE: 'INV-2001' },
          autoPlayback: true,
          language: 'en-US',
        },
      );
      const disconnect = new Promise<Record<string, string>>((resolve) => client.once('disconnect', (p) => resolve(p.outputVariables ?? {})));
      expect((await client.open()).code).toBe('OPENED');
      const caller = new ScriptedCaller(client, { keying: 'outofband', entries: [`${PAN}#`, '1', '1230', '1', CVV, '1'] });
      caller.start();
      const outputs = await disconnect;
      caller.stop();
      expect(outputs.PAYHOOK_RESULT).toBe('approved');

      await browser.page.waitForSelector('#outcome[data-result="approved"]', { timeout: 15_000 });
      await browser.page.waitForSelector('#connection[data-state="ended"]', { timeout: 15_000 });
      expect(await fieldStatuses(browser)).toEqual({ amount: 'not_required', cardNumber: 'confirmed', expiry: 'confirmed', securityCode: 'confirmed' });
      expect(await browser.page.getAttribute('[data-field="cardNumber"]', 'data-digits')).toBe('16');
      expect(await browser.page.textContent('#transaction-ref')).toBe(outputs.PAYHOOK_TRANSACTION_REF);
      const seen = (await browser.page.evaluate('[...window.seen]')) as string[];
      expect(seen).toEqual(expect.arrayContaining(['cardNumber:in_progress', 'cardNumber:valid', 'cardNumber:confirmed', 'expiry:in_progress', 'securityCode:in_progress', 'gateway:in_progress', 'gateway:done']));
      await screenshot(browser.page, 'agent-real-call-approved');
      // Card-free on screen and in the server log: no run of the PAN, no security code.
      const text = (await browser.page.content()) + server.logs.text;
      for (let i = 0; i + 6 <= PAN.length; i++) expect(text).not.toContain(PAN.slice(i, i + 6));
      expect(await browser.page.textContent('body')).not.toMatch(new RegExp(`\\b${CVV}\\b`));
      expect(server.logs.text).not.toContain(ACCESS_TOKEN);
      expect(browser.problems).toEqual([]);
    }, 120_000);
  });
}

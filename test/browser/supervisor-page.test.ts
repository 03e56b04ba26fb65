// The supervisor page in headless Chromium: several synthetic calls in different states appear
// in the live table and change as their calls do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallEvents } from '../../src/live/call-events.js';
import { DialogHarness } from '../../src/payment/dialog/harness.js';
import { chromiumAvailable, openBrowser, screenshot, type BrowserSession } from './browser.js';
import { ACCESS_TOKEN, startLiveServer, type LiveTestServer } from './live-server.js';

const VARS = { PAYHOOK_MODE: 'automated', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00' };

/** A call driven by the pure dialog: `script` runs against a harness and its actions are replayed. */
function scriptedCall(server: LiveTestServer, conversationId: string, connectorId: string, script: (h: DialogHarness) => void, mode = 'automated') {
  const call = new CallEvents();
  server.hub.track(call, connectorId);
  call.emit('started', { conversationId, mode, language: 'en-US' });
  const h = DialogHarness.create({}, { ...VARS, PAYHOOK_MODE: mode });
  script(h);
  call.replay(h.log);
  return call;
}

if (chromiumAvailable()) {
  describe('supervisor page (headless Chromium)', () => {
    let server: LiveTestServer;
    let browser: BrowserSession;

    beforeAll(async () => {
      server = await startLiveServer();
      browser = await openBrowser({ width: 1280, height: 640 });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('refuses to work without the access token', async () => {
      const res = await browser.page.goto(`${server.url}/supervisor?token=wrong-token-wrong-token`);
      expect(res?.status()).toBe(401);
      expect(await browser.page.$('#sessions')).toBeNull();
    });

    it('lists live sessions and updates them as their calls change', async () => {
      browser.problems.length = 0;
      scriptedCall(server, '0b6e2b1c-1d40-4a8e-9a39-3c4f5d6e7f80', 'payments', (h) => h.answer('4242424242'));
      const charging = scriptedCall(server, '1c7f3c2d-2e51-4b9f-8b4a-4d506e7f8091', 'payments', (h) => h.answer('4242424242424242#').answer('1').answer('1230').answer('1').answer('123').answer('1'), 'agent_assisted');
      const approved = scriptedCall(server, '2d804d3e-3f62-4ca0-9c5b-5e617f8091a2', 'donations', (h) => {
        h.answer('4242424242424242#').answer('1').answer('1230').answer('1').answer('123').answer('1');
        h.gateway({ status: 'approved', transactionRef: 'pi_sup1' }).hearAll();
      });
      approved.emit('ended');
      const hungUp = scriptedCall(server, '3e915e4f-4073-4db1-8d6c-6f7280a1b2c3', 'payments', (h) => h.answer('42'));
      hungUp.emit('finished', { result: 'hung_up', nextAction: 'continue', failureReason: 'caller_hung_up' }, {});
      hungUp.emit('ended');

      const res = await browser.page.goto(`${server.url}/supervisor?token=${ACCESS_TOKEN}`);
      expect(res?.headers()['content-security-policy']).toContain("connect-src 'self'");
      await browser.page.waitForSelector('#session-rows tr:nth-child(4)');
      expect(await browser.page.textContent('#count-live')).toBe('2');
      expect(await browser.page.textContent('#count-approved')).toBe('1');
      expect(await browser.page.textContent('#count-abandoned')).toBe('1');
      const steps = await browser.page.$$eval('#session-rows td.step .step-text', (tds) => tds.map((t) => t.textContent?.trim()));
      expect(steps.sort()).toEqual(['Authorising', 'Ended', 'Ended', 'Entering card number']);
      expect(await browser.page.$$eval('#session-rows .tag-secure', (t) => t.length)).toBe(1);
      await browser.page.waitForSelector('#connection[data-state="live"]');

      // The charging call is approved while the page is open: its row changes without a reload.
      const h = DialogHarness.create({}, { ...VARS, PAYHOOK_MODE: 'agent_assisted' });
      h.answer('4242424242424242#').answer('1').answer('1230').answer('1').answer('123').answer('1');
      h.log.length = 0;
      h.gateway({ status: 'declined', reason: 'insufficient_funds' });
      charging.replay(h.log);
      await browser.page.waitForFunction('[...document.querySelectorAll("#session-rows td")].some((td) => td.textContent === "1 declined")');
      const link = await browser.page.getAttribute('#session-rows a[href*="1c7f3c2d"]', 'href');
      expect(link).toContain('/agent?conversationId=1c7f3c2d-2e51-4b9f-8b4a-4d506e7f8091');
      await screenshot(browser.page, 'supervisor');
      expect(browser.problems).toEqual([]);
    });
  });
}

// The reports page in headless Chromium against a SQLite store filled with generated sessions:
// the charts render as SVG and show the figures of the generated data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { chromiumAvailable, openBrowser, screenshot, type BrowserSession } from './browser.js';
import { ACCESS_TOKEN, startLiveServer, type LiveTestServer } from './live-server.js';
import { REPORT_FROM, REPORT_TO, expectedFigures, fillStore, generateSessions, type Expected } from './report-data.js';

/** data-value of every mark of a series, in drawing (bucket) order. */
async function values(browser: BrowserSession, selector: string): Promise<number[]> {
  return browser.page.$$eval(selector, (els) => els.map((e) => Number(e.getAttribute('data-value'))));
}

if (chromiumAvailable()) {
  describe('reports page (headless Chromium)', () => {
    let store: SessionStore;
    let server: LiveTestServer;
    let browser: BrowserSession;
    let expected: Expected;

    beforeAll(async () => {
      store = await openSqliteStore({ path: ':memory:', instanceId: 'payhook-test' });
      const sessions = generateSessions();
      await fillStore(store, sessions);
      expected = expectedFigures(sessions);
      server = await startLiveServer({ store });
      browser = await openBrowser({ width: 1280, height: 900 });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await store?.close();
    });

    it('refuses to work without the access token', async () => {
      const res = await browser.page.goto(`${server.url}/reports`);
      expect(res?.status()).toBe(401);
      expect(await browser.page.$('#chart-sessions')).toBeNull();
    });

    it('charts sessions, declines, outcomes and durations of the generated day', async () => {
      browser.problems.length = 0;
      const res = await browser.page.goto(`${server.url}/reports?token=${ACCESS_TOKEN}&from=${REPORT_FROM}&to=${REPORT_TO}&bucket=hour`);
      expect(res?.headers()['content-security-policy']).toContain("style-src 'self'");
      await browser.page.waitForSelector('body[data-loaded="true"]');

      expect(await browser.page.textContent('#kpi-sessions')).toBe(String(expected.sessions));
      const nonZero = (key: keyof Expected['perHour'][number]) => expected.perHour.map((h) => h[key] as number).filter((v) => v > 0);
      for (const series of ['approved', 'declined', 'abandoned', 'failed', 'unfinished'] as const) {
        expect(await values(browser, `#chart-sessions rect[data-series="${series}"]`), series).toEqual(nonZero(series));
      }
      expect(await browser.page.$$eval('#chart-sessions svg text.tick', (t) => t.length)).toBeGreaterThan(12);

      const declines = Object.fromEntries(await browser.page.$$eval('#chart-declines rect.mark', (els) => els.map((e) => [e.getAttribute('data-series'), Number(e.getAttribute('data-value'))])));
      expect(declines).toEqual(expected.declinesByReason);
      const totalDeclines = Object.values(expected.declinesByReason).reduce((a, b) => a + b, 0);
      expect(await browser.page.textContent('#kpi-declines')).toBe(String(totalDeclines));

      expect(await values(browser, '#chart-outcomes rect[data-series="transfer_queue"]')).toEqual([expected.transfers.queue]);
      expect(await values(browser, '#chart-outcomes rect[data-series="transfer_agent"]')).toEqual([expected.transfers.agent]);

      // Durations: one average bar and one p95 tick per hour with a finished session, per segment.
      const hoursWithEnds = expected.perHour.filter((h) => h.sessionAvgMs !== undefined);
      expect(await values(browser, '[data-segment="session"] line[data-series="p95"]')).toHaveLength(hoursWithEnds.length);
      const avgs = await values(browser, '[data-segment="session"] rect[data-series="avg"]');
      hoursWithEnds.forEach((h, i) => {
        if (h.single) expect(avgs[i]).toBe(h.sessionAvgMs);
      });
      expect(await browser.page.$$eval('[data-segment="gateway"] rect[data-series="avg"]', (e) => e.length)).toBeGreaterThan(0);

      await screenshot(browser.page, 'reports');
      expect(browser.problems).toEqual([]);
    });

    it('filters by connector', async () => {
      await browser.page.fill('#connector', 'donations');
      await browser.page.click('#filters button');
      await browser.page.waitForFunction('document.getElementById("status").textContent.startsWith("Updated")');
      await browser.page.waitForFunction(`document.getElementById('kpi-sessions').textContent !== '${expected.sessions}'`);
      const donations = generateSessions().filter((s) => s.connectorId === 'donations').length;
      expect(await browser.page.textContent('#kpi-sessions')).toBe(String(donations));
    });
  });
}

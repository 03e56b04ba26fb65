// Headless Chromium for the page tests, driven by playwright-core (the Debian chromium package;
// playwright's own browser downloads are not used). Locally the tests skip with a message when
// chromium is missing; in CI (CI=true) a missing browser fails the run.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { it } from 'vitest';
import { unavailableBecause } from '../helpers/environment.js';

export const CHROMIUM = process.env.PAYHOOK_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** True when the browser tests can run; throws in CI when chromium is missing. */
export function chromiumAvailable(): boolean {
  const why = unavailableBecause(existsSync(CHROMIUM), `chromium at ${CHROMIUM} (or set PAYHOOK_CHROMIUM)`, 'chromium');
  if (why) it.skip(`browser tests skipped: ${why}`, () => {});
  return why === undefined;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and CSP refusals seen by any page. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh browser profile with one page; collects console errors (CSP violations show there). */
export async function openBrowser(viewport = { width: 1280, height: 860 }): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'payhook-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport });
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

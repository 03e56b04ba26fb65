// The regression suite for the dialog and its wiring: every call fixture in fixtures/calls runs
// in-process on a virtual clock and must end as the fixture expects. Card data must not appear
// in any timeline, and server logs carry no card number.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.js';
import { loadFixtureFile } from '../../src/replay/load-fixture.js';
import { formatReplay } from '../../src/replay/report.js';
import { runInProcess } from '../../src/replay/run-in-process.js';
import { LogCapture } from '../helpers/server.js';

const DIR = join(import.meta.dirname, '../../fixtures/calls');
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'schema.json').sort();
const PANS = ['4242424242424242', '4000000000000002', '4000000000009995', '378282246310005', '5555555555554444', '4242424242424241'];

function load(file: string) {
  const loaded = loadFixtureFile(join(DIR, file));
  if (!loaded.ok) throw new Error(`${file}: ${JSON.stringify(loaded.issues)}`);
  return loaded.loaded;
}

describe('call fixtures replayed in-process', () => {
  it('the library covers every result the dialog can give', () => {
    const results = new Set(FIXTURES.map((f) => load(f).fixture.expect?.result));
    for (const r of ['approved', 'declined', 'not_identified', 'cancelled', 'too_many_attempts', 'gateway_error', 'hung_up', 'invalid_request']) expect(results).toContain(r);
  });

  it.each(FIXTURES)('%s ends as its fixture expects', async (file) => {
    const logs = new LogCapture();
    const result = await runInProcess(load(file), { logger: createLogger({ level: 'debug', destination: logs }) });
    expect(result.check.differences).toEqual([]);
    expect(result.check.ok).toBe(true);
    const text = formatReplay(result);
    for (const pan of PANS) {
      expect(text).not.toContain(pan);
      expect(logs.text).not.toContain(pan);
      expect(logs.text).not.toContain(pan.slice(0, 10));
    }
  });

  it('runs a 90-second call in well under a second of wall time', async () => {
    const loaded = load('declined-then-approved.json');
    await runInProcess(loaded); // warm: prompt catalog, WASM detector
    const t0 = performance.now();
    const result = await runInProcess(loaded);
    const wallMs = performance.now() - t0;
    expect(result.durationMs).toBeGreaterThan(90_000);
    expect(wallMs).toBeLessThan(1000);
  });
});

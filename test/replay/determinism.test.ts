// The same fixture gives the same timeline, JSON and audio, byte for byte: ids, the gateway's
// references, time and noise all come from the fixture, never from the machine.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixtureFile } from '../../src/replay/load-fixture.js';
import { formatReplay, replayJson } from '../../src/replay/report.js';
import { runInProcess } from '../../src/replay/run-in-process.js';

const DIR = join(import.meta.dirname, '../../fixtures/calls');

async function twice(file: string) {
  const loaded = loadFixtureFile(join(DIR, file));
  if (!loaded.ok) throw new Error(file);
  return [await runInProcess(loaded.loaded), await runInProcess(loaded.loaded)] as const;
}

describe('replay determinism', () => {
  it.each(['inband-noisy.json', 'gateway-flaky-then-approved.json', 'declined-then-approved.json'])('%s replays identically twice', async (file) => {
    const [a, b] = await twice(file);
    expect(formatReplay(b)).toBe(formatReplay(a));
    expect(replayJson(b)).toBe(replayJson(a));
    expect(Buffer.compare(Buffer.from(a.audio.caller), Buffer.from(b.audio.caller))).toBe(0);
    expect(Buffer.compare(Buffer.from(a.audio.bot), Buffer.from(b.audio.bot))).toBe(0);
    expect(a.audio.bot.length).toBeGreaterThan(8000);
  });
});

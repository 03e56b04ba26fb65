// `payhook audit` end to end over files on disk (the command lives in src/cli/commands/audit.ts).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { alawEncode, mulawEncode } from '../audio/g711.js';
import { addDtmf, addNoise, toInt16 } from '../audio/tones.js';
import { encodeWav } from '../audio/wav.js';
import { EXIT_CARD, EXIT_CLEAN, EXIT_DTMF, EXIT_UNREADABLE, EXIT_USAGE, run } from '../cli/commands/audit.js';
import { multimonDigits } from './multimon.js';

const CARD = '4111111111111111';
let dir: string | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function keyed(keys: string, seconds: number, at = 8000): Float32Array {
  const s = new Float32Array(seconds * 8000);
  addNoise(s, -55, 3);
  keys.split('').forEach((k, i) => addDtmf(s, at + i * 1600, 640, k, { lowDbm0: -8 }));
  return s;
}

async function audit(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const code = await run(args);
  vi.restoreAllMocks();
  return { code, out: lines.join('\n') };
}

describe('payhook audit', () => {
  it('flags a keyed card number with exit 4 and never prints its digits', async () => {
    dir = await mkdtemp(join(tmpdir(), 'payhook-audit-'));
    const file = join(dir, 'card.wav');
    await writeFile(file, encodeWav('pcm16', 1, 8000, toInt16(keyed(CARD, 5))));
    const { code, out } = await audit([file]);
    expect(code).toBe(EXIT_CARD);
    expect(out).toMatch(/possible card number: run of 16 digits \(digits withheld\)/);
    expect(out.match(/\(withheld\)/g)).toHaveLength(16);
    expect(out).not.toMatch(/ch1\s+[\d.]+ s\s+[0-9]$/m);
    expect(out).not.toContain('4111');
  });

  it('lists ordinary digits per channel with times (stereo A-law) and exits 3', async () => {
    dir = await mkdtemp(join(tmpdir(), 'payhook-audit-'));
    const left = alawEncode(toInt16(keyed('', 3)));
    const right = alawEncode(toInt16(keyed('12#', 3, 4000)));
    const stereo = new Uint8Array(left.length * 2);
    for (let i = 0; i < left.length; i++) {
      stereo[2 * i] = left[i]!;
      stereo[2 * i + 1] = right[i]!;
    }
    const file = join(dir, 'menu.wav');
    await writeFile(file, encodeWav('alaw', 2, 8000, stereo));
    const { code, out } = await audit(['--json', file]);
    expect(code).toBe(EXIT_DTMF);
    const report = JSON.parse(out) as { files: Array<{ digits: Array<{ channel: number; startMs: number; digit: string }> }>; summary: { digits: number } };
    expect(report.files[0]!.digits.map((d) => [d.channel, d.digit])).toEqual([[2, '1'], [2, '2'], [2, '#']]);
    expect(report.files[0]!.digits[0]!.startMs).toBeGreaterThan(490);
    expect(report.files[0]!.digits[0]!.startMs).toBeLessThan(510);
    expect(report.summary.digits).toBe(3);
  });

  it('exits 0 on clean files, 1 on an unreadable one, 2 on bad usage', async () => {
    dir = await mkdtemp(join(tmpdir(), 'payhook-audit-'));
    await writeFile(join(dir, 'quiet.wav'), encodeWav('mulaw', 1, 8000, mulawEncode(toInt16(keyed('', 2)))));
    expect((await audit([dir])).code).toBe(EXIT_CLEAN);
    await writeFile(join(dir, 'broken.wav'), 'RIFF....WAVEjunk');
    const broken = await audit([dir]);
    expect(broken.code).toBe(EXIT_UNREADABLE);
    expect(broken.out).toMatch(/broken\.wav: UNREADABLE/);
    expect((await audit([])).code).toBe(EXIT_USAGE);
    expect((await audit(['--engine', 'fast', dir])).code).toBe(EXIT_USAGE);
  });

  it('--redact writes a copy that both auditors find clean, in the input format', async () => {
    dir = await mkdtemp(join(tmpdir(), 'payhook-audit-'));
    const file = join(dir, 'card.wav');
    await writeFile(file, encodeWav('mulaw', 1, 8000, mulawEncode(toInt16(keyed(CARD, 5)))));
    const first = await audit(['--redact', '--out', join(dir, 'out'), file]);
    expect(first.code).toBe(EXIT_CARD);
    const copy = join(dir, 'out', 'card.redacted.wav');
    expect((await audit([copy])).code).toBe(EXIT_CLEAN);
    const bytes = new Uint8Array(await readFile(copy));
    expect(await multimonDigits(bytes, 1)).toEqual([]);
    expect((await multimonDigits(new Uint8Array(await readFile(file)), 1)).join('')).toBe(CARD);
  });
});

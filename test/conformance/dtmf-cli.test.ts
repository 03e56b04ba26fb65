// `payhook detect` end to end on files written to a temp dir: WAV in each encoding, stereo, raw mu-law.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, it, expect, vi } from 'vitest';
import { alawEncode, mulawEncode } from '../../src/audio/g711.js';
import { encodeWav, interleave } from '../../src/audio/wav.js';
import { run } from '../../src/cli/commands/detect.js';
import { composePresses, toInt16 } from '../../src/dtmf/signal-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'payhook-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const presses = (keys: string, lowDbm0 = -10) => keys.split('').map((key) => ({ key, samples: 480, gapBefore: 800, lowDbm0 }));
const first = composePresses(presses('4111#'));
const second = composePresses(presses('90*D', -20));

async function detect(args: string[]): Promise<{ code: number; lines: string[]; errors: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
  vi.spyOn(console, 'error').mockImplementation((s: string) => void errors.push(s));
  const code = await run(args);
  return { code, lines, errors };
}

describe('payhook detect', () => {
  it('prints each digit and then the digit string of a mu-law WAV', async () => {
    const file = join(dir, 'mulaw.wav');
    writeFileSync(file, encodeWav('mulaw', 1, 8000, mulawEncode(toInt16(first.samples))));
    const { code, lines } = await detect([file]);
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe('4111#');
    expect(lines).toHaveLength(6);
    const [digit, startMs, endMs, level] = lines[0]!.split('\t');
    expect(digit).toBe('4');
    expect(Math.abs(Number(startMs) - first.truth[0]!.start / 8)).toBeLessThan(3);
    expect(Math.abs(Number(endMs) - first.truth[0]!.end / 8)).toBeLessThan(3);
    expect(Math.abs(Number(level) + 10)).toBeLessThan(1);
  });

  it('detects each channel of a stereo PCM16 WAV and an A-law WAV', async () => {
    const n = Math.max(first.samples.length, second.samples.length);
    const a = toInt16(first.samples);
    const b = toInt16(second.samples);
    const pcm = new Int16Array(2 * n);
    for (let i = 0; i < n; i++) {
      pcm[2 * i] = a[i] ?? 0;
      pcm[2 * i + 1] = b[i] ?? 0;
    }
    writeFileSync(join(dir, 'stereo.wav'), encodeWav('pcm16', 2, 8000, pcm));
    writeFileSync(join(dir, 'alaw.wav'), encodeWav('alaw', 2, 8000, interleave([alawEncode(b), alawEncode(a)], 0xd5)));
    const { code, lines } = await detect([join(dir, 'stereo.wav'), join(dir, 'alaw.wav')]);
    expect(code).toBe(0);
    const strings = lines.filter((_, i) => i + 1 === lines.length || lines[i + 1]!.endsWith(':'));
    expect(strings).toEqual(['4111#', '90*D', '90*D', '4111#']);
  });

  it('writes one JSON object per digit with --json, from raw mu-law with --ulaw', async () => {
    const file = join(dir, 'call.ulaw');
    writeFileSync(file, mulawEncode(toInt16(second.samples)));
    const { code, lines } = await detect(['--json', '--ulaw', file]);
    expect(code).toBe(0);
    const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.map((o) => o.digit).join('')).toBe('90*D');
    expect(Object.keys(objects[0]!).sort()).toEqual(['channel', 'digit', 'end_ms', 'file', 'level_dbm0', 'start_ms']);
    expect(objects[0]).toMatchObject({ file, channel: 0 });
  });

  it('fails with a message for a file it cannot read, and shows usage without files', async () => {
    writeFileSync(join(dir, '16k.wav'), encodeWav('pcm16', 1, 16000, new Int16Array(100)));
    const bad = await detect([join(dir, '16k.wav'), join(dir, 'absent.wav')]);
    expect(bad.code).toBe(1);
    expect(bad.errors.join('\n')).toMatch(/16000 Hz/);
    expect(bad.errors).toHaveLength(2);
    expect((await detect([])).code).toBe(2);
  });
});

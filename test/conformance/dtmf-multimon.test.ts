// Independent decoder cross-check with multimon-ng (Debian package; runs at 22050 Hz, so the signal is
// resampled with sox): on a generated digit sequence both decoders must read the true string, and once
// our suspected spans are blanked out (what the recording masker does) multimon-ng must find nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { DTMF_KEYS, seededRandom } from '../../src/audio/tones.js';
import { mulawDecode, mulawEncode } from '../../src/audio/g711.js';
import { digitsOf, runDetector } from '../../src/dtmf/signal-fixtures.js';
import type { DtmfEvent } from '../../src/dtmf/events.js';
import { composePresses, toInt16, type TonePress } from '../../src/dtmf/signal-fixtures.js';
import { missingCommands, skipBecause } from './dtmf-corpus.js';

const skip = skipBecause(missingCommands('multimon-ng', 'sox'), 'apt-get install multimon-ng sox');
const dir = mkdtempSync(join(tmpdir(), 'payhook-multimon-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** multimon-ng's digit string for 8 kHz linear samples. */
function multimon(samples: Int16Array, name: string): string {
  const raw8 = join(dir, `${name}.8k.raw`);
  const raw22 = join(dir, `${name}.22k.raw`);
  writeFileSync(raw8, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  execFileSync('sox', ['-t', 'raw', '-r', '8000', '-e', 'signed-integer', '-b', '16', '-c', '1', raw8, '-t', 'raw', '-r', '22050', '-e', 'signed-integer', '-b', '16', '-c', '1', raw22]);
  const out = execFileSync('multimon-ng', ['-q', '-t', 'raw', '-a', 'DTMF', raw22], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return [...out.matchAll(/^DTMF: (.)$/gm)].map((m) => m[1]).join('');
}

function sequence(seed: number, count: number): TonePress[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    key: DTMF_KEYS[i < 16 ? i : Math.floor(rnd() * 16)]!,
    samples: Math.floor((50 + rnd() * 50) * 8),
    gapBefore: Math.floor((60 + rnd() * 90) * 8),
    lowDbm0: -5 - rnd() * 15,
    twistDb: -3 + rnd() * 5,
    phase: rnd() * 6.28,
  }));
}

describe.skipIf(skip)('DTMF cross-check with multimon-ng', () => {
  it('both decoders read the same digit string as generated', () => {
    const s = composePresses(sequence(41, 120), { noiseDbm0: -45, seed: 42 });
    const truth = s.truth.map((t) => t.key).join('');
    const linear = mulawDecode(mulawEncode(toInt16(s.samples)));
    expect(multimon(linear, 'clean')).toBe(truth);
    expect(digitsOf(runDetector('wasm', s.samples))).toBe(truth);
  });

  it('finds no digit once our suspected spans are blanked', () => {
    const s = composePresses(sequence(43, 120), { noiseDbm0: -45, seed: 44 });
    const linear = mulawDecode(mulawEncode(toInt16(s.samples)));
    const events: DtmfEvent[] = runDetector('wasm', s.samples, { frame: 'random', seed: 45 });
    for (const e of events) {
      if (e.type !== 'suspectend') continue;
      linear.fill(0, Math.max(0, Math.floor(e.startSample)), Math.ceil(e.endSample));
    }
    expect(multimon(linear, 'masked')).toBe('');
  });
});

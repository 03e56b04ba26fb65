// Talk-off: the detector must find no digit in speech or music. Corpora: Debian's Asterisk English prompts
// (asterisk-core-sounds-en-wav, ~25 min), its music on hold (asterisk-moh-opsound-wav, ~18 min), and about
// 1.6 h of espeak-ng speech in four voices reading Debian's licence texts (generated once with espeak-ng and
// sox, cached in the system temp dir). Every corpus is run through the mu-law round trip and as linear
// PCM, fed in 20 ms frames. Runtime: ~10 s to generate the speech on first run, ~1 s per run after.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { mulawEncode } from '../../src/audio/g711.js';
import { createDtmfDetector } from '../../src/dtmf/detector.js';
import type { DtmfEvent } from '../../src/dtmf/events.js';
import { concat, missingCommands, skipBecause, wavCorpus } from './dtmf-corpus.js';

const SOUNDS = '/usr/share/asterisk/sounds/en';
const MOH = '/usr/share/asterisk/moh';
const TEXTS = ['GPL-3', 'GPL-2', 'Apache-2.0', 'LGPL-2.1'].map((n) => `/usr/share/common-licenses/${n}`);
const VOICES = [
  ['-v', 'en-us', '-p', '30', '-s', '150'],
  ['-v', 'en-us+f3', '-p', '70', '-s', '170'],
  ['-v', 'en-gb+m3', '-p', '50', '-s', '130'],
  ['-v', 'en-gb-scotland+f2', '-p', '60', '-s', '160'],
];

const missing = [
  ...missingCommands('espeak-ng', 'sox'),
  ...[SOUNDS, MOH, ...TEXTS].filter((p) => !existsSync(p)),
];
const skip = skipBecause(missing, 'apt-get install asterisk-core-sounds-en-wav asterisk-moh-opsound-wav espeak-ng sox');

/** espeak-ng speech at 8 kHz, one file per voice, cached across runs. */
function syntheticSpeech(): Int16Array {
  const dir = join(tmpdir(), 'payhook-dtmf-talkoff-v1');
  mkdirSync(dir, { recursive: true });
  const parts: Int16Array[] = [];
  VOICES.forEach((voice, i) => {
    const raw = join(dir, `voice${i}.raw`);
    if (!existsSync(raw)) {
      const wav = join(dir, `voice${i}.wav`);
      execFileSync('espeak-ng', [...voice, '-f', TEXTS[i]!, '-w', wav], { stdio: 'ignore' });
      execFileSync('sox', [wav, '-t', 'raw', '-r', '8000', '-e', 'signed-integer', '-b', '16', '-c', '1', `${raw}.part`]);
      renameSync(`${raw}.part`, raw);
    }
    const bytes = readFileSync(raw);
    parts.push(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1));
  });
  return concat(parts);
}

interface TalkoffResult {
  minutes: number;
  digits: string;
  suspects: number;
  suspectedSeconds: number;
}

function talkoff(samples: Int16Array, encoding: 'mulaw' | 'pcm16'): TalkoffResult {
  const input = encoding === 'mulaw' ? mulawEncode(samples) : samples;
  const d = createDtmfDetector({ encoding });
  const events: DtmfEvent[] = [];
  const onEvent = (e: DtmfEvent): void => void events.push(e);
  for (let at = 0; at < input.length; at += 160) d.process(input.subarray(at, at + 160), onEvent);
  d.flush(onEvent);
  d.close();
  let suspected = 0;
  for (const e of events) if (e.type === 'suspectend') suspected += e.endSample - e.startSample;
  return {
    minutes: Math.round(samples.length / 8000 / 6) / 10,
    digits: events.flatMap((e) => (e.type === 'digit' ? [e.digit] : [])).join(''),
    suspects: events.filter((e) => e.type === 'suspect').length,
    suspectedSeconds: Math.round(suspected / 80) / 100,
  };
}

describe.skipIf(skip)('DTMF talk-off (speech and music, mu-law and linear)', () => {
  const cases: [string, () => Int16Array][] = [
    ['Asterisk English prompts', () => concat(wavCorpus(SOUNDS).map((f) => f.samples))],
    ['Asterisk music on hold', () => concat(wavCorpus(MOH).map((f) => f.samples))],
    ['espeak-ng speech, four voices', syntheticSpeech],
  ];
  for (const [name, load] of cases) {
    it(`finds no digit in ${name}`, () => {
      const samples = load();
      for (const encoding of ['mulaw', 'pcm16'] as const) {
        const result = talkoff(samples, encoding);
        console.log(`talk-off ${name} (${encoding}): ${JSON.stringify(result)}`);
        expect(result.minutes).toBeGreaterThan(15);
        expect(result.digits).toBe('');
      }
    }, 180_000);
  }
});

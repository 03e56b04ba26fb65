// DTMF talk-off in the committed prompt catalog: the prompts play on the bot channel of every call
// and the call recording must hold no DTMF-looking audio, so no clip may read as a key press to the
// project's detector (as is, and boosted 24 dB as the recorder also runs it), to the build's talk-off
// screen, or to multimon-ng, the independent decoder of the recording audits. multimon-ng (with sox)
// is a Debian package: without it that part is skipped here with a message and fails in CI.
// If this fails after a rebuild, see PITCH_VARIANTS in build.ts.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MULAW_SILENCE } from '../audio/g711.js';
import { encodeWav } from '../audio/wav.js';
import { createDtmfDetector } from '../dtmf/detector.js';
import type { DtmfEvent } from '../dtmf/events.js';
import { DEFAULT_BOOST_DB, mulawBoostTable } from '../recording/boost.js';
import { multimonDigits } from '../recording/multimon.js';
import { unavailableBecause } from '../../test/helpers/environment.js';
import { loadCatalog } from './catalog.js';
import { LANGUAGES } from './languages.js';
import { keyPress, talkOffVowel } from './talk-off-signals.js';
import { talkOffFindings } from './talk-off.js';

const BOOST = mulawBoostTable(DEFAULT_BOOST_DB);
const catalogs = LANGUAGES.map((language) => loadCatalog(language));

/** Digits the project's detector reads in a clip, as is and on the boosted copy: "num.9: 9@123, +24dB 9@120". */
function detectorReads(mulaw: Uint8Array): string[] {
  const read: string[] = [];
  for (const [label, bytes] of [
    ['', mulaw],
    [`+${DEFAULT_BOOST_DB}dB `, mulaw.map((b) => BOOST[b]!)],
  ] as const) {
    const detector = createDtmfDetector({ channels: 1, encoding: 'mulaw' });
    const onEvent = (e: DtmfEvent) => {
      if (e.type === 'digit') read.push(`${label}${e.digit}@${Math.round(e.startSample)}`);
    };
    detector.process(bytes, onEvent);
    detector.flush(onEvent);
    detector.close();
  }
  return read;
}

const multimonMissing = unavailableBecause(
  spawnSync('sh', ['-c', 'command -v multimon-ng && command -v sox'], { stdio: 'ignore' }).status === 0,
  'multimon-ng or sox (the independent DTMF decoder of the catalog talk-off test)',
  'multimon-ng sox',
);
if (multimonMissing) console.warn(multimonMissing);

/** What multimon-ng reads in a mono mu-law clip, resampled to 22050 Hz as the recording audits do. */
async function multimonReads(mulaw: Uint8Array): Promise<string> {
  return (await multimonDigits(encodeWav('mulaw', 1, 8000, mulaw))).join('');
}

describe('committed prompt catalog: DTMF talk-off', () => {
  it('the checks below do see talk-off (a key press, a quiet key press, a 9-like vowel)', async () => {
    const withoutPosition = (read: string[]) => read.map((r) => r.replace(/@\d+$/, ''));
    expect(withoutPosition(detectorReads(keyPress('9', -20)))).toEqual(['9', '+24dB 9']);
    expect(withoutPosition(detectorReads(keyPress('9', -50)))).toEqual(['+24dB 9']);
    expect(talkOffFindings(talkOffVowel(0.3))).not.toEqual([]);
  });

  for (const catalog of catalogs) {
    describe(catalog.language, () => {
      it('no clip reads as a key press to the project detector, as is or boosted 24 dB', () => {
        const read: Record<string, string[]> = {};
        for (const id of catalog.ids()) {
          const digits = detectorReads(catalog.clip(id));
          if (digits.length > 0) read[id] = digits;
        }
        expect(read).toEqual({});
      });

      it("no clip fails the build's talk-off check (detector and lenient screen)", () => {
        const found: Record<string, string[]> = {};
        for (const id of catalog.ids()) {
          const findings = talkOffFindings(catalog.clip(id));
          if (findings.length > 0) found[id] = findings.map((f) => `${f.check} ${f.digit}@${f.atSample}`);
        }
        expect(found).toEqual({});
      });

      it.skipIf(multimonMissing !== undefined)('no clip reads as a key press to multimon-ng', async () => {
        // One pass over every clip with 100 ms of silence between them (multimon-ng's window is 40 ms,
        // so none spans two clips); only if it reads something, a pass per clip to name them.
        const gap = new Uint8Array(800).fill(MULAW_SILENCE);
        const all = catalog.ids().flatMap((id) => [catalog.clip(id), gap]);
        const joined = new Uint8Array(all.reduce((n, b) => n + b.length, 0));
        all.reduce((at, b) => (joined.set(b, at), at + b.length), 0);
        const readAll = await multimonReads(joined);
        const read: Record<string, string> = {};
        if (readAll !== '') {
          for (const id of catalog.ids()) {
            const digits = await multimonReads(catalog.clip(id));
            if (digits !== '') read[id] = digits;
          }
        }
        expect(read).toEqual({});
        expect(readAll).toBe('');
      });
    });
  }

  it.skipIf(multimonMissing !== undefined)('multimon-ng itself reads the test signals (so a clean result means something)', async () => {
    expect(await multimonReads(keyPress('9', -20))).toBe('9');
    expect(await multimonReads(talkOffVowel(0.3))).toBe('9');
  });
});

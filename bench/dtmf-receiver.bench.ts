// The DTMF receiver's measured limits, Mitel-test style (research/dtmf.md 1.6 and 3.2, where the same
// sweeps were run on spandsp): frequency acceptance, twist, dynamic range, duration, interruption, S/N,
// latency. WASM engine, mu-law round trip, random phase and random alignment against the block grid.
import { DTMF_KEYS, seededRandom } from '../src/audio/tones.js';
import type { DigitEvent } from '../src/dtmf/events.js';
import { composePresses, digitsOf, runDetector, type TonePress } from '../src/dtmf/signal-fixtures.js';

const MS = 8;
const rnd = seededRandom(2024);

/** How many of `bursts` presses of `shape` are detected as the right key (each alone, random placement). */
function accepted(shape: Partial<TonePress> & { key: string }, bursts: number, noiseDbm0?: number): number {
  const presses: TonePress[] = [];
  for (let i = 0; i < bursts; i++) presses.push({ samples: 50 * MS, gapBefore: 80 * MS + Math.floor(rnd() * 40), phase: rnd() * 6.28, ...shape });
  const s = composePresses(presses, noiseDbm0 === undefined ? {} : { noiseDbm0, seed: Math.floor(rnd() * 1e6) });
  const got = digitsOf(runDetector('wasm', s.samples));
  let n = 0;
  for (const ch of got) if (ch === shape.key) n++;
  return Math.min(n, bursts);
}

function frequency(): void {
  let acceptAll = Infinity;
  let rejectAll = 0;
  for (const key of ['1', '5', '9', 'D']) {
    for (const tone of ['lowOffset', 'highOffset'] as const) {
      for (const sign of [-1, 1]) {
        let lastAll = 0;
        let firstNone = Infinity;
        for (let step = 0; step <= 50; step++) {
          const off = (sign * step) / 1000;
          const n = accepted({ key, lowDbm0: -17, lowOffset: 0, highOffset: 0, [tone]: off }, 10);
          if (n === 10 && firstNone === Infinity) lastAll = step / 10;
          if (n === 0 && firstNone === Infinity) firstNone = step / 10;
        }
        acceptAll = Math.min(acceptAll, lastAll);
        rejectAll = Math.max(rejectAll, firstNone);
      }
    }
  }
  console.log(`frequency (one tone offset, keys 1 5 9 D, 10 bursts/step): all accepted up to ${acceptAll.toFixed(1)} %, none from ${rejectAll.toFixed(1)} % (Q.24: accept 1.5, reject 3.5)`);
}

function twist(): void {
  const limits: Record<string, number> = { highWeaker: Infinity, lowWeaker: Infinity };
  for (const key of ['1', '5', '9', 'D']) {
    for (const dir of ['highWeaker', 'lowWeaker'] as const) {
      let last = 0;
      for (let att = 0; att <= 14; att += 0.5) {
        const shape = dir === 'highWeaker' ? { key, lowDbm0: -6, twistDb: -att } : { key, lowDbm0: -6 - att, twistDb: att };
        if (accepted(shape, 10) < 10) break;
        last = att;
      }
      limits[dir] = Math.min(limits[dir]!, last);
    }
  }
  console.log(`twist (strong tone -6 dBm0): accepted with the high tone up to ${limits.highWeaker} dB weaker, the low tone up to ${limits.lowWeaker} dB weaker (Q.24: 8 / 4)`);
}

function dynamicRange(): void {
  const ok: number[] = [];
  for (let level = 3; level >= -60; level--) if (accepted({ key: '1', lowDbm0: level }, 10) === 10) ok.push(level);
  const none: number[] = [];
  for (let level = -30; level >= -60; level--) if (accepted({ key: '1', lowDbm0: level }, 10) === 0) none.push(level);
  console.log(`dynamic range (digit 1, per tone): all accepted from ${Math.max(...ok)} to ${Math.min(...ok)} dBm0; none at or below ${Math.max(...none)} dBm0 (Q.24: 0..-25, never below -55)`);
}

function duration(): void {
  let always = Infinity;
  let never = 0;
  for (let ms = 10; ms <= 50; ms++) {
    const presses: TonePress[] = [];
    for (let a = 0; a < 40; a++) presses.push({ key: DTMF_KEYS[a % 16]!, samples: ms * MS, gapBefore: 80 * MS + a, lowDbm0: -10, phase: rnd() * 6.28 });
    const n = digitsOf(runDetector('wasm', composePresses(presses).samples)).length;
    if (n === 0) never = ms;
    if (n === 40 && always === Infinity) always = ms;
  }
  console.log(`duration (40 alignments per length): always detected from ${always} ms, never up to ${never} ms (Q.24: 40 / 23)`);
}

function interruption(): void {
  let bridged = 0;
  let split = Infinity;
  for (let gap = 1; gap <= 50; gap++) {
    const presses: TonePress[] = [];
    for (let a = 0; a < 40; a++) {
      presses.push({ key: DTMF_KEYS[a % 16]!, samples: 100 * MS, gapBefore: 80 * MS + a, dropoutAt: 50 * MS, dropoutSamples: gap * MS, lowDbm0: -10 });
    }
    const n = digitsOf(runDetector('wasm', composePresses(presses).samples)).length;
    if (n === 40) bridged = gap;
    if (n === 80 && split === Infinity) split = gap;
  }
  console.log(`interruption of a 100 ms tone (40 alignments): always bridged up to ${bridged} ms, always split from ${split} ms (Q.24: bridge 10, split 40)`);
}

function noise(): void {
  let lowest = Infinity;
  for (let snr = 20; snr >= 0; snr--) {
    // Digit 1 at -10 dBm0 per tone (signal -7 dBm0), 200 bursts.
    if (accepted({ key: '1', lowDbm0: -10 }, 200, -6.99 - snr) < 200) break;
    lowest = snr;
  }
  console.log(`S/N (digit 1, -10 dBm0 per tone, 200 bursts, white noise): all detected down to ${lowest} dB (Q.24 practice: 15)`);
}

function latency(): void {
  const presses: TonePress[] = [];
  for (let i = 0; i < 2000; i++) {
    presses.push({ key: DTMF_KEYS[i % 16]!, samples: Math.floor((40 + rnd() * 60) * MS), gapBefore: Math.floor((40 + rnd() * 100) * MS), lowDbm0: -4 - rnd() * 21, twistDb: -8 + rnd() * 12, phase: rnd() * 6.28 });
  }
  const s = composePresses(presses);
  const digits = runDetector('wasm', s.samples).filter((e): e is DigitEvent => e.type === 'digit');
  const lat = digits.map((d, i) => (d.detectedAtSample - s.truth[i]!.start) / MS).sort((a, b) => a - b);
  const onset = digits.map((d, i) => (d.startSample - s.truth[i]!.start) / MS).sort((a, b) => a - b);
  const q = (xs: number[], p: number): string => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!.toFixed(1);
  console.log(`latency onset -> digit event (2000 presses): median ${q(lat, 0.5)} ms, p99 ${q(lat, 0.99)} ms, max ${q(lat, 1)} ms`);
  console.log(`onset estimate minus true onset: min ${q(onset, 0)} ms, median ${q(onset, 0.5)} ms, max ${q(onset, 1)} ms (biased early for the masker)`);
}

export async function run(): Promise<void> {
  frequency();
  twist();
  dynamicRange();
  duration();
  interruption();
  noise();
  latency();
}

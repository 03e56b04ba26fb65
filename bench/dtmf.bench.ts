// DTMF detector throughput: full detector (WASM and TS reference), mu-law in, one channel, one call per
// 20 ms frame (160 samples) over an hour of mixed audio: the Debian Asterisk prompts and music on hold
// when installed, the rest generated DTMF sequences over noise. Warm series after one cold pass. Timed in
// CPU time of the process (the benchmark machines are shared).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { parseWav, wavToLinear } from '../src/audio/wav.js';
import { mulawEncode } from '../src/audio/g711.js';
import { createDtmfDetector, type DtmfEngine } from '../src/dtmf/detector.js';
import { composePresses, randomPresses, toMulaw } from '../src/dtmf/signal-fixtures.js';

const RATE = 8000;
const HOUR = 3600 * RATE;
const FRAME = 160;

function corpus(dir: string, limitSamples: number): Int16Array[] {
  if (!existsSync(dir)) return [];
  const out: Int16Array[] = [];
  let total = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (total >= limitSamples) return;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wav')) {
        const wav = parseWav(readFileSync(p));
        if (wav.sampleRate !== RATE || wav.channels !== 1) continue;
        const s = wavToLinear(wav);
        out.push(s);
        total += s.length;
      }
    }
  };
  walk(dir);
  return out;
}

/** One hour of mu-law: real speech and music where available, generated DTMF over noise for the rest. */
export function mixedHour(): { audio: Uint8Array; description: string; parts: { name: string; from: number; to: number }[] } {
  const audio = new Uint8Array(HOUR);
  let at = 0;
  const parts: string[] = [];
  const ranges: { name: string; from: number; to: number }[] = [];
  for (const [dir, name] of [['/usr/share/asterisk/sounds/en', 'speech'], ['/usr/share/asterisk/moh', 'music']] as const) {
    let n = 0;
    const from = at;
    for (const s of corpus(dir, HOUR / 2)) {
      const take = Math.min(s.length, HOUR - at);
      audio.set(mulawEncode(s.subarray(0, take)), at);
      at += take;
      n += take;
    }
    if (n > 0) {
      parts.push(`${(n / RATE / 60).toFixed(1)} min ${name}`);
      ranges.push({ name, from, to: at });
    }
  }
  let seed = 1;
  const dtmfStart = at;
  while (at < HOUR) {
    const sig = toMulaw(composePresses(randomPresses(200, seed++), { noiseDbm0: -45, seed }).samples);
    const take = Math.min(sig.length, HOUR - at);
    audio.set(sig.subarray(0, take), at);
    at += take;
  }
  parts.push(`${((HOUR - dtmfStart) / RATE / 60).toFixed(1)} min generated DTMF over noise`);
  ranges.push({ name: 'dense DTMF (tones ~40 % of the time)', from: dtmfStart, to: HOUR });
  return { audio, description: parts.join(', '), parts: ranges };
}

function timeEngine(engine: DtmfEngine, audio: Uint8Array, seconds: number): number {
  const d = createDtmfDetector({ encoding: 'mulaw', engine });
  const samples = Math.min(audio.length, seconds * RATE);
  // Frames are views made once up front, so the timed loop measures the detector, not subarray().
  const frames: Uint8Array[] = [];
  for (let i = 0; i + FRAME <= samples; i += FRAME) frames.push(audio.subarray(i, i + FRAME));
  let events = 0;
  const onEvent = (): void => {
    events++;
  };
  // CPU time of this process, not wall time: the machine is shared, and "per core" is what we report.
  const c0 = process.cpuUsage();
  for (const frame of frames) d.process(frame, onEvent);
  const used = process.cpuUsage(c0);
  const ns = (used.user + used.system) * 1000;
  d.close();
  if (events < 0) throw new Error('unreachable');
  return (frames.length * FRAME) / (ns / 1e3); // Msamples/s
}

export async function run(): Promise<void> {
  const { audio, description, parts } = mixedHour();
  console.log(`input: 60 min mu-law, ${description}; ${FRAME}-sample frames, one call per frame, one channel`);
  const refSeconds = 3600;
  timeEngine('wasm', audio, 60); // cold pass (compile, tier-up)
  timeEngine('reference', audio, 20);
  // Alternate the engines so both see the same machine load; report the best run of each (the least
  // disturbed by other processes on a shared machine) and the median.
  const wasmRuns: number[] = [];
  const refRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    wasmRuns.push(timeEngine('wasm', audio, 3600));
    refRuns.push(timeEngine('reference', audio, refSeconds));
  }
  const wasm = Math.max(...wasmRuns);
  const ref = Math.max(...refRuns);
  console.log(`wasm (SIMD) detector:       ${wasm.toFixed(1)} Msamples/s (best of 5 over 60 min; median ${median(wasmRuns).toFixed(1)})`);
  console.log(`reference (TS) detector:    ${ref.toFixed(1)} Msamples/s (best of 5 over ${refSeconds / 60} min; median ${median(refRuns).toFixed(1)})`);
  console.log(`ratio wasm / reference:     ${(wasm / ref).toFixed(1)}x`);
  console.log(`real-time channels per core: wasm ${Math.floor((wasm * 1e6) / RATE)}, reference ${Math.floor((ref * 1e6) / RATE)}`);
  console.log(`cores: ${os.cpus().length} (figures are for one core; the detector is single-threaded); load average ${os.loadavg()[0]!.toFixed(1)}`);
  for (const part of parts) {
    const slice = audio.subarray(part.from, part.to);
    const best = Math.max(...[0, 1, 2].map(() => timeEngine('wasm', slice, 3600)));
    console.log(`  wasm on ${part.name}: ${best.toFixed(1)} Msamples/s (best of 3)`);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

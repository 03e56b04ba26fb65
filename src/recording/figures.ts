// The recording figures for docs/recording.md and BENCHMARKS.md, reproducible:
//   node --import tsx src/recording/figures.ts [--hours 2]
// Not a test (about 15 s with the default 2 h audit corpus; needs sox and multimon-ng, and the
// Asterisk sound packages for the speech/music line). Prints one JSON line per figure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MULAW_SILENCE, mulawEncode } from '../audio/g711.js';
import { addDtmf, addNoise, toInt16 } from '../audio/tones.js';
import { encodeWav, interleave, parseWav, wavToLinear } from '../audio/wav.js';
import { run as audit } from '../cli/commands/audit.js';
import { multimonDigits } from './multimon.js';
import { Recorder } from './recorder.js';
import { scanRecording } from './scan.js';
import { coveredSamples, samplesOutside } from './spans.js';
import { generateCall, playCall } from './test-calls.js';

const { values } = parseArgs({ options: { hours: { type: 'string' } } });
const hours = Number(values.hours ?? 2);
const out = (o: Record<string, unknown>) => console.log(JSON.stringify(o));

async function auditors(stereo: Uint8Array) {
  const scan = scanRecording({ encoding: 'mulaw', sampleRate: 8000, channels: 2, data: stereo });
  const file = encodeWav('mulaw', 2, 8000, stereo);
  const mm = [...(await multimonDigits(file, 1)), ...(await multimonDigits(file, 2))];
  return { detectorDigits: scan.digits.length, detectorFragments: scan.suspects, multimonDigits: mm.length };
}

// 1. A generated 5-minute call: leaks, masked time outside the truth, delay.
for (const fill of ['silence', 'marker'] as const) {
  const call = generateCall({ seconds: 300, seed: 9, randomPresses: 40 });
  const played = await playCall(call, fill === 'marker' ? { fill: { kind: 'marker', hz: 440, dbm0: -30 } } : {});
  const truth = [...call.tones, ...call.windows];
  const extra = samplesOutside(played.result.spans, truth);
  out({
    figure: 'generated call',
    fill,
    seconds: 300,
    tones: call.tones.length,
    windows: call.windows.length,
    unmaskedMultimonDigits: (await multimonDigits(encodeWav('mulaw', 1, 8000, call.caller), 1)).length,
    ...(await auditors(played.stereo)),
    uncoveredTruthSamples: samplesOutside(truth, played.result.spans),
    lateMaskSamples: played.result.stats.lateMaskSamples,
    maskedOutsideTruthMsPerTone: +(extra / 8 / call.tones.length).toFixed(1),
    maskedOutsideTruthPct: +((100 * extra) / played.result.durationSamples).toFixed(2),
    maxDelayMs: played.maxDelaySamples / 8,
  });
}

// 2. Recorder cost with 20 ms frames.
{
  const call = generateCall({ seconds: 300, seed: 9, randomPresses: 40 });
  const r = new Recorder();
  const t0 = performance.now();
  for (let p = 0; p < call.caller.length; p += 160) {
    r.writeBot(call.bot.subarray(p, p + 160), p);
    r.writeCaller(call.caller.subarray(p, p + 160), p);
  }
  await r.close();
  const ms = performance.now() - t0;
  out({ figure: 'recorder cost', seconds: 300, ms: Math.round(ms), realTimeFactor: Math.round(300_000 / ms), usPerFrame: +((ms * 1000) / (call.caller.length / 160)).toFixed(1) });
}

// 3. Quiet tones a lenient decoder still reads.
{
  const s = new Float32Array(8000 * 5);
  addNoise(s, -62, 5);
  [-45, -48, -51, -54, -57, -60].forEach((level, i) => addDtmf(s, 4000 + i * 5600, 480, '0123456789'[i]!, { lowDbm0: level }));
  const caller = mulawEncode(toInt16(s));
  const bot = new Uint8Array(caller.length).fill(MULAW_SILENCE);
  const plain = await playCall({ caller, bot, tones: [], windows: [] }, { boostDb: 0 });
  const boosted = await playCall({ caller, bot, tones: [], windows: [] });
  out({
    figure: 'quiet tones (-45..-60 dBm0)',
    tones: 6,
    unmaskedMultimonDigits: (await multimonDigits(encodeWav('mulaw', 1, 8000, caller), 1)).length,
    withoutBoost: await auditors(plain.stereo),
    withBoost: await auditors(boosted.stereo),
  });
}

// 4. False masking on speech and music with no DTMF at all.
function corpus(dir: string, max: number): Uint8Array | undefined {
  if (!existsSync(dir)) return undefined;
  const parts: Int16Array[] = [];
  let n = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.wav')).sort()) {
    if (n >= max) break;
    const w = parseWav(new Uint8Array(readFileSync(join(dir, f))));
    if (w.sampleRate !== 8000 || w.channels !== 1) continue;
    const x = wavToLinear(w);
    parts.push(x);
    n += x.length;
  }
  const all = new Int16Array(n);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return mulawEncode(all);
}
const speech = corpus('/usr/share/asterisk/sounds/en', 8000 * 300);
const music = corpus('/usr/share/asterisk/moh', 8000 * 300);
if (speech && music) {
  const n = Math.min(speech.length, music.length);
  for (const boostDb of [0, 24]) {
    const played = await playCall({ caller: speech.subarray(0, n), bot: music.subarray(0, n), tones: [], windows: [] }, { boostDb });
    const m = coveredSamples(played.result.spans);
    out({ figure: 'masked time without DTMF (speech caller, music bot)', boostDb, seconds: Math.round(n / 8000), maskedMs: m / 8, pct: +((100 * m) / n).toFixed(2) });
  }
}

// 5. Audit speed over a corpus of 5-minute stereo calls.
{
  const dir = await mkdtemp(join(tmpdir(), 'payhook-audit-corpus-'));
  try {
    const call = generateCall({ seconds: 300, seed: 9, randomPresses: 40 });
    const wav = encodeWav('mulaw', 2, 8000, interleave([call.caller, call.bot], MULAW_SILENCE));
    const files = Math.max(1, Math.round((hours * 3600) / 300));
    for (let i = 0; i < files; i++) await writeFile(join(dir, `call-${String(i).padStart(4, '0')}.wav`), wav);
    const log = console.log;
    let summary = '';
    console.log = (line: string) => void (summary = String(line));
    const t0 = performance.now();
    try {
      await audit(['--json', dir]);
    } finally {
      console.log = log;
    }
    const seconds = (performance.now() - t0) / 1000;
    const s = (JSON.parse(summary) as { summary: Record<string, number> }).summary;
    out({ figure: 'audit speed', files, audioHours: s.audioHours, digits: s.digits, seconds: +seconds.toFixed(2), realTimeFactor: Math.round((hours * 3600) / seconds), dayOfRecordingsSeconds: +((24 * seconds) / hours).toFixed(1) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
